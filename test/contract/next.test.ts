import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  NEXT_DEMO_CREDENTIALS,
  type NextSimulator,
  type NextSimulatorOptions,
  startNextSimulator,
} from '../../local/simulators/next';
import { customerSchema, type UnifiedCustomerInput } from '../../shared/customer/schema';
import { type NextCredentials, nextAdapter } from '../../shared/erps/next';
import { adapterContext } from '../helpers/adapter-context';
import { tempDir } from '../helpers/temp';

const customer = (over: Partial<UnifiedCustomerInput> = {}) =>
  customerSchema.parse({
    personType: 'company',
    name: { company: 'Bygg & Mark AB' },
    identification: { type: 'VAT', number: 'SE556677889901' },
    email: 'faktura@byggmark.se',
    billingAddress: { lines: ['Storgatan 1'], city: 'Stockholm', postalCode: '111 22', country: 'SE' },
    externalId: `CRM-${Math.random().toString(36).slice(2, 10)}`,
    erpFields: { customertypeid: 1 },
    ...over,
  } as UnifiedCustomerInput);

function ctxFor(
  sim: NextSimulator,
  credentials: NextCredentials = { ...NEXT_DEMO_CREDENTIALS },
  timeoutMs = 5_000,
) {
  return adapterContext(nextAdapter, { credentials, endpoints: { api: `${sim.url}/v1` }, timeoutMs });
}

const tokenCalls = (sim: NextSimulator) => sim.calls.filter((c) => c.path === '/v1/token').length;

describe('NEXT adapter against the simulator', () => {
  let sim: NextSimulator;
  beforeAll(async () => {
    sim = await startNextSimulator();
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.reset());

  describe('connection: the one-time API key', () => {
    const fresh = (apiKey: string): NextCredentials => ({
      clientId: NEXT_DEMO_CREDENTIALS.clientId,
      clientSecret: NEXT_DEMO_CREDENTIALS.clientSecret,
      databaseNo: NEXT_DEMO_CREDENTIALS.databaseNo,
      apiKey,
    });

    it('is exchanged once for the token, which is what is kept; creates then use that token', async () => {
      const key = sim.issueOneTimeKey();
      const prepared = await nextAdapter.prepareConnection!(ctxFor(sim, fresh(key)));
      expect(prepared.kind).toBe('ok');
      if (prepared.kind !== 'ok') return;
      expect(prepared.credentials.apiKey).toBeUndefined();
      expect(prepared.credentials.accessToken).toMatch(/^[0-9a-f-]{36}$/);
      expect(nextAdapter.credentialsSchema.parse(prepared.credentials)).toEqual(prepared.credentials);

      const ctx = ctxFor(sim, prepared.credentials);
      const out = await nextAdapter.create(customer(), ctx);
      expect(out.kind).toBe('created');
      expect(tokenCalls(sim)).toBe(1);
      expect(await nextAdapter.verify(ctx)).toEqual({ kind: 'ok', detail: 'NEXT database 1234' });
    });

    it('a spent key is refused → auth, and the connection is not stored', async () => {
      const key = sim.issueOneTimeKey();
      expect((await nextAdapter.prepareConnection!(ctxFor(sim, fresh(key)))).kind).toBe('ok');
      const again = await nextAdapter.prepareConnection!(ctxFor(sim, fresh(key)));
      expect(again).toMatchObject({ kind: 'auth', upstream: { erp: 'next', status: 400 } });
    });

    it('a wrong client secret → auth, and the key is not spent by it', async () => {
      const key = sim.issueOneTimeKey();
      const bad = await nextAdapter.prepareConnection!(
        ctxFor(sim, { ...fresh(key), clientSecret: 'wrong-secret' }),
      );
      expect(bad).toMatchObject({ kind: 'auth', upstream: { status: 401 } });
      expect((await nextAdapter.prepareConnection!(ctxFor(sim, fresh(key)))).kind).toBe('ok');
    });

    it('credentials already holding a token are kept as they are, without calling NEXT', async () => {
      const creds = { ...NEXT_DEMO_CREDENTIALS };
      expect(await nextAdapter.prepareConnection!(ctxFor(sim, creds))).toEqual({
        kind: 'ok',
        credentials: creds,
      });
      expect(tokenCalls(sim)).toBe(0);
    });
  });

  it('create → created with the numeric DB id; the stored customer carries the mapped fields', async () => {
    const c = customer();
    const out = await nextAdapter.create(c, ctxFor(sim));
    expect(out).toMatchObject({ kind: 'created', erpCustomerId: expect.stringMatching(/^\d+$/) });
    const [stored] = sim.customers();
    expect(out.kind === 'created' && out.erpCustomerId).toBe(String(stored?.id));
    expect(stored).toMatchObject({
      name: 'Bygg & Mark AB',
      customerno: c.externalId,
      vatno: 'SE556677889901',
      countrycode: 'SE',
      billaddress2: 'Storgatan 1',
      customertypename: 'Company',
      databaseNo: '1234',
    });
  });

  it('reuses the stored token: several creates, no token call, one Authorization value', async () => {
    const ctx = ctxFor(sim);
    const a = await nextAdapter.create(customer(), ctx);
    const b = await nextAdapter.create(customer(), ctx);
    expect([a.kind, b.kind]).toEqual(['created', 'created']);
    expect(tokenCalls(sim)).toBe(0);
    expect(sim.customers()).toHaveLength(2);
  });

  it('a rejected token → auth with reauthorize (a new one-time key is needed), on create, lookup and verify', async () => {
    const ctx = ctxFor(sim, { ...NEXT_DEMO_CREDENTIALS, accessToken: 'revoked-token-0000' });
    expect(await nextAdapter.create(customer(), ctx)).toMatchObject({
      kind: 'auth',
      reauthorize: true,
      upstream: { status: 403, code: 'access_denied' },
    });
    expect(await nextAdapter.lookup(customer(), ctx)).toMatchObject({ kind: 'auth', reauthorize: true });
    expect(await nextAdapter.verify(ctx)).toMatchObject({ kind: 'auth', reauthorize: true });
    expect(sim.customers()).toHaveLength(0);
  });

  it('a token revoked in NEXT after it worked → auth on the next call', async () => {
    const key = sim.issueOneTimeKey();
    const prepared = await nextAdapter.prepareConnection!(
      ctxFor(sim, {
        clientId: NEXT_DEMO_CREDENTIALS.clientId,
        clientSecret: NEXT_DEMO_CREDENTIALS.clientSecret,
        databaseNo: '1234',
        apiKey: key,
      }),
    );
    if (prepared.kind !== 'ok') throw new Error('exchange failed');
    const ctx = ctxFor(sim, prepared.credentials);
    expect((await nextAdapter.verify(ctx)).kind).toBe('ok');
    sim.revokeToken(prepared.credentials.accessToken!);
    expect(await nextAdapter.verify(ctx)).toMatchObject({
      kind: 'auth',
      reauthorize: true,
      upstream: { status: 403 },
    });
  });

  it('429 with Retry-After → rate_limited with that wait, and nothing created', async () => {
    sim.addFaults({
      type: 'status',
      status: 429,
      body: { detail: 'Too Many Requests' },
      headers: { 'Retry-After': '3' },
      match: { method: 'POST', path: '^/v1/customer' },
    });
    expect(await nextAdapter.create(customer(), ctxFor(sim))).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 3000,
      upstream: { status: 429 },
    });
    expect(sim.customers()).toHaveLength(0);
  });

  it('503 + Retry-After on a create → unknown with the wait (look up first); on a look-up → transient', async () => {
    const fault = {
      type: 'status' as const,
      status: 503,
      headers: { 'Retry-After': '30' },
      body: 'unavailable',
    };
    sim.addFaults({ ...fault, match: { method: 'POST' } });
    expect(await nextAdapter.create(customer(), ctxFor(sim))).toMatchObject({
      kind: 'unknown',
      retryAfterMs: 30_000,
      upstream: { status: 503 },
    });
    sim.addFaults({ ...fault, match: { method: 'GET' } });
    expect(await nextAdapter.lookup(customer(), ctxFor(sim))).toMatchObject({
      kind: 'transient',
      retryAfterMs: 30_000,
    });
  });

  it('500 on a create → unknown; the look-up then says not_found and a new create succeeds', async () => {
    sim.addFaults({ type: 'status', status: 500, body: 'Internal Server Error', match: { method: 'POST' } });
    const c = customer();
    const ctx = ctxFor(sim);
    expect(await nextAdapter.create(c, ctx)).toMatchObject({ kind: 'unknown', upstream: { status: 500 } });
    expect(await nextAdapter.lookup(c, ctx)).toEqual({ kind: 'not_found' });
    expect((await nextAdapter.create(c, ctx)).kind).toBe('created');
    expect(sim.customers()).toHaveLength(1);
  });

  it('an answer delayed past the client timeout → unknown; the look-up finds it; exactly one customer', async () => {
    const c = customer();
    const ctx = ctxFor(sim, undefined, 2_000);
    sim.addFaults({ type: 'delay', delayMs: 20_000, match: { method: 'POST', path: '^/v1/customer' } });
    const out = await nextAdapter.create(c, ctx);
    expect(out).toMatchObject({ kind: 'unknown', upstream: { code: 'timeout' } });
    const found = await nextAdapter.lookup(c, ctx);
    expect(sim.customers()).toHaveLength(1);
    expect(found).toMatchObject({ kind: 'found', erpCustomerId: String(sim.customers()[0]?.id) });
  });

  it('a dropped answer (customer created) → unknown; the look-up finds it by the job-derived number', async () => {
    const c = customer({ externalId: undefined });
    const ctx = ctxFor(sim);
    sim.addFaults({ type: 'drop', match: { method: 'POST', path: '^/v1/customer' } });
    expect((await nextAdapter.create(c, ctx)).kind).toBe('unknown');
    const found = await nextAdapter.lookup(c, ctx);
    expect(sim.customers()).toHaveLength(1);
    expect(sim.customers()[0]?.customerno).toMatch(/^EB-/);
    expect(found).toMatchObject({ kind: 'found', erpCustomerId: String(sim.customers()[0]?.id) });
    // Another job has its own number, so it does not mistake this customer for its own.
    expect(await nextAdapter.lookup(c, ctxFor(sim))).toEqual({ kind: 'not_found' });
  });

  it('the look-up includes inactive customers', async () => {
    const c = customer({ active: false });
    const ctx = ctxFor(sim);
    const out = await nextAdapter.create(c, ctx);
    expect(out.kind).toBe('created');
    expect(await nextAdapter.lookup(c, ctx)).toMatchObject({
      kind: 'found',
      erpCustomerId: out.kind === 'created' ? out.erpCustomerId : '',
    });
  });

  it('NEXT has no documented customerno rule, so a known externalId is looked up first: a second job is a duplicate, not a second customer', async () => {
    const c = customer();
    const before = sim.customers().length;
    const first = await nextAdapter.create(c, ctxFor(sim));
    const second = await nextAdapter.create(c, ctxFor(sim));
    expect(first.kind).toBe('created');
    expect(second).toMatchObject({
      kind: 'duplicate',
      resolved: { kind: 'found', erpCustomerId: first.kind === 'created' ? first.erpCustomerId : '' },
      upstream: { code: 'customerno_exists' },
    });
    expect(sim.customers().length).toBe(before + 1);
  });

  it('an externalId equal to a number NEXT gave another customer (other organisation number) → conflict, no twin', async () => {
    // Entered in NEXT's own UI: NEXT numbers it itself (001001…); the CRM's key for another customer is that number.
    const res = await fetch(`${sim.url}/v1/customer/`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${NEXT_DEMO_CREDENTIALS.accessToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ name: 'Fjord Bygg AS', customertypeid: 1, organizationno: '987654321' }),
    });
    expect(res.status).toBe(200);
    const other = (await res.json()) as { id: number; customerno: string };
    expect(other.customerno).toMatch(/^\d{6}$/);
    const mine = customer({
      externalId: other.customerno,
      // A Swedish organisation number (10 digits, Luhn: the unified schema checks it with stdnum).
      identification: { type: 'ORG_NO', number: '5566778899' },
    });
    expect(await nextAdapter.create(mine, ctxFor(sim))).toMatchObject({
      kind: 'duplicate',
      resolved: { kind: 'conflict', pointer: '/externalId', existingId: String(other.id) },
    });
    expect(sim.customers()).toHaveLength(1);
  });

  it('without externalId the customerno comes from the job: each job creates once, the look-up finds it', async () => {
    const c = customer({ externalId: undefined });
    const ctx = ctxFor(sim);
    const created = await nextAdapter.create(c, ctx);
    expect(created.kind).toBe('created');
    expect(await nextAdapter.lookup(c, ctx)).toMatchObject({
      kind: 'found',
      erpCustomerId: created.kind === 'created' ? created.erpCustomerId : '',
    });
  });

  it('a customer NEXT rejects → invalid, with the ERP message and pointers into the unified body', async () => {
    // What requirements() would refuse at accept time, sent anyway to see NEXT's own answers.
    const tooLong = await nextAdapter.create(customer({ name: { company: 'x'.repeat(60) } }), ctxFor(sim));
    expect(tooLong).toMatchObject({
      kind: 'invalid',
      upstream: { status: 422, code: 'string_too_long' },
      details: expect.arrayContaining([
        expect.objectContaining({ pointer: '/name/company', code: 'string_too_long' }),
      ]),
    });
    const missing = await nextAdapter.create(customer({ erpFields: {} }), ctxFor(sim));
    expect(missing).toMatchObject({
      kind: 'invalid',
      details: [{ pointer: '/erpFields/customertypeid', code: 'missing' }],
    });
    const unknownType = await nextAdapter.create(
      customer({ erpFields: { customertypeid: 99 } }),
      ctxFor(sim),
    );
    expect(unknownType).toMatchObject({
      kind: 'invalid',
      upstream: { status: 400, message: expect.stringContaining("field 'customertypeid'") },
      details: [{ pointer: '/erpFields/customertypeid' }],
    });
    expect(sim.customers()).toHaveLength(0);
  });

  it('verify: ok with the demo token', async () => {
    expect(await nextAdapter.verify(ctxFor(sim))).toEqual({ kind: 'ok', detail: 'NEXT database 1234' });
  });

  it('credentials without a token (key never exchanged) → auth without calling NEXT', async () => {
    const ctx = ctxFor(sim, { ...NEXT_DEMO_CREDENTIALS, accessToken: undefined, apiKey: 'never-exchanged' });
    expect(await nextAdapter.create(customer(), ctx)).toMatchObject({ kind: 'auth', reauthorize: true });
    expect(await nextAdapter.verify(ctx)).toMatchObject({ kind: 'auth' });
    expect(sim.calls).toHaveLength(0);
  });
});

describe('NEXT simulator options', () => {
  const started: NextSimulator[] = [];
  const start = async (opts: NextSimulatorOptions, statePath?: string) => {
    const s = await startNextSimulator({ statePath }, opts);
    started.push(s);
    return s;
  };
  afterAll(async () => {
    await Promise.all(started.map((s) => s.close()));
  });

  it('its own 10/s-style limit (here 2/s) → rate_limited with a one-second wait', async () => {
    // A still clock: three sequential creates on a slow machine may span more than the one-second window.
    const at = Date.now();
    const sim = await start({ rateLimitPerSecond: 2, now: () => at });
    const ctx = ctxFor(sim);
    const outs = [];
    // No externalId: no look-up before the create, so each create is one request.
    for (let i = 0; i < 3; i++) outs.push(await nextAdapter.create(customer({ externalId: undefined }), ctx));
    expect(outs.map((o) => o.kind)).toEqual(['created', 'created', 'rate_limited']);
    expect(outs[2]).toMatchObject({ retryAfterMs: 1000, upstream: { status: 429 } });
    expect(sim.customers()).toHaveLength(2);
  });

  it('with uniqueCustomerNo: a reused customerno → duplicate, and the look-up names the existing customer', async () => {
    const sim = await start({ uniqueCustomerNo: true });
    const c = customer();
    const first = await nextAdapter.create(c, ctxFor(sim));
    const again = await nextAdapter.create(c, ctxFor(sim));
    expect(again).toMatchObject({
      kind: 'duplicate',
      resolved: { kind: 'found', erpCustomerId: first.kind === 'created' ? first.erpCustomerId : '' },
    });
    expect(await nextAdapter.lookup(c, ctxFor(sim))).toMatchObject({
      kind: 'found',
      erpCustomerId: first.kind === 'created' ? first.erpCustomerId : '',
    });
    expect(sim.customers()).toHaveLength(1);
  });

  it('keeps customers and spent keys across a restart (statePath)', async () => {
    const dir = tempDir('next-sim-');
    const statePath = path.join(dir, 'next.json');
    const one = await start({}, statePath);
    const key = one.issueOneTimeKey();
    const creds: NextCredentials = {
      clientId: NEXT_DEMO_CREDENTIALS.clientId,
      clientSecret: NEXT_DEMO_CREDENTIALS.clientSecret,
      databaseNo: '1234',
      apiKey: key,
    };
    const prepared = await nextAdapter.prepareConnection!(ctxFor(one, creds));
    const created = await nextAdapter.create(customer(), ctxFor(one));
    await one.close();

    const two = await start({}, statePath);
    expect(two.customers().map((c) => String(c.id))).toEqual([
      created.kind === 'created' ? created.erpCustomerId : '',
    ]);
    expect((await nextAdapter.prepareConnection!(ctxFor(two, creds))).kind).toBe('auth');
    if (prepared.kind === 'ok')
      expect((await nextAdapter.verify(ctxFor(two, prepared.credentials))).kind).toBe('ok');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
