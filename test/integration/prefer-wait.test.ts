import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stark, startPipeline } from '../helpers/pipeline';

/**
 * Synchronous answers (issue 16 §1, RFC 7240): the create records and queues the job exactly as before, then
 * waits for it. The worker runs beside the waiting request here (`pumpWhile`), as it does on AWS.
 */
let p: Awaited<ReturnType<typeof startPipeline>>;
const A = 'tenant-wait';
const siigo = { 'x-erp': 'siigo', 'x-connection': 'main' };

/** Runs the worker until `call` answers, so the waiting request can see its job finish. */
async function pumpWhile<T>(call: Promise<T>): Promise<T> {
  let done = false;
  const result = call.finally(() => {
    done = true;
  });
  while (!done) await p.pump(undefined, undefined, 0);
  return result;
}

beforeAll(async () => {
  p = await startPipeline();
  await p.tenant(A);
  const put = await p.api('PUT', '/v1/connections/main', {
    tenantId: A,
    body: {
      erp: 'siigo',
      environment: 'sandbox',
      credentials: { username: 'w@stark.co', accessKey: 'k-wait' },
    },
  });
  expect(put.status).toBe(201);
});
afterAll(() => p.close());
beforeEach(() => {
  p.erp.createScript.length = 0;
});

describe('Prefer: wait on POST /v1/customers', () => {
  it('answers 201 with the succeeded job and its erpCustomerId, Preference-Applied: wait=N', async () => {
    const res = await pumpWhile(
      p.api('POST', '/v1/customers', { tenantId: A, headers: { ...siigo, prefer: 'wait=10' }, body: stark }),
    );
    expect(res.status).toBe(201);
    expect(res.headers['preference-applied']).toBe('wait=10');
    expect(res.headers.location).toBe(`/v1/jobs/${res.json.jobId}`);
    expect(res.json).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(res.json.erpCustomerId).toMatch(/^erp-/);
  });

  it('answers 200 with a failed job and its normalized error (the request itself succeeded)', async () => {
    p.erp.createScript.push({
      kind: 'invalid',
      upstream: { erp: 'siigo', status: 400, code: 'invalid_reference', message: 'seller 9 does not exist' },
    });
    const res = await pumpWhile(
      p.api('POST', '/v1/customers', { tenantId: A, headers: { ...siigo, prefer: 'wait=10' }, body: stark }),
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      status: 'failed',
      error: { code: 'upstream_rejected', upstream: { code: 'invalid_reference' } },
    });
  });

  it('falls back to the usual 202 with Location and Retry-After when the time runs out', async () => {
    const started = Date.now();
    const res = await p.api('POST', '/v1/customers', {
      tenantId: A,
      headers: { ...siigo, prefer: 'respond-async, wait=1' },
      body: { ...stark, name: { company: 'Nobody Works Inc' } },
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(res.status).toBe(202);
    expect(res.headers['preference-applied']).toBe('wait=1');
    expect(res.headers.location).toBe(`/v1/jobs/${res.json.jobId}`);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(res.json).toMatchObject({ status: 'queued' });
    // Recorded and queued exactly as without the preference: the worker finishes it later.
    expect((await p.runUntilFinal(A, res.json.jobId))?.status).toBe('succeeded');
  });

  it('an idempotent replay with Prefer: wait waits on the same job', async () => {
    const key = { ...siigo, 'idempotency-key': 'wait-replay-1' };
    const body = { ...stark, name: { company: 'Replay Waits SAS' } };
    const first = await p.api('POST', '/v1/customers', { tenantId: A, headers: key, body });
    expect(first.status).toBe(202);
    const again = await pumpWhile(
      p.api('POST', '/v1/customers', { tenantId: A, headers: { ...key, prefer: 'wait=10' }, body }),
    );
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json.jobId).toBe(first.json.jobId);
    expect(p.erp.creates.filter((id) => id === first.json.jobId)).toHaveLength(1);
  });

  it('caps the wait below API Gateway’s 30 s and says so; respond-async alone answers at once', async () => {
    const capped = await pumpWhile(
      p.api('POST', '/v1/customers', {
        tenantId: A,
        headers: { ...siigo, prefer: 'wait=600' },
        body: { ...stark, name: { company: 'Patient Client Ltda' } },
      }),
    );
    expect(capped.headers['preference-applied']).toBe('wait=25');
    const async = await p.api('POST', '/v1/customers', {
      tenantId: A,
      headers: { ...siigo, prefer: 'respond-async' },
      body: { ...stark, name: { company: 'Async Only SAS' } },
    });
    expect(async.status).toBe(202);
    expect(async.headers['preference-applied']).toBe('respond-async');
    await p.runUntilFinal(A, async.json.jobId);
  });

  it('a wait that is not whole seconds is a 400 naming the Prefer header; nothing is queued', async () => {
    const before = await p.queueDepth();
    const res = await p.api('POST', '/v1/customers', {
      tenantId: A,
      headers: { ...siigo, prefer: 'wait=5s' },
      body: stark,
    });
    expect(res.status).toBe(400);
    expect(res.json.error.details[0].pointer).toBe('/headers/prefer');
    expect(await p.queueDepth()).toBe(before);
  });
});

describe('GET /v1/jobs/{jobId}?wait=N', () => {
  it('answers when the job is final; a bad or misspelt wait is a 400 at /query/…', async () => {
    const res = await p.api('POST', '/v1/customers', {
      tenantId: A,
      headers: siigo,
      body: { ...stark, name: { company: 'Poll Once SAS' } },
    });
    const got = await pumpWhile(p.api('GET', `/v1/jobs/${res.json.jobId}?wait=10`, { tenantId: A }));
    expect(got.status).toBe(200);
    expect(got.json.status).toBe('succeeded');
    expect(got.headers['preference-applied']).toBe('wait=10');
    for (const q of ['wait=soon', 'wait=5s', 'wait=-1', 'wait=1.5', 'wait=', 'wait']) {
      const bad = await p.api('GET', `/v1/jobs/${res.json.jobId}?${q}`, { tenantId: A });
      expect(bad.status, q).toBe(400);
      expect(bad.json.error.details[0], q).toMatchObject({
        pointer: '/query/wait',
        code: 'invalid_query_parameter',
      });
    }
    const typo = await p.api('GET', `/v1/jobs/${res.json.jobId}?wiat=5`, { tenantId: A });
    expect(typo.status).toBe(400);
    expect(typo.json.error.details[0]).toMatchObject({
      pointer: '/query/wiat',
      code: 'unknown_query_parameter',
    });
  });
});
