import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stark, startPipeline } from '../helpers/pipeline';

/**
 * Issue 6, item 4: tenant B can never read, retry, list or use tenant A's jobs or connections — by guessing
 * ids, by naming A's connection, by replaying A's cursor or Idempotency-Key, or by a queue message that
 * names A's connection. "Not yours" and "does not exist" must look exactly alike.
 */
let p: Awaited<ReturnType<typeof startPipeline>>;
const A = 'tenant-a';
const B = 'tenant-b';
const siigo = { 'x-erp': 'siigo', 'x-connection': 'main' };
const credentialsA = { username: 'a@stark.co', accessKey: 'secret-of-tenant-a' };
const credentialsB = { username: 'b@wayne.co', accessKey: 'secret-of-tenant-b' };
/** Which credentials each create ran with, per job. */
const usedCredentials = new Map<string, unknown>();
const jobsOfA: string[] = [];
let failedJobOfA: string;

beforeAll(async () => {
  p = await startPipeline();
  const create = p.erp.adapter.create;
  p.erp.adapter.create = (customer, ctx) => {
    usedCredentials.set(ctx.jobId, ctx.connection.credentials);
    return create(customer, ctx);
  };
  await p.api('PUT', '/v1/connections/main', {
    tenantId: A,
    body: { erp: 'siigo', environment: 'sandbox', credentials: credentialsA },
  });
  await p.api('PUT', '/v1/connections/only-a', {
    tenantId: A,
    body: { erp: 'siigo', environment: 'sandbox', credentials: credentialsA },
  });
  for (let i = 0; i < 3; i++) {
    const r = await p.api('POST', '/v1/customers', {
      tenantId: A,
      headers: { ...siigo, 'idempotency-key': `order-${i}` },
      body: stark,
    });
    jobsOfA.push(r.json.jobId);
  }
  p.erp.createScript.push({ kind: 'invalid', upstream: { erp: 'siigo', status: 400, message: 'no' } });
  for (const id of jobsOfA) await p.runUntilFinal(A, id);
  failedJobOfA = jobsOfA[0] as string;
  expect((await p.jobs.get(A, failedJobOfA))?.status).toBe('failed');
});
afterAll(() => p.close());

/** The error envelope without what differs per request (its id, and the id the caller asked for). */
const shape = (r: { status: number; json: { error: Record<string, unknown> } }) => ({
  status: r.status,
  code: r.json.error.code,
  message: String(r.json.error.message).replace(/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}/g, '<id>'),
});

describe('tenant isolation: jobs', () => {
  it("reading A's job by id is the same 404 as an id that does not exist", async () => {
    const unknown = await p.api('GET', '/v1/jobs/00000000-0000-4000-8000-000000000000', { tenantId: B });
    for (const id of jobsOfA) {
      const r = await p.api('GET', `/v1/jobs/${id}`, { tenantId: B });
      expect(shape(r)).toEqual(shape(unknown));
    }
    expect(unknown.status).toBe(404);
  });

  it("retrying A's failed job is the same 404, and the job is untouched", async () => {
    const before = await p.jobs.get(A, failedJobOfA);
    const r = await p.api('POST', `/v1/jobs/${failedJobOfA}/retry`, { tenantId: B });
    const unknown = await p.api('POST', '/v1/jobs/00000000-0000-4000-8000-000000000000/retry', {
      tenantId: B,
    });
    expect(shape(r)).toEqual(shape(unknown));
    expect(await p.jobs.get(A, failedJobOfA)).toEqual(before);
  });

  it("listing shows none of A's jobs, under any filter", async () => {
    for (const q of ['', '?status=succeeded', '?status=failed', '?erp=siigo', '?limit=100']) {
      const r = await p.api('GET', `/v1/jobs${q}`, { tenantId: B });
      expect(r.status).toBe(200);
      expect(r.json.items).toEqual([]);
    }
  });

  it("A's cursor does not page through A's jobs for B", async () => {
    const page = await p.api('GET', '/v1/jobs?limit=1', { tenantId: A });
    expect(page.json.nextCursor).toBeTruthy();
    const r = await p.api('GET', `/v1/jobs?limit=1&cursor=${encodeURIComponent(page.json.nextCursor)}`, {
      tenantId: B,
    });
    expect(r.status).toBe(422);
    expect(r.json.error.details[0].pointer).toBe('/query/cursor');
    expect(JSON.stringify(r.json)).not.toContain(jobsOfA[1]);
  });

  it("B's Idempotency-Key equal to A's makes B's own job, not a replay of A's", async () => {
    await p.api('PUT', '/v1/connections/main', {
      tenantId: B,
      body: { erp: 'siigo', environment: 'sandbox', credentials: credentialsB },
    });
    const r = await p.api('POST', '/v1/customers', {
      tenantId: B,
      headers: { ...siigo, 'idempotency-key': 'order-1' },
      body: { ...stark, email: 'other@wayne.co' },
    });
    expect(r.status).toBe(202);
    expect(r.headers['idempotent-replayed']).toBeUndefined();
    expect(jobsOfA).not.toContain(r.json.jobId);
    // B's connection named "main" is B's: the create runs with B's credentials, never A's.
    await p.runUntilFinal(B, r.json.jobId);
    expect(usedCredentials.get(r.json.jobId)).toEqual(credentialsB);
    for (const id of jobsOfA.slice(1)) expect(usedCredentials.get(id)).toEqual(credentialsA);
  });
});

describe('tenant isolation: connections', () => {
  it("B cannot read, list, use or delete A's connection", async () => {
    const get = await p.api('GET', '/v1/connections/only-a', { tenantId: B });
    const missing = await p.api('GET', '/v1/connections/never-existed', { tenantId: B });
    expect(get.status).toBe(404);
    expect({ ...shape(get), message: undefined }).toEqual({ ...shape(missing), message: undefined });
    const list = await p.api('GET', '/v1/connections', { tenantId: B });
    expect(list.json.items.map((c: { connectionId: string }) => c.connectionId)).not.toContain('only-a');

    const use = await p.api('POST', '/v1/customers', {
      tenantId: B,
      headers: { 'x-erp': 'siigo', 'x-connection': 'only-a' },
      body: stark,
    });
    expect(use.status).toBe(404);
    expect(use.json.error.code).toBe('connection_not_found');

    const del = await p.api('DELETE', '/v1/connections/only-a', { tenantId: B });
    expect(del.status).toBe(404);
    expect(await p.connections.getMetadata(A, 'only-a')).toMatchObject({ connectionId: 'only-a' });
  });

  it("a queue message naming B's tenant and A's connection fails without calling the ERP", async () => {
    const jobId = '6f1c2a52-8f9a-4c43-9d0e-2b7a1b3c4d5e';
    await p.sendRaw({
      version: 1,
      jobId,
      tenantId: B,
      connectionId: 'only-a',
      customer: stark,
    });
    const job = await p.runUntilFinal(B, jobId);
    expect(job).toMatchObject({ status: 'failed', error: { code: 'connection_not_found' } });
    expect(usedCredentials.has(jobId)).toBe(false);
    expect(p.erp.creates).not.toContain(jobId);
  });

  it("a queue message naming one of A's job ids under tenant B cannot touch A's job", async () => {
    const target = jobsOfA[2] as string;
    const before = await p.jobs.get(A, target);
    await p.sendRaw({
      version: 1,
      jobId: target,
      tenantId: B,
      connectionId: 'only-a',
      customer: stark,
    });
    await p.pump();
    expect(await p.jobs.get(A, target)).toEqual(before);
    // What the message made lives under B and failed there: A's connection does not exist for B.
    expect(await p.jobs.get(B, target)).toMatchObject({
      status: 'failed',
      error: { code: 'connection_not_found' },
    });
  });
});
