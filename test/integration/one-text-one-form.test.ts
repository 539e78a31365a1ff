import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stark, startPipeline } from '../helpers/pipeline';

/**
 * Issue 11 §2: the unified schema normalizes text at its boundary, so every path sees one form — the API,
 * the dry run, a queue message from an outside producer, and a retry of a stored job.
 */

let p: Awaited<ReturnType<typeof startPipeline>>;
const T = 'tenant-text';
const siigo = { 'x-erp': 'siigo', 'x-connection': 'main' };
const nfd = (s: string) => s.normalize('NFD');

const composed = {
  ...stark,
  name: { company: 'Señal Comunicaciones Peñalosa' },
  identification: { type: 'CC', number: '1.020.304.050' },
  email: 'ventas@señal.co',
  phones: [{ number: '300 600 3345' }],
};
const decomposed = JSON.parse(nfd(JSON.stringify(composed)));

beforeAll(async () => {
  p = await startPipeline();
  await p.tenant(T);
  const res = await p.api('PUT', '/v1/connections/main', {
    tenantId: T,
    body: {
      erp: 'siigo',
      environment: 'sandbox',
      credentials: { username: 'api@senal.co', accessKey: 'k-1' },
    },
  });
  expect(res.status).toBe(201);
});
afterAll(() => p.close());

describe('one text, one form on every path', () => {
  it('the same customer composed and decomposed under one Idempotency-Key is one job, not a conflict', async () => {
    expect(JSON.stringify(decomposed)).not.toBe(JSON.stringify(composed));
    const headers = { ...siigo, 'idempotency-key': 'text-1' };
    const first = await p.api('POST', '/v1/customers', { tenantId: T, headers, body: composed });
    const second = await p.api('POST', '/v1/customers', { tenantId: T, headers, body: decomposed });
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json.jobId).toBe(first.json.jobId);
    const job = await p.jobs.get(T, first.json.jobId);
    expect(job?.customer).toMatchObject({
      name: { company: 'Señal Comunicaciones Peñalosa' },
      identification: { type: 'CC', number: '1020304050' },
      email: 'ventas@xn--seal-hqa.co',
      phones: [{ kind: 'primary', countryCode: '57', number: '3006003345' }],
    });
  });

  it('the dry run shows the normalized values the ERP would get', async () => {
    const res = await p.api('POST', '/v1/customers?dry_run=true', {
      tenantId: T,
      headers: siigo,
      body: decomposed,
    });
    expect(res.status).toBe(200);
    expect(res.json.request.body).toMatchObject({
      name: { company: 'Señal Comunicaciones Peñalosa' },
      ident: '1020304050',
    });
  });

  it('a decomposed queue message from an outside producer is stored, hashed and run in the same form', async () => {
    await p.sendRaw({
      version: 1,
      tenantId: T,
      connectionId: 'main',
      customer: decomposed,
      idempotencyKey: 'ext-text',
    });
    await p.pump();
    const listed = await p.api('GET', '/v1/jobs?erp=siigo&limit=100', { tenantId: T });
    const ext = listed.json.items.find((j: { idempotencyKey?: string }) => j.idempotencyKey === 'ext-text');
    const job = await p.jobs.get(T, ext.jobId);
    expect(job?.customer.name.company).toBe('Señal Comunicaciones Peñalosa');
    expect(job?.customer.email).toBe('ventas@xn--seal-hqa.co');
    const accepted = await p.api('POST', '/v1/customers', { tenantId: T, headers: siigo, body: composed });
    const viaApi = await p.runUntilFinal(T, accepted.json.jobId);
    expect(job?.customer).toEqual(viaApi?.customer);
  });

  it('a retry re-validates the stored job unchanged', async () => {
    p.erp.createScript.push({
      kind: 'invalid',
      upstream: { erp: 'siigo', status: 400, message: 'rejected' },
    });
    const res = await p.api('POST', '/v1/customers', { tenantId: T, headers: siigo, body: decomposed });
    const failed = await p.runUntilFinal(T, res.json.jobId);
    expect(failed?.status).toBe('failed');
    const retry = await p.api('POST', `/v1/jobs/${res.json.jobId}/retry`, { tenantId: T });
    expect(retry.status).toBe(202);
    const done = await p.runUntilFinal(T, res.json.jobId);
    expect(done?.status).toBe('succeeded');
    expect(done?.customer).toEqual(failed?.customer);
  });
});
