import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../shared/jobs/model';
import type { JobQueue } from '../../shared/queue/queue';
import { sweep } from '../../shared/worker/sweeper';
import { silentLog, stark, startPipeline } from '../helpers/pipeline';

let p: Awaited<ReturnType<typeof startPipeline>>;
let crash = false;
// "die": the API process stops inside SendMessage (a timeout, a killed container): no answer, no catch, no undo.
let die = false;
const A = 'tenant-a';
const headers = { 'x-erp': 'siigo', 'x-connection': 'main' };

beforeAll(async () => {
  // "crash": the API process dies after recording the job, before SendMessage returns.
  p = await startPipeline({
    queue: (q: JobQueue) => ({
      send: async (erp, m) => {
        if (crash) throw new Error('process killed');
        if (die) return new Promise<void>(() => undefined);
        return q.send(erp, m);
      },
      isEmpty: (erp) => (q.isEmpty ? q.isEmpty(erp) : Promise.resolve(false)),
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

  it('re-sends a job whose API stopped inside its first send once the queue stands empty, never behind a backlog', async () => {
    die = true;
    // Without a key: nobody would retry this one into the same job.
    void p.api('POST', '/v1/customers', { tenantId: A, headers, body: { ...stark, email: 'lost@stark.co' } });
    let orphan: Job | undefined;
    for (let i = 0; i < 100 && !orphan; i++) {
      orphan = (await p.jobs.list(A, { limit: 50 })).items.find((j) => j.customer.email === 'lost@stark.co');
      if (!orphan) await new Promise((r) => setTimeout(r, 20));
    }
    die = false;
    // Recorded as sent with its one put, and nothing in the queue: the shape a dead API leaves.
    expect(orphan).toMatchObject({ status: 'queued', enqueuedAt: expect.any(String) });
    const id = orphan?.jobId as string;

    // Another job waits in the queue: the orphan's message could be there too, so it is left alone.
    const other = await p.api('POST', '/v1/customers', { tenantId: A, headers, body: stark });
    expect(await p.queueDepth()).toBe(1);
    const days = () => new Date(Date.now() + 3 * 86_400_000);
    expect((await sweep({ ...p.deps, log: silentLog, now: days }, ['siigo'], 60_000)).requeued).toBe(0);

    // Once the queue is empty, a message for it would have been there: one copy, then none.
    await p.runUntilFinal(A, other.json.jobId);
    expect(await p.queueDepth()).toBe(0);
    const soon = () => new Date(Date.now() + 30_000);
    expect((await sweep({ ...p.deps, log: silentLog, now: soon }, ['siigo'], 60_000)).requeued).toBe(0);
    const later = () => new Date(Date.now() + 120_000);
    expect((await sweep({ ...p.deps, log: silentLog, now: later }, ['siigo'], 60_000)).requeued).toBe(1);
    expect((await sweep({ ...p.deps, log: silentLog, now: later }, ['siigo'], 60_000)).requeued).toBe(0);
    expect((await p.jobs.get(A, id))?.history.at(-1)).toMatchObject({
      event: 'requeued_by_sweeper',
      message: 'first_send_lost',
    });
    const done = await p.runUntilFinal(A, id);
    expect(done?.status).toBe('succeeded');
    expect(p.erp.creates.filter((c) => c === id)).toHaveLength(1);
  });

  it('re-sends such a job after SQS retention when the queue never empties (it is shared by every tenant)', async () => {
    die = true;
    void p.api('POST', '/v1/customers', {
      tenantId: A,
      headers,
      body: { ...stark, email: 'lost2@stark.co' },
    });
    let orphan: Job | undefined;
    for (let i = 0; i < 100 && !orphan; i++) {
      orphan = (await p.jobs.list(A, { limit: 50 })).items.find((j) => j.customer.email === 'lost2@stark.co');
      if (!orphan) await new Promise((r) => setTimeout(r, 20));
    }
    die = false;
    const id = orphan?.jobId as string;
    // Another tenant's traffic keeps the queue busy the whole time.
    await p.api('PUT', '/v1/connections/main', {
      tenantId: 'tenant-b',
      body: { erp: 'siigo', environment: 'sandbox', credentials: { username: 'u', accessKey: 'k' } },
    });
    const busy = await p.api('POST', '/v1/customers', { tenantId: 'tenant-b', headers, body: stark });
    const at = (days: number) => () => new Date(Date.now() + days * 86_400_000);
    expect((await sweep({ ...p.deps, log: silentLog, now: at(13) }, ['siigo'], 60_000)).requeued).toBe(0);
    await sweep({ ...p.deps, log: silentLog, now: at(15) }, ['siigo'], 60_000);
    expect((await p.jobs.get(A, id))?.history.at(-1)).toMatchObject({
      event: 'requeued_by_sweeper',
      message: 'message_expired',
    });
    expect((await p.runUntilFinal(A, id))?.status).toBe('succeeded');
    await p.runUntilFinal('tenant-b', busy.json.jobId);
    expect(p.erp.creates.filter((c) => c === id)).toHaveLength(1);
  });

  it('does not touch final jobs', async () => {
    const ok = await p.api('POST', '/v1/customers', { tenantId: A, headers, body: stark });
    await p.runUntilFinal(A, ok.json.jobId);
    const far = () => new Date(Date.now() + 3_600_000);
    expect((await sweep({ ...p.deps, log: silentLog, now: far }, ['siigo'], 60_000)).requeued).toBe(0);
  });
});
