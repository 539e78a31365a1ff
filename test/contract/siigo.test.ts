import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  SIIGO_DEMO_CREDENTIALS,
  SIIGO_DEMO_PRODUCTION_CREDENTIALS,
  type SiigoSimulator,
  startSiigoSimulator,
} from '../../local/simulators/siigo';
import { customerSchema, type UnifiedCustomerInput } from '../../shared/customer/schema';
import { siigoAdapter } from '../../shared/erps/siigo';
import type { SiigoCredentials } from '../../shared/erps/siigo/credentials';
import { adapterContext } from '../helpers/adapter-context';
import { tempDir } from '../helpers/temp';

const CREATE = { method: 'POST', path: '^/v1/customers$' };

let sim: SiigoSimulator;

function ctx(credentials: SiigoCredentials = SIIGO_DEMO_CREDENTIALS, timeoutMs = 2000) {
  return adapterContext(siigoAdapter, { credentials, endpoints: { base: sim.url }, timeoutMs });
}

function company(nit = '900373913', patch: Partial<UnifiedCustomerInput> = {}) {
  return customerSchema.parse({
    personType: 'company',
    name: { company: 'Stark Industries S.A.S.' },
    identification: { type: 'NIT', number: nit },
    email: 'billing@stark.co',
    phones: [{ countryCode: '57', number: '6017654321' }],
    billingAddress: { lines: ['Cra. 18 #79A - 42'], cityCode: '11001', stateCode: '11', country: 'CO' },
    ...patch,
  });
}

const authCalls = () => sim.calls.filter((c) => c.path === '/auth').length;
const createCalls = () => sim.calls.filter((c) => c.method === 'POST' && c.path === '/v1/customers').length;

async function raw(
  p: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
) {
  const res = await fetch(sim.url + p, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function rawToken(): Promise<string> {
  const r = await raw('/auth', {
    method: 'POST',
    headers: { 'Partner-Id': 'ContractTest' },
    body: { username: SIIGO_DEMO_CREDENTIALS.username, access_key: SIIGO_DEMO_CREDENTIALS.accessKey },
  });
  return r.json.access_token as string;
}

beforeAll(async () => {
  sim = await startSiigoSimulator();
});

afterAll(async () => {
  await sim.close();
});

beforeEach(() => {
  sim.reset();
  // The demo user is a test company (10/min); lift it so only the limit tests feel it.
  sim.configure({
    testRequestsPerMinute: 10_000,
    requestsPerMinute: 10_000,
    tokenTtlSeconds: 86_400,
    authStatus: 201,
  });
});

describe('Siigo adapter against the simulator', () => {
  it('creates a customer and returns its GUID', async () => {
    const out = await siigoAdapter.create(company(), ctx());
    expect(out.kind).toBe('created');
    const id = out.kind === 'created' ? out.erpCustomerId : '';
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const stored = sim.state().customers;
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      id,
      person_type: 'Company',
      id_type: { code: '31', name: 'NIT' },
      identification: '900373913',
      check_digit: '4',
      branch_office: 0,
      name: ['Stark Industries S.A.S.'],
      address: { city: { city_code: '11001', city_name: 'Bogotá, D.C.' } },
      contacts: [{ first_name: 'Stark Industries S.A.S.', email: 'billing@stark.co' }],
    });
  });

  it('creates a person with the two-part name', async () => {
    const person = customerSchema.parse({
      personType: 'person',
      name: { first: 'Marcos', last: 'Castillo' },
      identification: { type: 'CC', number: '13.832.081' },
      billingAddress: { lines: ['Calle 5 # 4-70'], cityCode: '19001', stateCode: '19', country: 'CO' },
    });
    expect((await siigoAdapter.create(person, ctx())).kind).toBe('created');
    expect(sim.state().customers[0]).toMatchObject({
      name: ['Marcos', 'Castillo'],
      identification: '13832081',
    });
  });

  it('issue 11 §3: a first name over 50 characters with an email passes requirements and is created (no late failure at /contacts)', async () => {
    const person = company('52345678', {
      personType: 'person',
      name: { first: 'María de los Ángeles Guadalupe Concepción Inmaculada', last: 'Restrepo Villamizar' },
      identification: { type: 'CC', number: '52345678' },
      email: 'angeles@example.co',
    });
    expect(siigoAdapter.requirements(person)).toEqual([]);
    const out = await siigoAdapter.create(person, ctx());
    expect(out).toMatchObject({ kind: 'created' });
    const stored = sim.state().customers[0];
    expect(stored?.name).toEqual([
      'María de los Ángeles Guadalupe Concepción Inmaculada',
      'Restrepo Villamizar',
    ]);
    expect(stored?.contacts).toEqual([
      {
        first_name: 'María de los Ángeles Guadalupe Concepción Inmacula',
        last_name: 'Restrepo Villamizar',
        email: 'angeles@example.co',
      },
    ]);
  });

  it('reuses one token for several calls', async () => {
    const c = ctx();
    for (const nit of ['900373913', '860069804', '800197268']) {
      expect((await siigoAdapter.create(company(nit), c)).kind).toBe('created');
    }
    expect(await siigoAdapter.lookup(company('900373913'), c)).toMatchObject({ kind: 'found' });
    expect(authCalls()).toBe(1);
    expect(sim.state().tokensIssued).toBe(1);
  });

  it('does not keep using a token that is about to expire', async () => {
    sim.configure({ tokenTtlSeconds: 1 });
    const c = ctx();
    await siigoAdapter.create(company('900373913'), c);
    await siigoAdapter.create(company('860069804'), c);
    expect(authCalls()).toBe(2);
  });

  it('accepts a 200 from /auth as well as 201', async () => {
    sim.configure({ authStatus: 200 });
    expect((await siigoAdapter.create(company(), ctx())).kind).toBe('created');
  });

  it('re-authenticates once when the cached token is refused (401), then creates', async () => {
    const c = ctx();
    expect((await siigoAdapter.create(company('900373913'), c)).kind).toBe('created');
    sim.revokeTokens();
    expect((await siigoAdapter.create(company('860069804'), c)).kind).toBe('created');
    expect(authCalls()).toBe(2);
    expect(sim.state().customers).toHaveLength(2);
  });

  it('returns auth when the refusal persists after re-authenticating (blocked user)', async () => {
    const c = ctx();
    expect((await siigoAdapter.create(company('900373913'), c)).kind).toBe('created');
    sim.blockUser(SIIGO_DEMO_CREDENTIALS.username);
    const out = await siigoAdapter.create(company('860069804'), c);
    expect(out).toMatchObject({
      kind: 'auth',
      upstream: { erp: 'siigo', status: 401, code: 'unauthorized' },
    });
    expect(createCalls()).toBe(2);
  });

  it('returns auth for bad credentials, without the key anywhere in the outcome', async () => {
    const bad = { username: SIIGO_DEMO_CREDENTIALS.username, accessKey: 'd3Jvbmcta2V5' };
    const out = await siigoAdapter.create(company(), ctx(bad));
    expect(out).toMatchObject({
      kind: 'auth',
      reauthorize: true,
      upstream: { status: 401, code: 'unauthorized' },
    });
    expect(JSON.stringify(out)).not.toContain(bad.accessKey);
    expect(createCalls()).toBe(0);
  });

  it('turns the company limit (requests_limit, no Retry-After) into rate_limited with the 60 s window', async () => {
    sim.configure({ testRequestsPerMinute: 2 });
    const c = ctx();
    expect((await siigoAdapter.create(company('900373913'), c)).kind).toBe('created'); // /auth + create
    const out = await siigoAdapter.create(company('860069804'), c);
    expect(out).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 60_000,
      upstream: { status: 429, code: 'requests_limit' },
    });
    expect(sim.state().customers).toHaveLength(1);
  });

  it('applies the 100/min production limit to production companies only', async () => {
    sim.configure({ requestsPerMinute: 2, testRequestsPerMinute: 10_000 });
    const prod = ctx(SIIGO_DEMO_PRODUCTION_CREDENTIALS);
    await siigoAdapter.create(company('900373913'), prod);
    expect((await siigoAdapter.create(company('860069804'), prod)).kind).toBe('rate_limited');
    expect((await siigoAdapter.create(company('800197268'), ctx())).kind).toBe('created');
  });

  it('honours a Retry-After on a 429 when one comes', async () => {
    sim.addFaults({
      type: 'status',
      status: 429,
      headers: { 'Retry-After': '7' },
      body: { Status: 429, Errors: [{ Code: 'requests_limit', Message: 'Too many requests' }] },
      match: CREATE,
    });
    expect(await siigoAdapter.create(company(), ctx())).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 7000,
    });
  });

  it('treats a 5xx on create as unknown and on look-up as transient', async () => {
    sim.addFaults({
      type: 'status',
      status: 500,
      body: { Status: 500, Errors: [{ Code: 'unhandled_error', Message: 'Unhandled error' }] },
      match: CREATE,
    });
    const c = ctx();
    expect(await siigoAdapter.create(company(), c)).toMatchObject({
      kind: 'unknown',
      upstream: { status: 500, code: 'unhandled_error' },
    });
    sim.addFaults({ type: 'status', status: 503, match: { method: 'GET', path: '^/v1/customers$' } });
    expect(await siigoAdapter.lookup(company(), c)).toMatchObject({
      kind: 'transient',
      upstream: { status: 503 },
    });
  });

  it('a create answered after the client timeout is unknown; the look-up finds the one customer', async () => {
    const c = ctx(SIIGO_DEMO_CREDENTIALS, 300);
    await siigoAdapter.verify(c); // token cached, so the delay hits the create itself
    sim.addFaults({ type: 'delay', delayMs: 1500, match: CREATE });
    const out = await siigoAdapter.create(company(), c);
    expect(out).toMatchObject({ kind: 'unknown', upstream: { code: 'timeout' } });
    const found = await siigoAdapter.lookup(company(), c);
    expect(found).toMatchObject({ kind: 'found', erpCustomerId: sim.state().customers[0]?.id });
    expect(sim.state().customers).toHaveLength(1);
  });

  it('a create whose connection is dropped is unknown; the look-up finds the one customer', async () => {
    const c = ctx();
    sim.addFaults({ type: 'drop', match: CREATE });
    const out = await siigoAdapter.create(company(), c);
    expect(out).toMatchObject({ kind: 'unknown', upstream: { code: 'reset' } });
    const found = await siigoAdapter.lookup(company(), c);
    expect(found).toMatchObject({ kind: 'found', erpCustomerId: sim.state().customers[0]?.id });
    expect(sim.state().customers).toHaveLength(1);
  });

  it('reports already_exists as duplicate; the look-up returns the existing id', async () => {
    const c = ctx();
    const first = await siigoAdapter.create(company(), c);
    const again = await siigoAdapter.create(company(), c);
    expect(again).toMatchObject({ kind: 'duplicate', upstream: { status: 400, code: 'already_exists' } });
    const found = await siigoAdapter.lookup(company(), c);
    // The NIT is the taxpayer's identity and Siigo's key: the same number at the same branch is this customer.
    expect(found).toEqual({
      kind: 'found',
      erpCustomerId: first.kind === 'created' ? first.erpCustomerId : 'x',
      provenBy: expect.stringMatching(/^identification/),
    });
    expect(sim.state().customers).toHaveLength(1);
  });

  it('treats another branch office as another customer, and looks up by branch', async () => {
    const c = ctx();
    const main = await siigoAdapter.create(company(), c);
    const branch = await siigoAdapter.create(company('900373913', { branchOffice: 1 }), c);
    expect(main.kind).toBe('created');
    expect(branch.kind).toBe('created');
    const found = await siigoAdapter.lookup(company('900373913', { branchOffice: 1 }), c);
    expect(found).toMatchObject({
      kind: 'found',
      erpCustomerId: branch.kind === 'created' ? branch.erpCustomerId : 'x',
    });
    expect(await siigoAdapter.lookup(company('900373913', { branchOffice: 2 }), c)).toEqual({
      kind: 'not_found',
    });
  });

  it('accepts only an exact (identification, branch_office) match from the list', async () => {
    // Siigo's filter semantics are its own (prefix? branch ignored?): a looser answer must not attach a stranger.
    const other = {
      id: '6b6ceb28-b2eb-4b98-b3dd-26648a933c81',
      identification: '9003739130',
      branch_office: 0,
    };
    const otherBranch = {
      id: '63f918c2-ca65-4edc-a7db-66bcdd5159fb',
      identification: '900373913',
      branch_office: 3,
    };
    sim.addFaults({
      type: 'status',
      status: 200,
      body: {
        pagination: { page: 1, page_size: 25, total_results: 2 },
        results: [other, otherBranch],
        _links: {},
      },
      match: { method: 'GET', path: '^/v1/customers$' },
    });
    expect(await siigoAdapter.lookup(company(), ctx())).toEqual({ kind: 'not_found' });
  });

  it('maps Siigo validation errors to invalid with unified pointers', async () => {
    // The unified schema refuses codes outside DANE's table; a job stored before that check reaches Siigo as is.
    const valid = company('900373913');
    const unknownCity = { ...valid, billingAddress: { ...valid.billingAddress!, cityCode: '11999' } };
    expect(await siigoAdapter.create(unknownCity, ctx())).toMatchObject({
      kind: 'invalid',
      upstream: { status: 400, code: 'invalid_reference' },
      details: [{ pointer: '/billingAddress/cityCode', code: 'invalid_reference' }],
    });
    const unknownSeller = company('900373913', { erpFields: { related_users: { seller_id: 1 } } });
    expect(await siigoAdapter.create(unknownSeller, ctx())).toMatchObject({
      kind: 'invalid',
      details: [{ pointer: '/erpFields/related_users', code: 'invalid_reference' }],
    });
    expect(sim.state().customers).toHaveLength(0);
  });

  it('verify: ok with good credentials, auth with bad ones', async () => {
    expect(await siigoAdapter.verify(ctx())).toEqual({
      kind: 'ok',
      detail: `authenticated as ${SIIGO_DEMO_CREDENTIALS.username}`,
    });
    const bad = await siigoAdapter.verify(ctx({ username: 'nobody@example.co', accessKey: 'eA==' }));
    expect(bad).toMatchObject({ kind: 'auth', upstream: { status: 401 } });
    const unreachable = await siigoAdapter.verify(
      adapterContext(siigoAdapter, {
        credentials: SIIGO_DEMO_CREDENTIALS,
        endpoints: { base: 'http://127.0.0.1:1' },
      }),
    );
    expect(unreachable).toMatchObject({ kind: 'transient', upstream: { code: 'refused' } });
  });

  it('verify proves the credentials afresh even with a cached token', async () => {
    const c = ctx();
    await siigoAdapter.create(company(), c);
    sim.blockUser(SIIGO_DEMO_CREDENTIALS.username);
    expect(await siigoAdapter.verify(c)).toMatchObject({ kind: 'auth' });
  });
});

describe('Siigo simulator', () => {
  it('requires a well-formed Partner-Id on every call, /auth included', async () => {
    const body = { username: SIIGO_DEMO_CREDENTIALS.username, access_key: SIIGO_DEMO_CREDENTIALS.accessKey };
    const missing = await raw('/auth', { method: 'POST', body });
    expect(missing).toMatchObject({
      status: 400,
      json: { Status: 400, Errors: [{ Code: 'header_required' }] },
    });
    const bad = await raw('/auth', { method: 'POST', headers: { 'Partner-Id': 'my app!' }, body });
    expect(bad).toMatchObject({ status: 400, json: { Errors: [{ Code: 'invalid_partner_id' }] } });
    const token = await rawToken();
    const list = await raw('/v1/customers', { headers: { Authorization: `Bearer ${token}` } });
    expect(list.json).toMatchObject({ Errors: [{ Code: 'header_required' }] });
  });

  it('issues 24 h bearer tokens and accepts them with or without the Bearer prefix', async () => {
    const r = await raw('/auth', {
      method: 'POST',
      headers: { 'Partner-Id': 'ContractTest' },
      body: { username: SIIGO_DEMO_CREDENTIALS.username, access_key: SIIGO_DEMO_CREDENTIALS.accessKey },
    });
    expect(r).toMatchObject({
      status: 201,
      json: { expires_in: 86400, token_type: 'Bearer', scope: 'SiigoAPI' },
    });
    const token = r.json.access_token as string;
    for (const authorization of [`Bearer ${token}`, token]) {
      const list = await raw('/v1/customers', {
        headers: { Authorization: authorization, 'Partner-Id': 'ContractTest' },
      });
      expect(list).toMatchObject({
        status: 200,
        json: { pagination: { page: 1, total_results: 0 }, results: [] },
      });
    }
    const none = await raw('/v1/customers', {
      headers: { Authorization: 'Bearer nope', 'Partner-Id': 'ContractTest' },
    });
    expect(none).toMatchObject({ status: 401, json: { Errors: [{ Code: 'unauthorized' }] } });
  });

  it('lists every validation problem in Siigo error shape', async () => {
    const token = await rawToken();
    const r = await raw('/v1/customers', {
      method: 'POST',
      headers: { Authorization: token, 'Partner-Id': 'ContractTest' },
      body: {
        person_type: 'Person',
        id_type: '13',
        identification: '1.234',
        name: ['Solo'],
        address: { address: 'x', city: { country_code: 'CO', state_code: '11', city_code: '11001' } },
        contacts: Array.from({ length: 11 }, () => ({ first_name: 'a' })),
      },
    });
    expect(r.status).toBe(400);
    expect(r.json.Status).toBe(400);
    const codes = (r.json.Errors as { Code: string; Params: string[] }[]).map(
      (x) => `${x.Code} ${x.Params[0]}`,
    );
    expect(codes).toEqual([
      'invalid_identification identification',
      'invalid_array name',
      'invalid_array contacts',
    ]);
  });

  it('keeps its customers across a restart (snapshot)', async () => {
    const dir = tempDir('siigo-sim-');
    const statePath = path.join(dir, 'siigo.json');
    const first = await startSiigoSimulator({ statePath }, { testRequestsPerMinute: 1000 });
    const c = adapterContext(siigoAdapter, {
      credentials: SIIGO_DEMO_CREDENTIALS,
      endpoints: { base: first.url },
    });
    const created = await siigoAdapter.create(company(), c);
    await first.close();
    const second = await startSiigoSimulator({ statePath }, { testRequestsPerMinute: 1000 });
    try {
      expect(second.state().customers).toHaveLength(1);
      const again = adapterContext(siigoAdapter, {
        credentials: SIIGO_DEMO_CREDENTIALS,
        endpoints: { base: second.url },
      });
      expect(await siigoAdapter.lookup(company(), again)).toMatchObject({
        kind: 'found',
        erpCustomerId: created.kind === 'created' ? created.erpCustomerId : 'x',
      });
    } finally {
      await second.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
