import { afterAll, beforeAll, expect, it } from 'vitest';
import { SAGE_DEMO_CREDENTIALS, type SageSimulator, startSageSimulator } from '../../local/simulators/sage';
import { LocalFileConnectionStore } from '../../shared/connections/local-file-store';
import { sageAdapter } from '../../shared/erps/sage';
import { clearSageBlocks } from '../../shared/erps/sage/block';
import type { ErpAdapter } from '../../shared/erps/types';
import type { WorkerDeps } from '../../shared/worker/deps';
import { processMessage } from '../../shared/worker/process-message';
import { dynamoForTest } from '../helpers/emulators';
import { pacedWorkerDeps } from '../helpers/paced-worker';
import { tempDir } from '../helpers/temp';

/**
 * Issue 11 §5: Sage blocks API key + company + user for an hour after a 429, and every call while blocked
 * extends the block. One worker meets the 429; another worker — another Lambda, or a cold start that remembers
 * nothing — must not call that company again until the hour is over. The block lives in the shared pacing
 * state (DynamoDB, here dynalite), not in one process.
 */

const TENANT = 'sage-block';
let dynamo: Awaited<ReturnType<typeof dynamoForTest>>;
let sim: SageSimulator;
let dir: string;
let workerA: WorkerDeps;
let workerB: WorkerDeps;

beforeAll(async () => {
  dynamo = await dynamoForTest();
  // One request a minute: the second call of the minute is Sage's real 429 and starts the hour.
  sim = await startSageSimulator(undefined, { requestsPerMinute: 1 });
  dir = tempDir('sage-block-');
  const connections = LocalFileConnectionStore.open(dir);
  // Two connections with the same Sage login: the block follows Sage's scope, not our connection (and each
  // connection has its own pacing bucket, so pacing does not hide the block).
  for (const connectionId of ['sage-a', 'sage-b']) {
    await connections.put({
      tenantId: TENANT,
      connectionId,
      erp: 'sage',
      environment: 'production',
      credentials: SAGE_DEMO_CREDENTIALS,
    });
  }
  // Each call its own DynamoPacer object: nothing shared in memory with the other worker, only the table.
  const worker = () =>
    pacedWorkerDeps({
      adapter: sageAdapter as ErpAdapter<unknown>,
      dynamo,
      connections,
      env: { SAGE_BASE_URL: `${sim.url}/api/2.0.0` },
    });
  workerA = worker();
  workerB = worker();
});
afterAll(async () => {
  clearSageBlocks();
  await sim.close();
  await dynamo.close();
});

let seq = 0;
async function run(worker: WorkerDeps, connectionId: string) {
  const jobId = `5a1b2c3d-4e5f-4a6b-8c7d-00000000000${++seq}`;
  const body = JSON.stringify({
    version: 1,
    jobId,
    tenantId: TENANT,
    connectionId,
    customer: {
      personType: 'company',
      name: { company: `Karoo Supplies ${seq}` },
      billingAddress: { lines: ['1 Main Road'], city: 'Graaff-Reinet', postalCode: '6280', country: 'ZA' },
    },
  });
  await processMessage({ messageId: jobId, body, receiptHandle: jobId }, worker);
  return (await worker.jobs.get(TENANT, jobId)) ?? expect.fail('job missing');
}

it("a Sage block met by one worker holds for another worker and a cold start: the blocked company isn't called", async () => {
  const created = await run(workerA, 'sage-a');
  expect(created.status).toBe('succeeded');
  const limited = await run(workerA, 'sage-a');
  expect(limited).toMatchObject({ status: 'retry_scheduled', error: { code: 'rate_limited' } });
  expect(sim.calls.map((c) => c.status)).toEqual([201, 429]);

  // Worker B: another process. It has never seen the 429 (and this process forgets too: a cold start).
  clearSageBlocks();
  const other = await run(workerB, 'sage-b');
  expect(sim.calls).toHaveLength(2);
  expect(other).toMatchObject({ status: 'retry_scheduled', error: { code: 'rate_limited' } });
  const waitMs = Date.parse(other.nextAttemptAt ?? '') - Date.parse(other.updatedAt);
  expect(waitMs).toBeGreaterThan(55 * 60_000);
  expect(other.history.at(-1)?.message).toMatch(/blocked/);
});
