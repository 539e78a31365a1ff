import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Job } from '../../shared/jobs/model';
import type { JobQueue } from '../../shared/queue/queue';
import { stark, startPipeline } from '../helpers/pipeline';

let p: Awaited<ReturnType<typeof startPipeline>>;
const A = 'tenant-a';
const B = 'tenant-b';
const siigo = { 'x-erp': 'Siigo', 'x-connection': 'main' };

/** Stores (or replaces) tenant A's Siigo connection `id` in `environment`; the status of the PUT. */
async function connect(id: string, environment: 'sandbox' | 'production', accessKey = 'k-123') {
  const res = await p.api('PUT', `/v1/connections/${id}`, {
    tenantId: A,
    body: { erp: 'siigo', environment, credentials: { username: 'api@stark.co', accessKey } },
  });
  return res.status;
}

/** The scripted ERP's next look-up finds a record holding the value at `pointer` that is another customer's. */
function anotherCustomerAt(pointer: string, existingId: string) {
  p.erp.lookupScript.push({
    kind: 'conflict',
    pointer,
    existingId,
    message: `record ${existingId} carries another customer's identity`,
  });
}

beforeAll(async () => {
  p = await startPipeline();
  await p.tenant(A);
  await p.tenant(B);
  expect(await connect('main', 'sandbox')).toBe(201);
});
afterAll(() => p.close());
beforeEach(() => {
  p.erp.createScript.length = 0;
  p.erp.lookupScript.length = 0;
});

describe('accept → work → final state', () => {
  it('accepted (202) → succeeded with the ERP id', async () => {
    const res = await p.api('POST', '/v1/customers', { tenantId: A, headers: siigo, body: stark });
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({
      status: 'queued',
      erp: 'siigo',
      connectionId: 'main',
      links: { self: `/v1/jobs/${res.json.jobId}` },
    });
    const job = await p.runUntilFinal(A, res.json.jobId);
    expect(job).toMatchObject({ status: 'succeeded', reconciled: false, attempts: 1 });
    expect(job?.erpCustomerId).toMatch(/^erp-/);
    const got = await p.api('GET', `/v1/jobs/${res.json.jobId}`, { tenantId: A });
    expect(got.json).toMatchObject({
      jobId: res.json.jobId,
      status: 'succeeded',
      erpCustomerId: job?.erpCustomerId,
    });
    expect(got.json.history.map((h: { event: string }) => h.event)).toEqual(['accepted', 'created']);
  });

  it('an idempotent replay returns the same job and creates once', async () => {
    const headers = { ...siigo, 'idempotency-key': 'order-1' };
    const first = await p.api('POST', '/v1/customers', { tenantId: A, headers, body: stark });
    const second = await p.api('POST', '/v1/customers', { tenantId: A, headers, body: { ...stark } });
    expect(second.status).toBe(202);
    expect(second.json.jobId).toBe(first.json.jobId);
    expect(second.headers['idempotent-replayed']).toBe('true');
    await p.runUntilFinal(A, first.json.jobId);
    expect(p.erp.creates.filter((id) => id === first.json.jobId)).toHaveLength(1);
  });

  it('the same key with another body is 409 idempotency_conflict', async () => {
    const headers = { ...siigo, 'idempotency-key': 'order-2' };
    await p.api('POST', '/v1/customers', { tenantId: A, headers, body: stark });
    const res = await p.api('POST', '/v1/customers', {
      tenantId: A,
      headers,
      body: { ...stark, email: 'other@stark.co' },
    });
    expect(res.status).toBe(409);
    expect(res.json.error).toMatchObject({ code: 'idempotency_conflict', retryable: false });
  });

  it('another tenant cannot see, list or retry the job, nor use the connection', async () => {
    const res = await p.api('POST', '/v1/customers', { tenantId: A, headers: siigo, body: stark });
    const jobId = res.json.jobId;
    expect((await p.api('GET', `/v1/jobs/${jobId}`, { tenantId: B })).status).toBe(404);
    expect((await p.api('POST', `/v1/jobs/${jobId}/retry`, { tenantId: B })).status).toBe(404);
    expect((await p.api('GET', '/v1/jobs', { tenantId: B })).json.items).toEqual([]);
    expect((await p.api('GET', '/v1/connections/main', { tenantId: B })).status).toBe(404);
    const useIt = await p.api('POST', '/v1/customers', { tenantId: B, headers: siigo, body: stark });
    expect(useIt.status).toBe(404);
    expect(useIt.json.error.code).toBe('connection_not_found');
  });

  it('a poison message ends as a failed job (invalid_message) and in the DLQ', async () => {
    const jobId = '3b241101-e2bb-4255-8caf-4136c566a962';
    await p.sendRaw({
      version: 1,
      jobId,
      tenantId: A,
      connectionId: 'main',
      customer: 'not an object',
    });
    await p.sendRaw('{not json');
    await p.pump();
    const job = await p.jobs.get(A, jobId);
    expect(job).toMatchObject({ status: 'failed', error: { code: 'invalid_message' } });
    expect(job?.error?.details?.[0]?.pointer).toBe('/customer');
    const dlq = await p.dlqBodies();
    expect(dlq).toContain('{not json');
    expect(dlq.some((b) => b.includes(jobId))).toBe(true);
  });

  it('a valid message from an outside producer (no jobId) becomes a job and runs', async () => {
    await p.sendRaw({
      version: 1,
      tenantId: A,
      connectionId: 'main',
      customer: stark,
      idempotencyKey: 'ext-1',
    });
    await p.pump();
    const listed = await p.api('GET', '/v1/jobs?erp=siigo&status=succeeded&limit=100', { tenantId: A });
    const ext = listed.json.items.find((j: { idempotencyKey?: string }) => j.idempotencyKey === 'ext-1');
    expect(ext).toMatchObject({ status: 'succeeded' });
  });

  it("a producer's message for a production connection is recorded, listed and announced as production", async () => {
    // Issue 11 §1: the job said "sandbox" while its customer was created in production.
    expect(await connect('prod', 'production', 'k-prod')).toBe(201);
    const finished: Job[] = [];
    p.workerDeps.events = { finished: async (j) => void finished.push(j) };
    try {
      const valid = '6f1f2d9e-6b0a-4c8e-9f51-1d2a3b4c5d6e';
      const invalid = '7a2e3f4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b';
      const stranger = '8b3f4a5c-6d7e-4f8a-9b0c-1d2e3f4a5b6c';
      await p.sendRaw({ version: 1, jobId: valid, tenantId: A, connectionId: 'prod', customer: stark });
      await p.sendRaw({ version: 1, jobId: invalid, tenantId: A, connectionId: 'prod', customer: 'x' });
      await p.sendRaw({ version: 1, jobId: stranger, tenantId: A, connectionId: 'nope', customer: stark });
      const job = await p.runUntilFinal(A, valid);
      expect(job).toMatchObject({ status: 'succeeded', environment: 'production', source: 'queue' });
      const got = await p.api('GET', `/v1/jobs/${valid}`, { tenantId: A });
      expect(got.json.environment).toBe('production');
      const listed = await p.api('GET', '/v1/jobs?limit=100', { tenantId: A });
      expect(listed.json.items.find((j: { jobId: string }) => j.jobId === valid)?.environment).toBe(
        'production',
      );
      expect(finished.find((j) => j.jobId === valid)?.environment).toBe('production');
      // A bad message naming a known connection still tells where it would have run.
      expect(await p.jobs.get(A, invalid)).toMatchObject({ status: 'failed', environment: 'production' });
      // A connection that does not exist decides nothing: no environment is claimed.
      await p.runUntilFinal(A, stranger);
      const orphan = await p.jobs.get(A, stranger);
      expect(orphan).toMatchObject({ status: 'failed', error: { code: 'connection_not_found' } });
      expect(orphan?.environment).toBeUndefined();
    } finally {
      p.workerDeps.events = undefined;
    }
  });

  it('a job is never run in another environment than it was accepted for (connection re-pointed)', async () => {
    await connect('flip', 'sandbox', 'k-flip');
    const res = await p.api('POST', '/v1/customers', {
      tenantId: A,
      headers: { 'x-erp': 'siigo', 'x-connection': 'flip' },
      body: stark,
    });
    expect(res.json.environment).toBe('sandbox');
    await connect('flip', 'production', 'k-flip');
    const creates = p.erp.creates.length;
    const job = await p.runUntilFinal(A, res.json.jobId);
    expect(job).toMatchObject({
      status: 'failed',
      environment: 'sandbox',
      error: { code: 'environment_conflict' },
    });
    expect(p.erp.creates.length).toBe(creates);
  });

  it('attempts exhausted → dead_lettered with its history, and in the DLQ', async () => {
    const upstream = { erp: 'siigo', status: 503, message: 'service unavailable' };
    p.erp.createScript.push(...Array.from({ length: 3 }, () => ({ kind: 'transient' as const, upstream })));
    const res = await p.api('POST', '/v1/customers', { tenantId: A, headers: siigo, body: stark });
    const job = await p.runUntilFinal(A, res.json.jobId);
    expect(job).toMatchObject({
      status: 'dead_lettered',
      attempts: 3,
      error: { code: 'attempts_exhausted' },
    });
    expect(job?.history.map((h) => h.event)).toEqual([
      'accepted',
      'retry_scheduled',
      'retry_scheduled',
      'dead_lettered',
    ]);
    expect(job?.history[1]).toMatchObject({ outcome: 'transient', upstream });
    expect((await p.dlqBodies()).some((b) => b.includes(res.json.jobId))).toBe(true);
  });

  it('after an unknown outcome the next attempt looks up first and reconciles instead of creating again', async () => {
    p.erp.createScript.push({
      kind: 'unknown',
      upstream: { erp: 'siigo', code: 'timeout', message: 'no answer' },
    });
    p.erp.lookupScript.push({ kind: 'found', erpCustomerId: 'erp-existing', provenBy: 'identification' });
    const res = await p.api('POST', '/v1/customers', { tenantId: A, headers: siigo, body: stark });
    const job = await p.runUntilFinal(A, res.json.jobId);
    expect(job).toMatchObject({
      status: 'succeeded',
      erpCustomerId: 'erp-existing',
      reconciled: true,
      attempts: 2,
    });
    expect(p.erp.creates.filter((id) => id === res.json.jobId)).toHaveLength(1);
    expect(job?.history.map((h) => h.event)).toEqual(['accepted', 'outcome_unknown', 'reconciled']);
  });

  it('a duplicate is resolved by look-up into a reconciled success', async () => {
    p.erp.createScript.push({
      kind: 'duplicate',
      upstream: { erp: 'siigo', code: 'already_exists', message: 'exists' },
    });
    p.erp.lookupScript.push({ kind: 'found', erpCustomerId: 'erp-dup', provenBy: 'identification' });
    const res = await p.api('POST', '/v1/customers', { tenantId: A, headers: siigo, body: stark });
    expect(await p.runUntilFinal(A, res.json.jobId)).toMatchObject({
      status: 'succeeded',
      erpCustomerId: 'erp-dup',
      reconciled: true,
    });
  });

  it('a duplicate held by another customer fails duplicate_conflict: pointer, the other id, never adopted', async () => {
    const upstream = { erp: 'siigo', status: 400, code: 'already_exists', message: 'exists' };
    p.erp.createScript.push({ kind: 'duplicate', upstream });
    anotherCustomerAt('/identification/number', 'erp-someone-else');
    const res = await p.api('POST', '/v1/customers', { tenantId: A, headers: siigo, body: stark });
    const job = await p.runUntilFinal(A, res.json.jobId);
    expect(job).toMatchObject({
      status: 'failed',
      error: {
        code: 'duplicate_conflict',
        retryable: false,
        existingId: 'erp-someone-else',
        details: [{ pointer: '/identification/number', code: 'duplicate_conflict' }],
        upstream,
      },
    });
    expect(job?.erpCustomerId).toBeUndefined();
    expect(job?.history.at(-1)).toMatchObject({ event: 'failed', outcome: 'conflict' });
    const got = await p.api('GET', `/v1/jobs/${res.json.jobId}`, { tenantId: A });
    expect(got.json.error).toMatchObject({ code: 'duplicate_conflict', existingId: 'erp-someone-else' });
  });

  it('a duplicate the adapter already resolved is not looked up again; a conflict after a lost answer fails too', async () => {
    p.erp.createScript.push({
      kind: 'duplicate',
      upstream: { erp: 'siigo', code: 'already_exists', message: 'exists' },
      resolved: { kind: 'found', erpCustomerId: 'erp-resolved', provenBy: 'externalId' },
    });
    const first = await p.api('POST', '/v1/customers', { tenantId: A, headers: siigo, body: stark });
    const lookupsBefore = p.erp.lookups.length;
    const done = await p.runUntilFinal(A, first.json.jobId);
    expect(done).toMatchObject({ status: 'succeeded', erpCustomerId: 'erp-resolved', reconciled: true });
    expect(done?.history.at(-1)?.message).toMatch(/externalId/);
    expect(p.erp.lookups.length).toBe(lookupsBefore);

    p.erp.createScript.push({ kind: 'unknown', upstream: { erp: 'siigo', code: 'timeout', message: 'x' } });
    anotherCustomerAt('/name/company', 'erp-other');
    const second = await p.api('POST', '/v1/customers', { tenantId: A, headers: siigo, body: stark });
    expect(await p.runUntilFinal(A, second.json.jobId)).toMatchObject({
      status: 'failed',
      error: { code: 'duplicate_conflict', existingId: 'erp-other' },
    });
    expect(p.erp.creates.filter((id) => id === second.json.jobId)).toHaveLength(1);
  });

  it('an ERP validation error fails at once, keeping the ERP code and message', async () => {
    const upstream = { erp: 'siigo', status: 400, code: 'invalid_reference', message: 'city not found' };
    p.erp.createScript.push({ kind: 'invalid', upstream });
    const res = await p.api('POST', '/v1/customers', { tenantId: A, headers: siigo, body: stark });
    const job = await p.runUntilFinal(A, res.json.jobId);
    expect(job).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { code: 'upstream_rejected', upstream },
    });
  });

  it('retry re-queues a failed job as outcome_unknown so it reconciles first; with an audit entry', async () => {
    p.erp.createScript.push({
      kind: 'invalid',
      upstream: { erp: 'siigo', status: 400, message: 'temporarily invalid' },
    });
    const res = await p.api('POST', '/v1/customers', { tenantId: A, headers: siigo, body: stark });
    await p.runUntilFinal(A, res.json.jobId);
    expect((await p.api('POST', `/v1/jobs/${res.json.jobId}/retry`, { tenantId: A })).status).toBe(202);
    p.erp.lookupScript.push({ kind: 'not_found' });
    const job = await p.runUntilFinal(A, res.json.jobId);
    expect(job).toMatchObject({ status: 'succeeded' });
    expect(job?.history.map((h) => h.event)).toContain('retry_requested');
    expect(p.erp.lookups).toContain(res.json.jobId);
    const again = await p.api('POST', `/v1/jobs/${res.json.jobId}/retry`, { tenantId: A });
    expect(again.status).toBe(409);
  });

  it('a missing connection fails the job without retrying', async () => {
    await p.sendRaw({
      version: 1,
      jobId: 'a3bb189e-8bf9-4888-9912-ace4e6543002',
      tenantId: B,
      connectionId: 'main',
      customer: stark,
    });
    await p.pump();
    // tenant B names tenant A's connection id: it does not exist for B.
    expect(await p.jobs.get(B, 'a3bb189e-8bf9-4888-9912-ace4e6543002')).toMatchObject({
      status: 'failed',
      error: { code: 'connection_not_found' },
    });
  });
});

describe('queue failures', () => {
  it('a failed SendMessage is a retryable 503; the retry with the same key queues the same job', async () => {
    let fail = true;
    const flaky = await startPipeline({
      queue: (q: JobQueue) => ({
        send: async (erp, m) => {
          if (fail) throw new Error('SQS down');
          return q.send(erp, m);
        },
      }),
    });
    try {
      await flaky.tenant(A);
      await flaky.api('PUT', '/v1/connections/main', {
        tenantId: A,
        body: { erp: 'siigo', environment: 'sandbox', credentials: { username: 'u', accessKey: 'k' } },
      });
      const headers = { ...siigo, 'idempotency-key': 'k-503' };
      const first = await flaky.api('POST', '/v1/customers', { tenantId: A, headers, body: stark });
      expect(first.status).toBe(503);
      expect(first.json.error).toMatchObject({ code: 'queue_unavailable', retryable: true });
      expect(first.headers['retry-after']).toBe('1');
      fail = false;
      const second = await flaky.api('POST', '/v1/customers', { tenantId: A, headers, body: stark });
      expect(second.status).toBe(202);
      const job = await flaky.runUntilFinal(A, second.json.jobId);
      expect(job?.status).toBe('succeeded');
      expect(flaky.erp.creates).toEqual([second.json.jobId]);

      // Without a key the unqueued job is retired, so the client's retry cannot run it twice.
      fail = true;
      const noKey = await flaky.api('POST', '/v1/customers', { tenantId: A, headers: siigo, body: stark });
      expect(noKey.status).toBe(503);
      const list = await flaky.api('GET', '/v1/jobs?status=failed', { tenantId: A });
      expect(list.json.items[0].error.code).toBe('queue_unavailable');
    } finally {
      await flaky.close();
    }
  });
});
