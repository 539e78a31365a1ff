import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  NETSUITE_DEMO_CREDENTIALS,
  type NetSuiteSimulator,
  startNetSuiteSimulator,
} from '../../local/simulators/netsuite';
import { customerSchema, type UnifiedCustomerInput } from '../../shared/customer/schema';
import { netsuiteAdapter } from '../../shared/erps/netsuite';
import { clearNetSuiteSuccesses } from '../../shared/erps/netsuite/client';
import type { NetSuiteTbaCredentials } from '../../shared/erps/netsuite/credentials';
import { authorizationHeader } from '../../shared/erps/netsuite/oauth1';
import { createHttpClient } from '../../shared/http/upstream';
import { adapterContext } from '../helpers/adapter-context';
import { tempDir } from '../helpers/temp';

const creds = NETSUITE_DEMO_CREDENTIALS;
const parse = (c: UnifiedCustomerInput) => customerSchema.parse(c);

const stark = (extra: Partial<UnifiedCustomerInput> = {}) =>
  parse({
    personType: 'company',
    name: { company: 'Stark Industries' },
    email: 'billing@stark.co',
    phones: [{ kind: 'primary', countryCode: '57', number: '3006003345' }],
    billingAddress: { lines: ['Cra. 18 #79A - 42'], city: 'Bogotá', postalCode: '110911', country: 'CO' },
    ...extra,
  });

let sim: NetSuiteSimulator;
let base: string;
const ctxFor = (opts: { credentials?: NetSuiteTbaCredentials; jobId?: string; timeoutMs?: number } = {}) =>
  adapterContext(netsuiteAdapter, {
    credentials: opts.credentials ?? creds,
    endpoints: { base },
    jobId: opts.jobId,
    timeoutMs: opts.timeoutMs ?? 2000,
  });

beforeAll(async () => {
  sim = await startNetSuiteSimulator();
  // Like NETSUITE_BASE_URL in the local stack: the account's host form goes where the real host has it.
  base = `${sim.url}/{accountId}`;
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.reset();
  clearNetSuiteSuccesses();
});

describe('NetSuite create (eid upsert)', () => {
  it('creates → 204 + Location → created with the internal id', async () => {
    const ctx = ctxFor();
    const out = await netsuiteAdapter.create(stark({ externalId: 'CRM-1' }), ctx);
    expect(out).toEqual({ kind: 'created', erpCustomerId: expect.stringMatching(/^\d+$/) });
    const [c] = sim.customers();
    expect(sim.customers()).toHaveLength(1);
    expect(c).toMatchObject({
      id: out.kind === 'created' ? out.erpCustomerId : '',
      externalId: 'CRM-1',
      companyName: 'Stark Industries',
      isPerson: false,
      subsidiary: { id: '1' },
      phone: '+57 300 6003345',
    });
    expect(sim.calls.map((k) => [k.method, k.path, k.status])).toEqual([
      ['PUT', '/1234567-sb1/services/rest/record/v1/customer/eid:CRM-1', 204],
    ]);
  });

  it('sends exactly what buildCreateRequest returns', async () => {
    const ctx = ctxFor({ jobId: 'job-exact' });
    const customer = stark();
    const req = netsuiteAdapter.buildCreateRequest(customer, ctx);
    await netsuiteAdapter.create(customer, ctx);
    const [c] = sim.customers();
    const { id, account, entityId, dateCreated, lastModifiedDate, ...stored } = c ?? {};
    expect(stored).toEqual(req.body);
    expect(new URL(req.url).pathname).toBe(sim.calls[0]?.path);
  });

  it('reuses the credentials: each call is signed afresh, no token round-trip, a replayed signature is refused', async () => {
    const ctx = ctxFor();
    expect((await netsuiteAdapter.create(stark({ externalId: 'A-1' }), ctx)).kind).toBe('created');
    expect((await netsuiteAdapter.create(stark({ externalId: 'A-2' }), ctx)).kind).toBe('created');
    expect(sim.calls.map((c) => c.status)).toEqual([204, 204]);

    // The same Authorization header twice: NetSuite refuses a reused nonce.
    const http = createHttpClient({ defaultTimeoutMs: 2000 });
    const url = `${sim.url}/1234567-sb1/services/rest/record/v1/customer?limit=1`;
    const auth = authorizationHeader('GET', url, creds, { realm: creds.accountId });
    const first = await http.request({ method: 'GET', url, headers: { Authorization: auth } });
    const replay = await http.request({ method: 'GET', url, headers: { Authorization: auth } });
    expect([first.status, replay.status]).toEqual([200, 401]);
  });

  it('upserts: a second attempt of the same job updates the record instead of creating another', async () => {
    const ctx = ctxFor({ jobId: 'job-twice' });
    const a = await netsuiteAdapter.create(stark(), ctx);
    const b = await netsuiteAdapter.create(stark(), ctx);
    expect(b).toEqual(a);
    expect(sim.customers()).toHaveLength(1);
    expect(sim.customers()[0]?.externalId).toBe('erpb-job-twice');
    expect(sim.upsertUpdates()).toBe(1);
  });
});

describe('NetSuite auth', () => {
  it('wrong token secret → 401 INVALID_LOGIN → auth, after one fresh re-sign', async () => {
    const ctx = ctxFor({ credentials: { ...creds, tokenSecret: 'not-the-token-secret' } });
    const out = await netsuiteAdapter.create(stark(), ctx);
    expect(out).toMatchObject({
      kind: 'auth',
      upstream: { erp: 'netsuite', status: 401, code: 'INVALID_LOGIN' },
    });
    // Re-signed and retried with growing waits (NetSuite also says INVALID_LOGIN under concurrency), then auth.
    expect(sim.calls.map((c) => c.status)).toEqual([401, 401, 401, 401]);
    expect(sim.customers()).toHaveLength(0);
    expect(JSON.stringify(out)).not.toContain('not-the-token-secret');
  });

  it('INVALID_LOGIN under concurrency (issue 11 §5): retried with backoff, both customers created', async () => {
    const busy = await startNetSuiteSimulator(
      {},
      { concurrency: 1, latencyMs: 300, invalidLoginUnderConcurrency: true },
    );
    try {
      const ctx = () =>
        adapterContext(netsuiteAdapter, {
          credentials: creds,
          endpoints: { base: `${busy.url}/{accountId}` },
        });
      const [a, b] = await Promise.all([
        netsuiteAdapter.create(stark({ externalId: 'CONC-1' }), ctx()),
        netsuiteAdapter.create(stark({ externalId: 'CONC-2' }), ctx()),
      ]);
      expect([a.kind, b.kind]).toEqual(['created', 'created']);
      expect(busy.calls.some((c) => c.status === 401)).toBe(true);
      expect(busy.customers()).toHaveLength(2);
    } finally {
      await busy.close();
    }
  });

  it('a connection whose token worked moments ago, refused on every retry → transient (retried later), not auth', async () => {
    const ctx = ctxFor({ jobId: 'job-refused' });
    expect((await netsuiteAdapter.verify(ctx)).kind).toBe('ok');
    const refused = {
      type: 'status' as const,
      status: 401,
      body: {
        title: 'Unauthorized',
        status: 401,
        'o:errorDetails': [{ detail: 'Invalid login attempt.', 'o:errorCode': 'INVALID_LOGIN' }],
      },
    };
    sim.addFaults(refused, refused, refused, refused);
    const out = await netsuiteAdapter.create(stark(), ctx);
    expect(out).toMatchObject({
      kind: 'transient',
      retryAfterMs: expect.any(Number),
      upstream: { status: 401, code: 'INVALID_LOGIN', message: expect.stringMatching(/worked \d+ s ago/) },
    });
    // Another connection with the same refusals and no success behind it: bad credentials.
    sim.addFaults(refused, refused, refused, refused);
    const fresh = adapterContext(netsuiteAdapter, {
      credentials: creds,
      endpoints: { base },
      connectionId: 'never-worked',
    });
    expect(await netsuiteAdapter.create(stark(), fresh)).toMatchObject({ kind: 'auth' });
  });

  it('a 401 with stale credentials succeeds on the reloaded ones', async () => {
    const ctx = ctxFor({ credentials: { ...creds, tokenSecret: 'stale-token-secret' } });
    ctx.connection.reloadCredentials = async () => creds;
    const out = await netsuiteAdapter.create(stark(), ctx);
    expect(out.kind).toBe('created');
    expect(sim.calls.map((c) => c.status)).toEqual([401, 204]);
  });

  it('a realm that does not match the account host → auth', async () => {
    // Same token, but the connection names another account: host 1234567-sb2, realm 1234567_SB2.
    const out = await netsuiteAdapter.create(
      stark(),
      ctxFor({ credentials: { ...creds, accountId: '1234567_SB2' } }),
    );
    expect(out.kind).toBe('auth');

    // Right host, realm in host form (the classic mistake).
    const http = createHttpClient({ defaultTimeoutMs: 2000 });
    const url = `${sim.url}/1234567-sb1/services/rest/record/v1/customer?limit=1`;
    const wrongRealm = authorizationHeader('GET', url, creds, { realm: '1234567-sb1' });
    const right = authorizationHeader('GET', url, creds, { realm: '1234567_SB1' });
    expect((await http.request({ method: 'GET', url, headers: { Authorization: wrongRealm } })).status).toBe(
      401,
    );
    expect((await http.request({ method: 'GET', url, headers: { Authorization: right } })).status).toBe(200);
  });

  it('a clock more than 5 minutes off → auth (oauth_timestamp outside the window)', async () => {
    const skewed = await startNetSuiteSimulator({}, { now: () => Date.now() + 10 * 60_000 });
    try {
      const ctx = adapterContext(netsuiteAdapter, {
        credentials: creds,
        endpoints: { base: `${skewed.url}/{accountId}` },
      });
      expect((await netsuiteAdapter.verify(ctx)).kind).toBe('auth');
    } finally {
      await skewed.close();
    }
  });

  it('HMAC-SHA1 is refused even with a correct SHA1 signature', async () => {
    const http = createHttpClient({ defaultTimeoutMs: 2000 });
    const url = `${sim.url}/1234567-sb1/services/rest/record/v1/customer?limit=1`;
    const sha1 = authorizationHeader('GET', url, creds, { realm: creds.accountId, method: 'HMAC-SHA1' });
    const res = await http.request({ method: 'GET', url, headers: { Authorization: sha1 } });
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ 'o:errorDetails': [{ 'o:errorCode': 'INVALID_LOGIN' }] });
  });
});

describe('NetSuite limits and failures', () => {
  it('over the account concurrency limit → 429 → rate_limited', async () => {
    const busy = await startNetSuiteSimulator({}, { concurrency: 1, latencyMs: 1_000 });
    try {
      const endpoints = { base: `${busy.url}/{accountId}` };
      const ctx = (jobId: string) =>
        adapterContext(netsuiteAdapter, { credentials: creds, endpoints, jobId });
      const outs = await Promise.all([
        netsuiteAdapter.create(stark(), ctx('job-c1')),
        netsuiteAdapter.create(stark(), ctx('job-c2')),
      ]);
      expect(outs.map((o) => o.kind).sort()).toEqual(['created', 'rate_limited']);
      expect(outs.find((o) => o.kind === 'rate_limited')).toMatchObject({
        upstream: { status: 429, code: 'CONCURRENCY_LIMIT_EXCEEDED' },
      });
      expect(busy.customers()).toHaveLength(1);
    } finally {
      await busy.close();
    }
  });

  it('429 with a Retry-After hint → rate_limited with retryAfterMs', async () => {
    sim.addFaults({
      type: 'status',
      status: 429,
      headers: { 'retry-after': '7' },
      body: {
        type: 'https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.30',
        title: 'Too Many Requests',
        status: 429,
        'o:errorDetails': [
          { detail: 'Concurrency limit exceeded', 'o:errorCode': 'CONCURRENCY_LIMIT_EXCEEDED' },
        ],
      },
    });
    const out = await netsuiteAdapter.create(stark(), ctxFor());
    expect(out).toMatchObject({ kind: 'rate_limited', retryAfterMs: 7000, upstream: { status: 429 } });
    expect(sim.customers()).toHaveLength(0);
  });

  it('5xx on the create → unknown (look up first); 5xx on a look-up → transient', async () => {
    const body = {
      title: 'Internal Server Error',
      status: 500,
      'o:errorDetails': [{ detail: 'An unexpected error occurred.', 'o:errorCode': 'UNEXPECTED_ERROR' }],
    };
    sim.addFaults({ type: 'status', status: 500, body, match: { method: 'PUT' } });
    expect(await netsuiteAdapter.create(stark(), ctxFor())).toMatchObject({
      kind: 'unknown',
      upstream: { status: 500, code: 'UNEXPECTED_ERROR' },
    });
    sim.addFaults({ type: 'status', status: 503, body, match: { method: 'GET' } });
    expect((await netsuiteAdapter.lookup(stark(), ctxFor())).kind).toBe('transient');
  });

  for (const fault of ['delay', 'drop'] as const) {
    it(`a ${fault} after the upsert was applied → unknown; look-up finds it; retrying leaves ONE customer`, async () => {
      const ctx = ctxFor({ jobId: `job-${fault}`, timeoutMs: 2_000 });
      sim.addFaults(fault === 'delay' ? { type: 'delay', delayMs: 20_000 } : { type: 'drop' });
      const out = await netsuiteAdapter.create(stark(), ctx);
      expect(out).toMatchObject({ kind: 'unknown', upstream: { erp: 'netsuite' } });
      expect(sim.customers()).toHaveLength(1);
      const id = sim.customers()[0]?.id;

      expect(await netsuiteAdapter.lookup(stark(), ctx)).toEqual({
        kind: 'found',
        erpCustomerId: id,
        provenBy: 'externalId',
      });
      // Even a blind retry of the same job upserts the same record.
      expect(await netsuiteAdapter.create(stark(), ctx)).toEqual({ kind: 'created', erpCustomerId: id });
      expect(sim.customers()).toHaveLength(1);
    });
  }

  it('look-up of a customer never created → not_found', async () => {
    expect(await netsuiteAdapter.lookup(stark({ externalId: 'NOPE-1' }), ctxFor())).toEqual({
      kind: 'not_found',
    });
  });
});

describe('NetSuite duplicates and validation', () => {
  // Issue 11 §1: two different customers that happen to share erpFields.entityId.
  const acme = (company: string, externalId: string) =>
    parse({ personType: 'company', name: { company }, externalId, erpFields: { entityId: 'ACME' } });

  it('a taken entityId held by another customer → duplicate → conflict at /erpFields/entityId, never adopted', async () => {
    const alpha = await netsuiteAdapter.create(acme('Acme Ltd Alpha', 'CRM-NS-A1'), ctxFor());
    expect(alpha.kind).toBe('created');
    const alphaId = alpha.kind === 'created' ? alpha.erpCustomerId : '';
    const beta = acme('Acme Ltd Beta', 'CRM-NS-B1');
    const out = await netsuiteAdapter.create(beta, ctxFor());
    expect(out).toMatchObject({ kind: 'duplicate', upstream: { status: 400, code: 'USER_ERROR' } });
    expect(out.kind === 'duplicate' && out.upstream.message).toMatch(/already exists/);
    expect(await netsuiteAdapter.lookup(beta, ctxFor())).toMatchObject({
      kind: 'conflict',
      pointer: '/erpFields/entityId',
      existingId: alphaId,
      message: expect.stringMatching(/another externalId/),
    });
    expect(sim.customers()).toHaveLength(1);
  });

  it('a taken entityId whose record carries this job’s identity (its e-mail, no external id of another) → found', async () => {
    // Entered by hand in NetSuite before the integration: entityId STARK, the same e-mail, no externalId.
    const ctx = ctxFor();
    const manual = stark({ erpFields: { entityId: 'STARK' } });
    const req = netsuiteAdapter.buildCreateRequest(manual, ctx);
    const { externalId: _none, ...body } = req.body as Record<string, unknown>;
    const url = `${sim.url}/1234567-sb1/services/rest/record/v1/customer`;
    const res = await createHttpClient().request({
      method: 'POST',
      url,
      headers: {
        'Content-Type': 'application/json',
        Authorization: authorizationHeader('POST', url, creds, { realm: creds.accountId }),
      },
      body,
    });
    expect(res.status).toBe(204);
    const [held] = sim.customers();
    expect(held?.externalId).toBeUndefined();

    const job = stark({ externalId: 'CRM-9', erpFields: { entityId: 'STARK' } });
    expect((await netsuiteAdapter.create(job, ctx)).kind).toBe('duplicate');
    expect(await netsuiteAdapter.lookup(job, ctx)).toEqual({
      kind: 'found',
      erpCustomerId: held?.id,
      provenBy: 'email',
    });
  });

  it('an unknown native field (PropertyNameValidation: Error) → invalid with the erpFields pointer', async () => {
    const out = await netsuiteAdapter.create(stark({ erpFields: { nickname: 'Tony' } }), ctxFor());
    expect(out).toMatchObject({
      kind: 'invalid',
      upstream: { status: 400, code: 'INVALID_CONTENT' },
      details: [{ pointer: '/erpFields/nickname', code: 'INVALID_CONTENT' }],
    });
  });

  it('issue 11 §4: a NEXT field that would fail late at NetSuite is refused at accept; custom and standard fields go through', async () => {
    const next = stark({ externalId: 'CRM-NS-NEXT', erpFields: { customertypeid: 1 } });
    expect(netsuiteAdapter.requirements(next).map((i) => `${i.pointer} ${i.code}`)).toEqual([
      '/erpFields/customertypeid unknown_field',
    ]);
    // What accepting it would have cost: a failed job at NetSuite.
    expect(await netsuiteAdapter.create(next, ctxFor())).toMatchObject({
      kind: 'invalid',
      details: [{ pointer: '/erpFields/customertypeid' }],
    });
    const custom = stark({
      externalId: 'CRM-NS-CUSTOM',
      erpFields: { custentity_region: 'Andina', creditLimit: 5000, terms: { id: '2' } },
    });
    expect(netsuiteAdapter.requirements(custom)).toEqual([]);
    expect(await netsuiteAdapter.create(custom, ctxFor())).toMatchObject({ kind: 'created' });
  });

  it('a subsidiary the account lacks → invalid; none at all in OneWorld → invalid "Please enter value(s)"', async () => {
    const bad = await netsuiteAdapter.create(stark({ erpFields: { subsidiary: { id: '99' } } }), ctxFor());
    expect(bad).toMatchObject({ kind: 'invalid', details: [{ pointer: '/erpFields/subsidiary' }] });
    const { subsidiaryId: _, ...noSubsidiary } = creds;
    const none = await netsuiteAdapter.create(stark(), ctxFor({ credentials: noSubsidiary }));
    expect(none).toMatchObject({ kind: 'invalid', upstream: { code: 'USER_ERROR' } });
    expect(none.kind === 'invalid' && none.upstream.message).toMatch(/Subsidiary/);
    expect(sim.customers()).toHaveLength(0);
  });
});

describe('NetSuite verify', () => {
  it('ok with the demo token', async () => {
    expect(await netsuiteAdapter.verify(ctxFor())).toMatchObject({ kind: 'ok' });
  });
  it('auth with a wrong consumer key', async () => {
    const out = await netsuiteAdapter.verify(
      ctxFor({ credentials: { ...creds, consumerKey: 'wrong-consumer-key' } }),
    );
    expect(out).toMatchObject({ kind: 'auth', upstream: { status: 401, code: 'INVALID_LOGIN' } });
  });
  it('transient when NetSuite is unreachable', async () => {
    const ctx = adapterContext(netsuiteAdapter, {
      credentials: creds,
      endpoints: { base: 'http://127.0.0.1:1/{accountId}' },
    });
    expect((await netsuiteAdapter.verify(ctx)).kind).toBe('transient');
  });
});

describe('NetSuite simulator extras', () => {
  it('async create: 202 + job Location; a repeated idempotency key → IDEMPOTENCY_ERROR', async () => {
    const http = createHttpClient({ defaultTimeoutMs: 2000 });
    const url = `${sim.url}/1234567-sb1/services/rest/record/v1/customer`;
    const send = () =>
      http.request({
        method: 'POST',
        url,
        headers: {
          Authorization: authorizationHeader('POST', url, creds, { realm: creds.accountId }),
          Prefer: 'respond-async',
          'X-NetSuite-Idempotency-Key': '0b6f5d1e-7d0c-4a36-9d1e-3c1f6f0a2b11',
        },
        body: { companyName: 'Async Co', subsidiary: { id: '1' } },
      });
    const first = await send();
    expect(first.status).toBe(202);
    expect(first.headers.location).toMatch(/\/services\/rest\/async\/v1\/job\/\d+$/);
    const second = await send();
    expect(second.status).toBe(409);
    expect(second.json).toMatchObject({ 'o:errorDetails': [{ 'o:errorCode': 'IDEMPOTENCY_ERROR' }] });
    expect(sim.customers()).toHaveLength(1);
  });

  it('keeps its customers across a restart (statePath)', async () => {
    const statePath = path.join(tempDir('ns-sim-'), 'netsuite.json');
    const a = await startNetSuiteSimulator({ statePath });
    const endpoints = { base: `${a.url}/{accountId}` };
    await netsuiteAdapter.create(
      stark({ externalId: 'KEEP-1' }),
      adapterContext(netsuiteAdapter, { credentials: creds, endpoints }),
    );
    await a.close();
    const b = await startNetSuiteSimulator({ statePath });
    try {
      expect(b.customers().map((c) => c.externalId)).toEqual(['KEEP-1']);
      expect((b.state() as { customers: unknown[] }).customers).toHaveLength(1);
    } finally {
      await b.close();
    }
  });
});
