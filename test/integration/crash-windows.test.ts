import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobQueue } from '../../shared/queue/queue';
import { stark, startPipeline } from '../helpers/pipeline';

/**
 * Issue 6, item 2: the API dies between queueing the job and answering. (Recorded-but-not-queued is in
 * sweeper.test.ts.) The client never sees its 202; it retries with the same Idempotency-Key and must end up
 * with one job and one customer, however many copies of the message the crash left behind.
 */
let p: Awaited<ReturnType<typeof startPipeline>>;
/** What the API process does right after SendMessage returned. */
let afterSend: 'answer' | 'die' | 'lose-the-answer' | 'run-then-lose-the-answer' = 'answer';
/** Called once SendMessage returned in a process that is about to die (so the test need not guess a time). */
let onDeath: () => void = () => undefined;
const A = 'tenant-a';
const headers = { 'x-erp': 'siigo', 'x-connection': 'main' };

beforeAll(async () => {
  p = await startPipeline({
    queue: (q: JobQueue) => ({
      send: async (erp, m) => {
        await q.send(erp, m);
        if (afterSend === 'die') {
          onDeath();
          return new Promise<void>(() => undefined); // the process is gone: never answers
        }
        if (afterSend === 'lose-the-answer') throw new Error('socket hang up'); // sent, but the SDK saw no reply
        if (afterSend === 'run-then-lose-the-answer') {
          // A worker takes the message and finishes the job before the API's SDK gives up on the reply.
          await p.runUntilFinal(m.tenantId as string, m.jobId as string);
          throw new Error('socket hang up');
        }
      },
    }),
  });
  await p.api('PUT', '/v1/connections/main', {
    tenantId: A,
    body: {
      erp: 'siigo',
      environment: 'sandbox',
      credentials: { username: 'u', accessKey: 'k-crash-window' },
    },
  });
});
afterAll(() => p.close());

/** The client's view of a request whose API process dies: no answer before it gives up. */
async function callThatNeverAnswers(body: unknown, key: string) {
  const call = p.api('POST', '/v1/customers', {
    tenantId: A,
    headers: { ...headers, 'idempotency-key': key },
    body,
  });
  // Wait for the message to be queued (however slow the machine), then check the client still has no answer.
  const died = new Promise<'died'>((r) => {
    onDeath = () => r('died');
  });
  expect(await Promise.race([call.then(() => 'answered' as const), died])).toBe('died');
}

async function drain() {
  while ((await p.queueDepth()) > 0) await p.pump();
}

async function jobsWithKey(key: string) {
  return (await p.jobs.list(A, { limit: 100 })).items.filter((j) => j.idempotencyKey === key);
}

describe('the API crashes between queueing and answering', () => {
  it('the client retry with the same key gets the same job; two messages, one create', async () => {
    const body = { ...stark, identification: { type: 'NIT', number: '900373914' } };
    afterSend = 'die';
    await callThatNeverAnswers(body, 'window-1');
    afterSend = 'answer';
    expect(await p.queueDepth()).toBe(1);

    const retry = await p.api('POST', '/v1/customers', {
      tenantId: A,
      headers: { ...headers, 'idempotency-key': 'window-1' },
      body,
    });
    expect(retry.status).toBe(202);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    const [job, ...others] = await jobsWithKey('window-1');
    expect(others).toEqual([]);
    expect(retry.json.jobId).toBe(job?.jobId);
    // The crashed request never recorded that it queued, so the retry queues again: two copies in flight.
    expect(await p.queueDepth()).toBe(2);

    await drain();
    const done = await p.jobs.get(A, retry.json.jobId);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(p.erp.creates.filter((id) => id === retry.json.jobId)).toHaveLength(1);
  });

  it('a retry that comes after the worker finished returns the finished job and queues nothing', async () => {
    const body = { ...stark, identification: { type: 'NIT', number: '900373915' } };
    afterSend = 'die';
    await callThatNeverAnswers(body, 'window-2');
    afterSend = 'answer';
    await drain();
    const retry = await p.api('POST', '/v1/customers', {
      tenantId: A,
      headers: { ...headers, 'idempotency-key': 'window-2' },
      body,
    });
    expect(retry.status).toBe(202);
    expect(retry.json.status).toBe('succeeded');
    expect(await p.queueDepth()).toBe(0);
    expect(p.erp.creates.filter((id) => id === retry.json.jobId)).toHaveLength(1);
  });

  it('sent but the answer was lost, without a key: the job is retired, its message runs nothing', async () => {
    const body = { ...stark, identification: { type: 'NIT', number: '900373916' } };
    afterSend = 'lose-the-answer';
    const lost = await p.api('POST', '/v1/customers', { tenantId: A, headers, body });
    afterSend = 'answer';
    expect(lost.status).toBe(503);
    expect(lost.json.error).toMatchObject({ code: 'queue_unavailable', retryable: true });
    const retired = (await p.jobs.list(A, { limit: 100 })).items.find(
      (j) => j.customer.identification?.number === '900373916',
    );
    expect(retired).toMatchObject({ status: 'failed' });

    // The client's retry (no key: a new job) is the only one that creates.
    const retry = await p.api('POST', '/v1/customers', { tenantId: A, headers, body });
    expect(retry.status).toBe(202);
    await drain();
    expect(p.erp.creates.filter((id) => id === retired?.jobId)).toEqual([]);
    expect(p.erp.creates.filter((id) => id === retry.json.jobId)).toHaveLength(1);
    expect(await p.jobs.get(A, retired?.jobId as string)).toMatchObject({ status: 'failed', attempts: 0 });
  });

  it('sent but the answer was lost after a worker took the job, without a key: answered as sent, no retry, one create', async () => {
    const body = { ...stark, identification: { type: 'NIT', number: '900373918' } };
    afterSend = 'run-then-lose-the-answer';
    const r = await p.api('POST', '/v1/customers', { tenantId: A, headers, body });
    afterSend = 'answer';
    // Not a 503 "retry": a keyless retry would be a second job and a second customer.
    expect(r.status).toBe(202);
    const job = await p.jobs.get(A, r.json.jobId);
    expect(job).toMatchObject({ status: 'succeeded' });
    expect(p.erp.creates.filter((id) => id === r.json.jobId)).toHaveLength(1);
  });

  it('sent but the answer was lost, with a key: the retry converges on the one job', async () => {
    const body = { ...stark, identification: { type: 'NIT', number: '900373917' } };
    afterSend = 'lose-the-answer';
    const lost = await p.api('POST', '/v1/customers', {
      tenantId: A,
      headers: { ...headers, 'idempotency-key': 'window-4' },
      body,
    });
    afterSend = 'answer';
    expect(lost.status).toBe(503);
    const retry = await p.api('POST', '/v1/customers', {
      tenantId: A,
      headers: { ...headers, 'idempotency-key': 'window-4' },
      body,
    });
    expect(retry.status).toBe(202);
    await drain();
    expect(await jobsWithKey('window-4')).toHaveLength(1);
    expect(p.erp.creates.filter((id) => id === retry.json.jobId)).toHaveLength(1);
  });
});
