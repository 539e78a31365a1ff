import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stark, startPipeline } from '../helpers/pipeline';

let p: Awaited<ReturnType<typeof startPipeline>>;
const A = 'tenant-a';
const siigo = { 'x-erp': 'siigo', 'x-connection': 'main' };

beforeAll(async () => {
  p = await startPipeline({ tenantRateLimitPerMinute: 1000 });
  await p.api('PUT', '/v1/connections/main', {
    tenantId: A,
    body: {
      erp: 'siigo',
      environment: 'production',
      credentials: { username: 'api@stark.co', accessKey: 'k-123' },
    },
  });
});
afterAll(() => p.close());

function expectEnvelope(
  res: { status: number; json: { error: Record<string, unknown> } },
  status: number,
  code: string,
) {
  expect(res.status).toBe(status);
  expect(res.json.error).toMatchObject({
    code,
    retryable: expect.any(Boolean),
    requestId: expect.any(String),
  });
  expect(typeof res.json.error.message).toBe('string');
}

describe('the error envelope, for every documented status', () => {
  it('400 malformed JSON', async () => {
    expectEnvelope(
      await p.api('POST', '/v1/customers', { tenantId: A, headers: siigo, body: '{"personType":' }),
      400,
      'malformed_json',
    );
  });

  it('401 without a tenant (no or unknown API key)', async () => {
    expectEnvelope(await p.api('GET', '/v1/jobs'), 401, 'unauthorized');
    expectEnvelope(
      await p.api('POST', '/v1/customers', { headers: siigo, body: stark }),
      401,
      'unauthorized',
    );
  });

  it('404 unknown job, connection, route', async () => {
    expectEnvelope(
      await p.api('GET', '/v1/jobs/7d444840-9dc0-11d1-b245-5ffdce74fad2', { tenantId: A }),
      404,
      'not_found',
    );
    expectEnvelope(await p.api('GET', '/v1/jobs/not-a-uuid', { tenantId: A }), 404, 'not_found');
    expectEnvelope(await p.api('GET', '/v1/connections/nope', { tenantId: A }), 404, 'not_found');
    expectEnvelope(await p.api('GET', '/v2/anything', { tenantId: A }), 404, 'not_found');
  });

  it('409 environment conflict: x-testing contradicts the pinned connection', async () => {
    const res = await p.api('POST', '/v1/customers', {
      tenantId: A,
      headers: { ...siigo, 'x-testing': 'true' },
      body: stark,
    });
    expectEnvelope(res, 409, 'environment_conflict');
    expect(res.json.error.details[0].pointer).toBe('/headers/x-testing');
    const ok = await p.api('POST', '/v1/customers', {
      tenantId: A,
      headers: { ...siigo, 'x-testing': 'false' },
      body: stark,
    });
    expect(ok.status).toBe(202);
  });

  it('413 too large', async () => {
    const res = await p.api('POST', '/v1/customers', {
      tenantId: A,
      headers: siigo,
      body: { ...stark, notes: 'x'.repeat(70_000) },
    });
    expectEnvelope(res, 413, 'payload_too_large');
  });

  it('415 not JSON', async () => {
    const res = await p.api('POST', '/v1/customers', {
      tenantId: A,
      headers: { ...siigo, 'content-type': 'text/plain' },
      body: JSON.stringify(stark),
    });
    expectEnvelope(res, 415, 'unsupported_media_type');
  });

  it('422 validation names the field with a JSON pointer', async () => {
    const res = await p.api('POST', '/v1/customers', {
      tenantId: A,
      headers: siigo,
      body: {
        ...stark,
        identification: { type: 'NIT', number: '900373913', checkDigit: '7' },
        colour: 'red',
      },
    });
    expectEnvelope(res, 422, 'validation_failed');
    expect(res.json.error.details.map((d: { pointer: string }) => d.pointer).sort()).toEqual([
      '/colour',
      '/identification/checkDigit',
    ]);
    const dv = await p.api('POST', '/v1/customers', {
      tenantId: A,
      headers: siigo,
      body: { ...stark, identification: { type: 'NIT', number: '900373913', checkDigit: '7' } },
    });
    expect(dv.json.error.details[0]).toMatchObject({ pointer: '/identification/checkDigit' });
  });

  it("422 for the ERP's own requirements, checked before anything is queued", async () => {
    const { identification: _omit, ...noId } = stark;
    const before = (await p.api('GET', '/v1/jobs?limit=100', { tenantId: A })).json.items.length;
    const res = await p.api('POST', '/v1/customers', { tenantId: A, headers: siigo, body: noId });
    expectEnvelope(res, 422, 'validation_failed');
    expect(res.json.error.details[0]).toMatchObject({ pointer: '/identification', code: 'required' });
    expect((await p.api('GET', '/v1/jobs?limit=100', { tenantId: A })).json.items.length).toBe(before);
  });

  it('400 for a missing or unknown x-erp, and for missing credentials', async () => {
    const noErp = await p.api('POST', '/v1/customers', {
      tenantId: A,
      headers: { 'x-connection': 'main' },
      body: stark,
    });
    expectEnvelope(noErp, 400, 'required');
    expect(noErp.json.error.details[0].pointer).toBe('/headers/x-erp');
    expectEnvelope(
      await p.api('POST', '/v1/customers', { tenantId: A, headers: { 'x-erp': 'sap' }, body: stark }),
      400,
      'unsupported_erp',
    );
    expectEnvelope(
      await p.api('POST', '/v1/customers', { tenantId: A, headers: { 'x-erp': 'siigo' }, body: stark }),
      400,
      'required',
    );
  });

  it('405 for a known path with the wrong method', async () => {
    expectEnvelope(await p.api('DELETE', '/v1/customers', { tenantId: A }), 405, 'method_not_allowed');
  });

  it('429 when the tenant exceeds its request budget, with Retry-After', async () => {
    // The budget counts per clock minute: a clock mid-minute keeps a real minute's turn out of the test.
    const midMinute = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 30_000);
    const tight = await startPipeline({ tenantRateLimitPerMinute: 2, now: () => midMinute });
    try {
      const codes = [];
      for (let i = 0; i < 3; i++)
        codes.push((await tight.api('GET', '/v1/jobs', { tenantId: 'busy' })).status);
      expect(codes).toEqual([200, 200, 429]);
      const res = await tight.api('GET', '/v1/jobs', { tenantId: 'busy' });
      expectEnvelope(res, 429, 'throttled');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(res.json.error.retryable).toBe(true);
    } finally {
      await tight.close();
    }
  });
});

describe('inline credentials and dry runs', () => {
  it('stores Konvex inline credentials as a connection and names it; the next call can use x-connection', async () => {
    const headers = { 'x-erp': 'Siigo', username: 'api@wayne.co', apikey: 'inline-secret-1' };
    const res = await p.api('POST', '/v1/customers', { tenantId: A, headers, body: stark });
    expect(res.status).toBe(202);
    expect(res.json.connectionId).toMatch(/^inline-siigo-sandbox-[0-9a-f]{16}$/);
    expect(res.json.environment).toBe('sandbox');
    expect(JSON.stringify(res.json)).not.toContain('inline-secret-1');
    const conn = await p.api('GET', `/v1/connections/${res.json.connectionId}`, { tenantId: A });
    expect(conn.json).toMatchObject({ erp: 'siigo', inline: true, environment: 'sandbox' });
    expect(JSON.stringify(conn.json)).not.toContain('inline-secret-1');
    const reuse = await p.api('POST', '/v1/customers', {
      tenantId: A,
      headers: { 'x-erp': 'siigo', 'x-connection': res.json.connectionId },
      body: stark,
    });
    expect(reuse.status).toBe(202);
    expect(
      (
        await p.api('POST', '/v1/customers', {
          tenantId: A,
          headers: { ...headers, 'x-connection': 'main' },
          body: stark,
        })
      ).status,
    ).toBe(400);
  });

  it('dry run returns the native request, queues nothing and shows no credential', async () => {
    const before = (await p.api('GET', '/v1/jobs?limit=100', { tenantId: A })).json.items.length;
    const res = await p.api('POST', '/v1/customers?dry_run=true', {
      tenantId: A,
      headers: siigo,
      body: stark,
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      dryRun: true,
      erp: 'siigo',
      request: { method: 'POST', url: 'https://erp.example/customers', body: { ident: '900373913' } },
    });
    expect(JSON.stringify(res.json)).not.toContain('k-123');
    expect((await p.api('GET', '/v1/jobs?limit=100', { tenantId: A })).json.items.length).toBe(before);
  });

  it('connections: verify=true proves credentials upstream before storing; listing shows no secret', async () => {
    const bad = await p.api('PUT', '/v1/connections/bad?verify=true', {
      tenantId: A,
      body: { erp: 'siigo', environment: 'sandbox', credentials: { username: 'u', accessKey: 'bad' } },
    });
    expectEnvelope(bad, 422, 'credentials_rejected');
    expect((await p.api('GET', '/v1/connections/bad', { tenantId: A })).status).toBe(404);
    const good = await p.api('PUT', '/v1/connections/good?verify=true', {
      tenantId: A,
      body: {
        erp: 'siigo',
        environment: 'sandbox',
        credentials: { username: 'u', accessKey: 'fine-secret' },
      },
    });
    expect(good.status).toBe(201);
    expect(good.json.verified).toBe(true);
    const invalid = await p.api('PUT', '/v1/connections/x', {
      tenantId: A,
      body: { erp: 'siigo', environment: 'sandbox', credentials: { username: 'u' } },
    });
    expectEnvelope(invalid, 422, 'validation_failed');
    expect(invalid.json.error.details[0].pointer).toBe('/credentials/accessKey');
    const list = await p.api('GET', '/v1/connections', { tenantId: A });
    expect(list.json.items.map((c: { connectionId: string }) => c.connectionId)).toContain('good');
    expect(JSON.stringify(list.json)).not.toContain('fine-secret');
    expect((await p.api('DELETE', '/v1/connections/good', { tenantId: A })).status).toBe(204);
    expect((await p.api('DELETE', '/v1/connections/good', { tenantId: A })).status).toBe(404);
  });

  it('GET /v1/erps lists capabilities and the credentials schema; /health is public', async () => {
    const erps = await p.api('GET', '/v1/erps', { tenantId: A });
    expect(erps.json.items[0]).toMatchObject({ erp: 'siigo', capabilities: { inlineCredentials: true } });
    expect(erps.json.items[0].credentials.required).toEqual(['username', 'accessKey']);
    expect((await p.api('GET', '/health')).json).toEqual({ status: 'ok' });
  });
});

describe('errors in the order a user fixes them', () => {
  const invalidBody = { personType: 'company' }; // no name: 422 if the headers were fine

  it.each([
    ['no x-erp', '/v1/customers', { 'x-connection': 'main' }, 'required', '/headers/x-erp'],
    [
      'both credentials',
      '/v1/customers',
      { ...siigo, username: 'u@x.co', apikey: 'k' },
      'ambiguous_credentials',
      '/headers/x-connection',
    ],
    ['no credentials', '/v1/customers/dry-run', { 'x-erp': 'siigo' }, 'required', '/headers/x-connection'],
    ['a bad x-testing', '/v1/customers', { ...siigo, 'x-testing': 'maybe' }, 'invalid', '/headers/x-testing'],
  ])('header problems come before body validation: %s', async (_case, path, headers, code, pointer) => {
    const res = await p.api('POST', path, { tenantId: A, headers, body: invalidBody });
    expectEnvelope(res, 400, code);
    expect(res.json.error.details[0].pointer).toBe(pointer);
  });

  it('a malformed x-connection says the rule, as the path parameter does', async () => {
    const res = await p.api('POST', '/v1/customers', {
      tenantId: A,
      headers: { 'x-erp': 'siigo', 'x-connection': '../other-tenant' },
      body: stark,
    });
    expectEnvelope(res, 400, 'invalid');
    expect(res.json.error.details[0].pointer).toBe('/headers/x-connection');
    expect(res.json.error.details[0].message).toContain('letters, digits, _ and -, at most 64');
  });

  it('with the headers right, the body is validated next', async () => {
    expectEnvelope(
      await p.api('POST', '/v1/customers', { tenantId: A, headers: siigo, body: invalidBody }),
      422,
      'validation_failed',
    );
  });

  it('POST /v1/customers/dry-run answers like ?dry_run=true, and queues nothing', async () => {
    const before = (await p.api('GET', '/v1/jobs?limit=100', { tenantId: A })).json.items.length;
    const alias = await p.api('POST', '/v1/customers?dry_run=true', {
      tenantId: A,
      headers: siigo,
      body: stark,
    });
    const own = await p.api('POST', '/v1/customers/dry-run', { tenantId: A, headers: siigo, body: stark });
    expect(own.status).toBe(200);
    expect(own.json).toEqual(alias.json);
    expect(own.json.dryRun).toBe(true);
    expect((await p.api('GET', '/v1/jobs?limit=100', { tenantId: A })).json.items.length).toBe(before);
  });

  it('GET /v1/jobs?erp= takes ERP names case-insensitively, as x-erp does', async () => {
    const made = await p.api('POST', '/v1/customers', { tenantId: A, headers: siigo, body: stark });
    expect(made.status).toBe(202);
    const lower = await p.api('GET', '/v1/jobs?erp=siigo&limit=100', { tenantId: A });
    const mixed = await p.api('GET', '/v1/jobs?erp=Siigo&limit=100', { tenantId: A });
    expect(mixed.status).toBe(200);
    expect(lower.json.items.length).toBeGreaterThan(0);
    expect(mixed.json.items.map((j: { jobId: string }) => j.jobId)).toEqual(
      lower.json.items.map((j: { jobId: string }) => j.jobId),
    );
    const unknown = await p.api('GET', '/v1/jobs?erp=sap', { tenantId: A });
    expectEnvelope(unknown, 400, 'invalid_query_parameter');
    expect(unknown.json.error.details[0].pointer).toBe('/query/erp');
  });

  it('x-connection: demo-<erp> from a tenant that has none says where demo connections live', async () => {
    const res = await p.api('POST', '/v1/customers', {
      tenantId: A,
      headers: { 'x-erp': 'siigo', 'x-connection': 'demo-siigo' },
      body: stark,
    });
    expectEnvelope(res, 404, 'connection_not_found');
    expect(res.json.error.details).toEqual([expect.objectContaining({ pointer: '/headers/x-connection' })]);
    expect(res.json.error.message).toContain('local demo tenant');
    expect(res.json.error.message).toContain('.data/local-api-key');
    const other = await p.api('POST', '/v1/customers', {
      tenantId: A,
      headers: { 'x-erp': 'siigo', 'x-connection': 'nope' },
      body: stark,
    });
    expect(other.json.error.message).not.toContain('demo');
  });
});

describe('what a client did not mean is refused, never guessed', () => {
  const jobCount = async () => (await p.jobs.list(A, { limit: 100 })).items.length;

  it('bytes that are not UTF-8 are a 400, not a customer named with U+FFFD', async () => {
    const before = await jobCount();
    const bytes = Buffer.concat([
      Buffer.from('{"personType":"company","name":{"company":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(' Utf Stark"},"identification":{"type":"NIT","number":"900373913"}}'),
    ]);
    const res = await p.api('POST', '/v1/customers', { tenantId: A, headers: siigo, body: bytes });
    expectEnvelope(res, 400, 'malformed_json');
    expect(res.json.error.message).toContain('UTF-8');
    // An encoded surrogate (CESU-8) is not UTF-8 either.
    const cesu = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]);
    expectEnvelope(
      await p.api('POST', '/v1/customers', { tenantId: A, headers: siigo, body: cesu }),
      400,
      'malformed_json',
    );
    expect(await jobCount()).toBe(before);
  });

  it('text already damaged (U+FFFD) and another charset are refused at the field and the header', async () => {
    const damaged = await p.api('POST', '/v1/customers', {
      tenantId: A,
      headers: siigo,
      body: { ...stark, name: { company: 'Stark \uFFFD Industries' } },
    });
    expectEnvelope(damaged, 422, 'validation_failed');
    expect(damaged.json.error.details[0]).toMatchObject({
      pointer: '/name/company',
      code: 'invalid_characters',
    });
    const utf16 = await p.api('POST', '/v1/customers', {
      tenantId: A,
      headers: { ...siigo, 'content-type': 'application/json; charset=utf-16' },
      body: stark,
    });
    expectEnvelope(utf16, 415, 'unsupported_media_type');
    expect(utf16.json.error.details[0].pointer).toBe('/headers/content-type');
    const utf8 = await p.api('POST', '/v1/customers/dry-run', {
      tenantId: A,
      headers: { ...siigo, 'content-type': 'application/json; charset="UTF-8"' },
      body: stark,
    });
    expect(utf8.status).toBe(200);
  });

  it('erpFields.__proto__ is a 422 at the field, not silently dropped', async () => {
    const res = await p.api('POST', '/v1/customers/dry-run', {
      tenantId: A,
      headers: siigo,
      body: `{"personType":"company","name":{"company":"P"},"identification":{"type":"NIT","number":"900373913"},"erpFields":{"__proto__":{"id_type":"13"}}}`,
    });
    expectEnvelope(res, 422, 'validation_failed');
    expect(res.json.error.details.map((d: { pointer: string }) => d.pointer)).toContain(
      '/erpFields/__proto__',
    );
  });

  it.each([
    ['X-Idempotency-Key', 'idempotency-key'],
    ['Idempotency_Key', 'idempotency-key'],
    ['idempotencykey', 'idempotency-key'],
    ['x-testng', 'x-testing'],
    ['x-callback-ur', 'x-callback-url'],
    ['x-conection', 'x-connection'],
    ['x-erps', 'x-erp'],
    ['prefr', 'prefer'],
  ])('a misspelt %s is a 400 naming %s, and nothing is created', async (sent, meant) => {
    const before = await jobCount();
    const res = await p.api('POST', '/v1/customers', {
      tenantId: A,
      headers: { ...siigo, [sent]: 'false' },
      body: stark,
    });
    expectEnvelope(res, 400, 'unknown_header');
    expect(res.json.error.details[0].pointer).toBe(`/headers/${sent.toLowerCase()}`);
    expect(res.json.error.message).toContain(meant);
    expect(await jobCount()).toBe(before);
  });

  it("HTTP's and proxies' own headers are not taken for misspellings", async () => {
    const res = await p.api('POST', '/v1/customers/dry-run', {
      tenantId: A,
      headers: {
        ...siigo,
        connection: 'keep-alive',
        'x-forwarded-for': '203.0.113.9',
        'x-amzn-trace-id': 'Root=1-5f84c7a5-1234567890abcdef12345678',
        'x-request-id': 'r-1',
        'x-api-key': 'irrelevant',
        prefer: 'respond-async',
      },
      body: stark,
    });
    expect(res.status).toBe(200);
  });

  it('a job id in upper case names the same job (RFC 9562: UUIDs are read case-insensitively)', async () => {
    const made = await p.api('POST', '/v1/customers', { tenantId: A, headers: siigo, body: stark });
    const upper = await p.api('GET', `/v1/jobs/${made.json.jobId.toUpperCase()}`, { tenantId: A });
    expect(upper.status).toBe(200);
    expect(upper.json.jobId).toBe(made.json.jobId);
  });

  it('?limit= takes decimal digits only', async () => {
    for (const limit of ['0x10', '1e2', '%2010', '10.0', '-1', '101']) {
      const res = await p.api('GET', `/v1/jobs?limit=${limit}`, { tenantId: A });
      expectEnvelope(res, 400, 'invalid_query_parameter');
      expect(res.json.error.details[0].pointer).toBe('/query/limit');
    }
    expect((await p.api('GET', '/v1/jobs?limit=100', { tenantId: A })).status).toBe(200);
  });
});
