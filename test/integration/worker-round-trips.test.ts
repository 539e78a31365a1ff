import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoJobStore } from '../../shared/jobs/dynamo-store';
import { stark, startPipeline } from '../helpers/pipeline';

/**
 * Issue 14 §2: a worker's job is claim, call, record. The claim is the first read of the job (it returns the old
 * item), for API jobs and for an outside producer's first message alike; counted here as DynamoDB requests.
 */
let p: Awaited<ReturnType<typeof startPipeline>>;
const A = 'tenant-trips';
let calls: string[] = [];

beforeAll(async () => {
  p = await startPipeline();
  await p.api('PUT', '/v1/connections/main', {
    tenantId: A,
    body: { erp: 'siigo', environment: 'sandbox', credentials: { username: 'u', accessKey: 'k' } },
  });
  // The worker's job store, over a client that names every request it sends.
  const { db, table } = p.jobs as unknown as { db: DynamoDBDocumentClient; table: string };
  const send = db.send.bind(db) as (c: unknown) => Promise<unknown>;
  const counted = new Proxy(db, {
    get: (t, prop, r) =>
      prop === 'send'
        ? (cmd: { constructor: { name: string }; input: { ReturnValues?: string } }) => {
            const name = cmd.constructor.name.replace(/Command$/, '');
            calls.push(cmd.input.ReturnValues === 'ALL_OLD' ? `${name}:claim` : name);
            return send(cmd);
          }
        : Reflect.get(t, prop, r),
  });
  p.workerDeps.jobs = new DynamoJobStore(counted, table);
});
afterAll(() => p.close());

describe('DynamoDB requests per job in the worker', () => {
  it('an API job: one claim, one result write, no read', async () => {
    const res = await p.api('POST', '/v1/customers', {
      tenantId: A,
      headers: { 'x-erp': 'siigo', 'x-connection': 'main' },
      body: { ...stark, identification: { type: 'NIT', number: '900373941' } },
    });
    calls = [];
    const done = await p.runUntilFinal(A, res.json.jobId);
    expect(done?.status).toBe('succeeded');
    expect(calls).toEqual(['Update:claim', 'Update']);
  });

  it("an outside producer's first message: the job recorded, claimed, its result written — no read", async () => {
    calls = [];
    await p.sendRaw({
      version: 1,
      tenantId: A,
      connectionId: 'main',
      idempotencyKey: 'producer-1',
      customer: { ...stark, identification: { type: 'NIT', number: '900373942' } },
    });
    while ((await p.queueDepth()) > 0) await p.pump();
    expect(calls).toEqual(['Put', 'Update:claim', 'Update']);
    const job = (await p.jobs.list(A, { limit: 10 })).items.find((j) => j.idempotencyKey === 'producer-1');
    expect(job).toMatchObject({ status: 'succeeded', source: 'queue' });
  });
});
