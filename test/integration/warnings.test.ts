import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobIdForIdempotencyKey } from '../../shared/jobs/ids';
import { stark, startPipeline } from '../helpers/pipeline';

/**
 * Issue 11 §4: a unified field the ERP cannot hold is named in `warnings` — in the 202, in the dry run, on the
 * job (so GET /v1/jobs/{id} and the webhook carry it), and on a job a queue producer created — never dropped.
 */
let p: Awaited<ReturnType<typeof startPipeline>>;
const T = 'tenant-warn';
const headers = { 'x-erp': 'siigo', 'x-connection': 'main' };
const WEBSITE = {
  pointer: '/website',
  code: 'not_supported_by_erp',
  message: 'the scripted ERP has no website field',
};
const withWebsite = { ...stark, website: 'https://stark.example' };

beforeAll(async () => {
  p = await startPipeline();
  await p.tenant(T);
  const res = await p.api('PUT', '/v1/connections/main', {
    tenantId: T,
    body: { erp: 'siigo', environment: 'sandbox', credentials: { username: 'u@stark.co', accessKey: 'k-1' } },
  });
  expect(res.status).toBe(201);
});
afterAll(() => p.close());

describe('warnings', () => {
  it('the 202 names the field, the job keeps it, and the customer is still created', async () => {
    const res = await p.api('POST', '/v1/customers', { tenantId: T, headers, body: withWebsite });
    expect(res.status).toBe(202);
    expect(res.json.warnings).toEqual([WEBSITE]);
    const job = await p.runUntilFinal(T, res.json.jobId);
    expect(job).toMatchObject({ status: 'succeeded', warnings: [WEBSITE] });
    const got = await p.api('GET', `/v1/jobs/${res.json.jobId}`, { tenantId: T });
    expect(got.json.warnings).toEqual([WEBSITE]);
  });

  it('nothing to say is an empty list in the 202 and no warnings on the job', async () => {
    const res = await p.api('POST', '/v1/customers', { tenantId: T, headers, body: stark });
    expect(res.json.warnings).toEqual([]);
    const got = await p.api('GET', `/v1/jobs/${res.json.jobId}`, { tenantId: T });
    expect(got.json).not.toHaveProperty('warnings');
  });

  it('an idempotent replay answers the same warnings', async () => {
    const h = { ...headers, 'idempotency-key': 'warn-replay-1' };
    const first = await p.api('POST', '/v1/customers', { tenantId: T, headers: h, body: withWebsite });
    const again = await p.api('POST', '/v1/customers', { tenantId: T, headers: h, body: withWebsite });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json.warnings).toEqual(first.json.warnings);
    expect(again.json.warnings).toEqual([WEBSITE]);
  });

  it('the dry run names it next to the native request', async () => {
    const res = await p.api('POST', '/v1/customers?dry_run=true', {
      tenantId: T,
      headers,
      body: withWebsite,
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ dryRun: true, warnings: [WEBSITE] });
  });

  it('a job a queue producer created carries them too (no 202 to say it)', async () => {
    await p.sendRaw({
      version: 1,
      tenantId: T,
      connectionId: 'main',
      customer: withWebsite,
      idempotencyKey: 'warn-queue-1',
    });
    await p.pump();
    const jobId = jobIdForIdempotencyKey(T, 'warn-queue-1');
    const job = await p.runUntilFinal(T, jobId);
    expect(job).toMatchObject({ status: 'succeeded', source: 'queue', warnings: [WEBSITE] });
  });
});
