import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stark, startPipeline } from '../helpers/pipeline';

/**
 * Issue 12 §4 (query strings) and §5 (cursors): an operator's typo in a query string is a 400 naming the
 * parameter, never ignored — `?dry_run=1` must not create a real customer — and a forged or altered cursor is
 * a 422 invalid_cursor, never a 500.
 */

let p: Awaited<ReturnType<typeof startPipeline>>;
const A = 'tenant-typos';
const siigo = { 'x-erp': 'siigo', 'x-connection': 'main' };

beforeAll(async () => {
  p = await startPipeline();
  await p.api('PUT', '/v1/connections/main', {
    tenantId: A,
    body: { erp: 'siigo', environment: 'sandbox', credentials: { username: 'u', accessKey: 'k-typos-1' } },
  });
});
afterAll(() => p.close());

describe('POST /v1/customers: dry_run is true or false, nothing else', () => {
  it.each([
    ['?dry_run=1', '/query/dry_run', 'invalid_query_parameter'],
    ['?dry_run', '/query/dry_run', 'invalid_query_parameter'],
    ['?dry_run=TRUE', '/query/dry_run', 'invalid_query_parameter'],
    ['?dry_run=yes', '/query/dry_run', 'invalid_query_parameter'],
    ['?dry_run=true&dry_run=false', '/query/dry_run', 'invalid_query_parameter'],
    ['?dryRun=true', '/query/dryRun', 'unknown_query_parameter'],
    ['?foo=bar', '/query/foo', 'unknown_query_parameter'],
  ])('%s → 400 at %s, and no customer is created', async (query, pointer, code) => {
    const r = await p.api('POST', `/v1/customers${query}`, { tenantId: A, headers: siigo, body: stark });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ code, details: [{ pointer, code }] });
    expect(await p.pump()).toBe(0);
    expect(p.erp.creates).toEqual([]);
    expect((await p.api('GET', '/v1/jobs', { tenantId: A })).json.items).toEqual([]);
  });

  it('?dry_run=true previews, ?dry_run=false queues', async () => {
    const dry = await p.api('POST', '/v1/customers?dry_run=true', {
      tenantId: A,
      headers: siigo,
      body: stark,
    });
    expect(dry.status).toBe(200);
    expect(dry.json.dryRun).toBe(true);
    const real = await p.api('POST', '/v1/customers?dry_run=false', {
      tenantId: A,
      headers: siigo,
      body: stark,
    });
    expect(real.status).toBe(202);
    expect((await p.runUntilFinal(A, real.json.jobId))?.status).toBe('succeeded');
  });
});

describe('every route validates its query string', () => {
  it.each([
    ['GET', '/health?verbose=1', '/query/verbose'],
    ['GET', '/v1/jobs?statuss=failed', '/query/statuss'],
    ['GET', '/v1/jobs?limit=0', '/query/limit'],
    ['GET', '/v1/jobs?limit=ten', '/query/limit'],
    ['GET', '/v1/jobs?status=done', '/query/status'],
    ['GET', '/v1/jobs?erp=sap', '/query/erp'],
    ['GET', '/v1/jobs/7d444840-9dc0-11d1-b245-5ffdce74fad2?expand=history', '/query/expand'],
    ['GET', '/v1/jobs/7d444840-9dc0-11d1-b245-5ffdce74fad2?wait=ten', '/query/wait'],
    ['GET', '/v1/jobs/7d444840-9dc0-11d1-b245-5ffdce74fad2?wiat=10', '/query/wiat'],
    ['POST', '/v1/jobs/7d444840-9dc0-11d1-b245-5ffdce74fad2/retry?force=true', '/query/force'],
    ['POST', '/v1/customers/batch?dry_run=true', '/query/dry_run'],
    ['POST', '/v1/customers/batch/dry-run?x=1', '/query/x'],
    ['GET', '/v1/batches/7d444840-9dc0-11d1-b245-5ffdce74fad2?limt=2', '/query/limt'],
    ['GET', '/v1/batches/7d444840-9dc0-11d1-b245-5ffdce74fad2?limit=0', '/query/limit'],
    ['GET', '/v1/connections/main/options?refresh=1', '/query/refresh'],
    ['GET', '/v1/connections/main/options?refesh=true', '/query/refesh'],
    ['GET', '/v1/connections?erp=siigo', '/query/erp'],
    ['GET', '/v1/connections/main?reveal=true', '/query/reveal'],
    ['PUT', '/v1/connections/other?verify=1', '/query/verify'],
    ['PUT', '/v1/connections/other?verfy=true', '/query/verfy'],
    ['DELETE', '/v1/connections/main?force=true', '/query/force'],
    ['GET', '/v1/erps?all', '/query/all'],
    ['GET', '/v1/erps/siigo/customer-schema?format=yaml', '/query/format'],
    ['GET', '/v1/webhook?x=1', '/query/x'],
    ['PUT', '/v1/webhook?x=1', '/query/x'],
    ['DELETE', '/v1/webhook?x=1', '/query/x'],
    ['POST', '/v1/webhook/secret?x=1', '/query/x'],
  ])('%s %s → 400 at %s, nothing done', async (method, path, pointer) => {
    const body =
      method === 'PUT' && path.startsWith('/v1/connections')
        ? { erp: 'siigo', environment: 'sandbox', credentials: { username: 'u', accessKey: 'k-typos-2' } }
        : method === 'PUT'
          ? {}
          : undefined;
    const r = await p.api(method, path, { tenantId: A, body });
    expect(r.status).toBe(400);
    expect(r.json.error.details[0].pointer).toBe(pointer);
    expect((await p.api('GET', '/v1/connections/main', { tenantId: A })).status).toBe(200);
    expect((await p.api('GET', '/v1/connections/other', { tenantId: A })).status).toBe(404);
  });
});

describe('GET /v1/jobs cursors (issue 12 §5)', () => {
  const b64 = (v: unknown) =>
    Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
  const id = '7d444840-9dc0-41d1-b245-5ffdce74fad2';
  const good = { pk: `T#${A}`, sk: `JOB#${id}`, gsi1pk: `T#${A}`, gsi1sk: `2024-05-01T10:00:00.000Z#${id}` };

  it('a real cursor pages on', async () => {
    for (let i = 0; i < 2; i++) {
      await p.api('POST', '/v1/customers', { tenantId: A, headers: siigo, body: stark });
    }
    const first = await p.api('GET', '/v1/jobs?limit=1', { tenantId: A });
    const next = await p.api('GET', `/v1/jobs?limit=1&cursor=${first.json.nextCursor}`, { tenantId: A });
    expect(next.status).toBe(200);
    expect(next.json.items[0].jobId).not.toBe(first.json.items[0].jobId);
    expect((await p.api('GET', `/v1/jobs?cursor=${b64(good)}`, { tenantId: A })).status).toBe(200);
  });

  it.each([
    ['not base64 JSON', 'bm90LWpzb24'],
    ['a JSON array', b64([1, 2])],
    ['keys missing', b64({ pk: `T#${A}`, gsi1pk: `T#${A}` })],
    ['a key of the wrong type', b64({ ...good, gsi1sk: 17 })],
    ['a DynamoDB-typed key', b64({ ...good, sk: { S: `JOB#${id}` } })],
    ['an extra attribute', b64({ ...good, status: 'failed' })],
    ['an altered sort key', b64({ ...good, gsi1sk: 'zzz' })],
    ['sort keys of two jobs', b64({ ...good, sk: 'JOB#00000000-0000-4000-8000-000000000000' })],
    ["another tenant's partition", b64({ ...good, pk: 'T#other', gsi1pk: 'T#other' })],
  ])('%s → 422 invalid_cursor at /query/cursor', async (_what, cursor) => {
    const r = await p.api('GET', `/v1/jobs?cursor=${encodeURIComponent(cursor)}`, { tenantId: A });
    expect(r.status).toBe(422);
    expect(r.json.error).toMatchObject({
      code: 'invalid_cursor',
      details: [{ pointer: '/query/cursor', code: 'invalid_cursor' }],
    });
  });
});
