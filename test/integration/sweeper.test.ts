import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobQueue } from '../../shared/queue/queue';
import { sweep } from '../../shared/worker/sweeper';
import { silentLog, stark, startPipeline } from '../helpers/pipeline';

let p: Awaited<ReturnType<typeof startPipeline>>;
let crash = false;
const A = 'tenant-a';
const headers = { 'x-erp': 'siigo', 'x-connection': 'main' };

beforeAll(async () => {
  // "crash": the API process dies after recording the job, before SendMessage returns.
  p = await startPipeline({
    queue: (q: JobQueue) => ({
      send: async (erp, m) => {
        if (crash) throw new Error('process killed');
        return q.send(erp, m);
      },
    }),
  });
  await p.api('PUT', '/v1/connections/main', {
    tenantId: A,
    body: { erp: 'siigo', environment: 'sandbox', credentials: { username: 'u', accessKey: 'k' } },
  });
});
afterAll(() => p.close());

describe('sweeper', () => {
  it('re-queues a job recorded but never queued; the client retry with the same key converges on that one job', async () => {
    crash = true;
    const lost = await p.api('POST', '/v1/customers', {
      tenantId: A,
      headers: { ...headers, 'idempotency-key': 'crash-1' },
      body: stark,
    });
    expect(lost.status).toBe(503);
    crash = false;
    const job = (await p.jobs.list(A, { limit: 10 })).items.find((j) => j.idempotencyKey === 'crash-1');
    expect(job).toMatchObject({ status: 'queued' });
    expect(job?.enqueuedAt).toBeUndefined();

    // Not yet stuck: a fresh job is left alone.
    expect((await sweep({ ...p.deps, log: silentLog }, ['siigo'], 60_000)).requeued).toBe(0);
    // Past the threshold it is queued again, exactly once per sweep window.
    const later = () => new Date(Date.now() + 120_000);
    expect((await sweep({ ...p.deps, log: silentLog, now: later }, ['siigo'], 60_000)).requeued).toBe(1);
    expect((await sweep({ ...p.deps, log: silentLog, now: later }, ['siigo'], 60_000)).requeued).toBe(0);
    expect(await p.queueDepth()).toBe(1);

    // The client retries too: same job, and the job runs once.
    const retry = await p.api('POST', '/v1/customers', {
      tenantId: A,
      headers: { ...headers, 'idempotency-key': 'crash-1' },
      body: stark,
    });
    expect(retry.json.jobId).toBe(job?.jobId);
    const done = await p.runUntilFinal(A, job?.jobId as string);
    expect(done?.status).toBe('succeeded');
    expect(p.erp.creates.filter((id) => id === job?.jobId)).toHaveLength(1);
    expect(done?.history.map((h) => h.event)).toContain('requeued_by_sweeper');
  });

  it('does not touch final jobs', async () => {
    const ok = await p.api('POST', '/v1/customers', { tenantId: A, headers, body: stark });
    await p.runUntilFinal(A, ok.json.jobId);
    const far = () => new Date(Date.now() + 3_600_000);
    expect((await sweep({ ...p.deps, log: silentLog, now: far }, ['siigo'], 60_000)).requeued).toBe(0);
  });
});
