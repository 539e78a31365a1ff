import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  QUICKBOOKS_DEMO_CREDENTIALS,
  type QuickBooksSimulator,
  startQuickBooksSimulator,
} from '../../local/simulators/quickbooks';
import { LocalFileConnectionStore } from '../../shared/connections/local-file-store';
import { quickbooksAdapter } from '../../shared/erps/quickbooks';
import type { ErpAdapter } from '../../shared/erps/types';
import { createHttpClient, type HttpClient } from '../../shared/http/upstream';
import type { WorkerDeps } from '../../shared/worker/deps';
import { processMessage } from '../../shared/worker/process-message';
import { dynamoForTest } from '../helpers/emulators';
import { pacedWorkerDeps } from '../helpers/paced-worker';
import { tempDir } from '../helpers/temp';

/**
 * Issue 14's drain met one 429 from QuickBooks (10 requests per second per realm and app) at the start of a
 * burst: the first jobs took their pacing slots, then waited for the one OAuth token refresh, and reached
 * Intuit together with the jobs paced after them. The worker now gets the token before it takes its turn.
 */

const TENANT = 'qbo-token-pacing';
let dynamo: Awaited<ReturnType<typeof dynamoForTest>>;
let sim: QuickBooksSimulator;
let worker: WorkerDeps;
/** Intuit's token endpoint, slow as it can be (and as the lock and the write-back around it make it). */
const TOKEN_ENDPOINT_DELAY_MS = 400;

beforeAll(async () => {
  dynamo = await dynamoForTest();
  // Intuit's documented limits: 500 per minute, 10 per second, 10 concurrent.
  sim = await startQuickBooksSimulator({ port: 0 });
  const connections = LocalFileConnectionStore.open(tempDir('qbo-token-pacing-'));
  await connections.put({
    tenantId: TENANT,
    connectionId: 'realm',
    erp: 'quickbooks',
    environment: 'sandbox',
    credentials: QUICKBOOKS_DEMO_CREDENTIALS,
  });
  const inner = createHttpClient({ defaultTimeoutMs: 5_000 });
  const http: HttpClient = {
    async request(req) {
      if (String(req.url).includes('/oauth2/')) {
        await new Promise((r) => setTimeout(r, TOKEN_ENDPOINT_DELAY_MS));
      }
      return inner.request(req);
    },
  };
  worker = pacedWorkerDeps({
    adapter: quickbooksAdapter as ErpAdapter<unknown>,
    dynamo,
    connections,
    http,
    env: {
      QUICKBOOKS_BASE_URL: sim.url,
      QUICKBOOKS_TOKEN_URL: `${sim.url}/oauth2/v1/tokens/bearer`,
    },
  });
});
afterAll(async () => {
  await sim.close();
  await dynamo.close();
});

it('a burst that starts with a token refresh stays within 10 requests per second: no 429', async () => {
  const jobs = Array.from({ length: 14 }, (_, i) => {
    const jobId = `7b1c2d3e-4f50-4a61-8b72-${String(i + 1).padStart(12, '0')}`;
    const body = JSON.stringify({
      version: 1,
      jobId,
      tenantId: TENANT,
      connectionId: 'realm',
      customer: { personType: 'company', name: { company: `Burst Trading ${i + 1}` } },
    });
    return { jobId, body };
  });
  // Fourteen messages at once, as a batch of the event source mapping (or several Lambdas) hands them over.
  await Promise.all(
    jobs.map((j) => processMessage({ messageId: j.jobId, body: j.body, receiptHandle: j.jobId }, worker)),
  );
  const api = sim.calls.filter((c) => c.path.includes('/v3/company'));
  expect(api.filter((c) => c.status === 429)).toEqual([]);
  // Each job is created, or holds a later slot (more than a second away: it comes back as a delayed copy).
  const states = await Promise.all(jobs.map((j) => worker.jobs.get(TENANT, j.jobId)));
  for (const job of states) {
    if (job?.status === 'succeeded') continue;
    expect(job).toMatchObject({ status: 'retry_scheduled', history: expect.any(Array) });
    expect(job?.history.at(-1)?.event).toBe('paced');
  }
  expect(states.filter((j) => j?.status === 'succeeded').length).toBeGreaterThanOrEqual(8);
});
