import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  QUICKBOOKS_DEMO_CREDENTIALS,
  type QuickBooksSimulator,
  startQuickBooksSimulator,
} from '../../local/simulators/quickbooks';
import { customerSchema, type UnifiedCustomerInput } from '../../shared/customer/schema';
import { type QuickBooksCredentials, quickbooksAdapter } from '../../shared/erps/quickbooks';
import { createTokenCache } from '../../shared/erps/token-cache';
import type { AdapterContext } from '../../shared/erps/types';
import { createMemoryLockService } from '../../shared/locks/memory-lock';
import { adapterContext } from '../helpers/adapter-context';
import { registerSecrets } from '../helpers/leak-guard';
import { tempDir } from '../helpers/temp';

let sim: QuickBooksSimulator;
const endpoints = () => ({ base: sim.url, token: `${sim.url}/oauth2/v1/tokens/bearer` });
const company = (name: string, extra: Partial<UnifiedCustomerInput> = {}) =>
  customerSchema.parse({
    personType: 'company',
    name: { company: name },
    email: 'billing@example.com',
    ...extra,
  });
const ctxFor = (credentials: QuickBooksCredentials, opts: { jobId?: string; timeoutMs?: number } = {}) =>
  adapterContext(quickbooksAdapter, { credentials, endpoints: endpoints(), ...opts });
const named = (name: string) => sim.customers().filter((c) => c.DisplayName === name);
const customerPosts = () =>
  sim.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/customer')).length;

beforeAll(async () => {
  sim = await startQuickBooksSimulator();
});
afterAll(async () => {
  await sim.close();
});

describe('QuickBooks contract: create and tokens', () => {
  it('creates a customer (200, Customer.Id) after refreshing; the rotated refresh token is saved before the API call', async () => {
    const grant = sim.authorize();
    const ctx = ctxFor(grant);
    let postsAtSave = -1;
    const save = ctx.connection.saveCredentials.bind(ctx.connection);
    ctx.connection.saveCredentials = async (next) => {
      postsAtSave = customerPosts();
      await save(next);
    };
    const before = customerPosts();
    const out = await quickbooksAdapter.create(company('Stark Industries'), ctx);
    expect(out).toEqual({ kind: 'created', erpCustomerId: expect.stringMatching(/^\d+$/) });
    expect(named('Stark Industries')).toHaveLength(1);
    expect(named('Stark Industries')[0]?.Id).toBe(out.kind === 'created' ? out.erpCustomerId : '');
    expect(postsAtSave).toBe(before);
    expect(ctx.saved).toHaveLength(1);
    expect(ctx.saved[0]?.refreshToken).not.toBe(grant.refreshToken);
    expect(ctx.saved[0]?.accessTokenExpiresAt).toBeGreaterThan(Date.now() + 3_000_000);
  });

  it('reuses the access token: no refresh on the next call, nor in another process that loads the saved credentials', async () => {
    const ctx = ctxFor(sim.authorize());
    await quickbooksAdapter.create(company('Reuse One'), ctx);
    const refreshes = sim.refreshCount();
    ctx.jobId = 'job-reuse-two';
    expect((await quickbooksAdapter.create(company('Reuse Two'), ctx)).kind).toBe('created');
    const otherProcess = ctxFor(ctx.connection.credentials);
    expect((await quickbooksAdapter.create(company('Reuse Three'), otherProcess)).kind).toBe('created');
    expect(sim.refreshCount()).toBe(refreshes);
    expect([...named('Reuse One'), ...named('Reuse Two'), ...named('Reuse Three')]).toHaveLength(3);
  });

  it('re-authenticates once when the cached access token is rejected (401 Fault 3200), creating one customer', async () => {
    const ctx = ctxFor(sim.authorize());
    await quickbooksAdapter.create(company('Before Expiry'), ctx);
    const refreshes = sim.refreshCount();
    sim.expireAccessTokens();
    ctx.jobId = 'job-after-expiry';
    const out = await quickbooksAdapter.create(company('After Expiry'), ctx);
    expect(out.kind).toBe('created');
    expect(sim.refreshCount()).toBe(refreshes + 1);
    expect(named('After Expiry')).toHaveLength(1);
  });

  it('a wrong client secret → auth (invalid_client), nothing created', async () => {
    const ctx = ctxFor({ ...sim.authorize(), clientSecret: 'not-the-secret' });
    const out = await quickbooksAdapter.create(company('Wrong Secret'), ctx);
    expect(out).toMatchObject({ kind: 'auth', upstream: { code: 'invalid_client', status: 401 } });
    expect(named('Wrong Secret')).toHaveLength(0);
  });

  it('an unknown refresh token → auth with reauthorize (invalid_grant) and the connection marked', async () => {
    const ctx = ctxFor({ ...sim.authorize(), refreshToken: 'AB11-revoked-refresh-token' });
    const out = await quickbooksAdapter.create(company('Invalid Grant'), ctx);
    expect(out).toMatchObject({ kind: 'auth', reauthorize: true, upstream: { code: 'invalid_grant' } });
    expect(ctx.reauth).toHaveLength(1);
    expect(JSON.stringify(out)).not.toContain('AB11-revoked');
  });

  it('a token of another company → auth (403 Fault 3100)', async () => {
    const grant = sim.authorize();
    const out = await quickbooksAdapter.create(
      company('Other Realm'),
      ctxFor({ ...grant, realmId: '123456789' }),
    );
    expect(out).toMatchObject({ kind: 'auth', upstream: { status: 403, code: '3100' } });
  });

  it('two workers refreshing the same connection at once: one refresh, both create', async () => {
    let stored: QuickBooksCredentials = {
      ...sim.authorize(),
      accessToken: 'expired-access-token',
      accessTokenExpiresAt: Date.now() - 1000,
    };
    registerSecrets(stored);
    const locks = createMemoryLockService();
    const worker = (jobId: string): AdapterContext<QuickBooksCredentials> => {
      const base = adapterContext(quickbooksAdapter, {
        credentials: stored,
        endpoints: endpoints(),
        locks,
        jobId,
      });
      let view = stored;
      return {
        ...base,
        tokens: createTokenCache(),
        connection: {
          tenantId: 'tenant-test',
          connectionId: 'conn-shared',
          environment: 'sandbox',
          get credentials() {
            return view;
          },
          async saveCredentials(next) {
            registerSecrets(next);
            stored = next;
            view = next;
          },
          async reloadCredentials() {
            view = stored;
            return stored;
          },
          async markNeedsReauth() {},
        },
      };
    };
    const refreshes = sim.refreshCount();
    const [a, b] = await Promise.all([
      quickbooksAdapter.create(company('Worker A'), worker('job-a')),
      quickbooksAdapter.create(company('Worker B'), worker('job-b')),
    ]);
    expect(a.kind).toBe('created');
    expect(b.kind).toBe('created');
    expect(sim.refreshCount()).toBe(refreshes + 1);
  });

  it('rotation: the previous refresh token works for 24 h after a new one is issued, then invalid_grant', async () => {
    let clock = Date.now();
    const s = await startQuickBooksSimulator({}, { now: () => clock });
    try {
      const grant = s.authorize();
      const refresh = async (token: string) => {
        const res = await fetch(`${s.url}/oauth2/v1/tokens/bearer`, {
          method: 'POST',
          headers: {
            authorization: `Basic ${Buffer.from(`${grant.clientId}:${grant.clientSecret}`).toString('base64')}`,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token }).toString(),
        });
        return { status: res.status, body: (await res.json()) as { refresh_token?: string; error?: string } };
      };
      const first = await refresh(grant.refreshToken);
      expect(first.status).toBe(200);
      clock += 23 * 3_600_000;
      expect((await refresh(grant.refreshToken)).status).toBe(200);
      clock += 2 * 3_600_000;
      expect(await refresh(grant.refreshToken)).toEqual({
        status: 400,
        body: { error: 'invalid_grant', error_description: expect.any(String) },
      });
      expect((await refresh(first.body.refresh_token as string)).status).toBe(200);
    } finally {
      await s.close();
    }
  });
});

describe('QuickBooks contract: faults never create twice', () => {
  it('429 Fault 3001 from the per-realm throttle → rate_limited, 60 s (no Retry-After from Intuit)', async () => {
    const s = await startQuickBooksSimulator({}, { perMinute: 2 });
    try {
      const ctx = adapterContext(quickbooksAdapter, {
        credentials: s.authorize(),
        endpoints: { base: s.url, token: `${s.url}/oauth2/v1/tokens/bearer` },
      });
      await quickbooksAdapter.create(company('T1'), { ...ctx, jobId: 'job-t1' });
      await quickbooksAdapter.create(company('T2'), { ...ctx, jobId: 'job-t2' });
      const out = await quickbooksAdapter.create(company('T3'), { ...ctx, jobId: 'job-t3' });
      expect(out).toMatchObject({
        kind: 'rate_limited',
        retryAfterMs: 60_000,
        upstream: { status: 429, code: '3001' },
      });
      expect(s.customers().map((c) => c.DisplayName)).toEqual(['T1', 'T2']);
    } finally {
      await s.close();
    }
  });

  it('429 with a Retry-After header → rate_limited with that hint', async () => {
    const ctx = ctxFor(sim.authorize());
    sim.addFaults({
      type: 'status',
      status: 429,
      headers: { 'retry-after': '7' },
      match: { method: 'POST', path: '/customer$' },
    });
    expect(await quickbooksAdapter.create(company('Hinted'), ctx)).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 7000,
    });
  });

  it('the concurrency limit (10 per realm and app) → rate_limited', async () => {
    const s = await startQuickBooksSimulator({}, { concurrency: 1, processingDelayMs: 1_000 });
    try {
      const grant = s.authorize();
      const ctx = adapterContext(quickbooksAdapter, {
        credentials: grant,
        endpoints: { base: s.url, token: `${s.url}/oauth2/v1/tokens/bearer` },
      });
      await quickbooksAdapter.verify(ctx); // token in hand before the race
      const outs = await Promise.all([
        quickbooksAdapter.create(company('C1'), ctx),
        quickbooksAdapter.create(company('C2'), ctx),
      ]);
      expect(outs.map((o) => o.kind).sort()).toEqual(['created', 'rate_limited']);
      expect(s.customers()).toHaveLength(1);
    } finally {
      await s.close();
    }
  });

  it('503 on a create → unknown; the retry with the same job creates exactly one', async () => {
    const ctx = ctxFor(sim.authorize(), { jobId: 'job-503' });
    sim.addFaults({
      type: 'status',
      status: 503,
      body: 'Service Unavailable',
      match: { method: 'POST', path: '/customer$' },
    });
    expect(await quickbooksAdapter.create(company('Five Oh Three'), ctx)).toMatchObject({
      kind: 'unknown',
      upstream: { status: 503 },
    });
    expect(named('Five Oh Three')).toHaveLength(0);
    expect(await quickbooksAdapter.lookup(company('Five Oh Three'), ctx)).toEqual({ kind: 'not_found' });
    expect((await quickbooksAdapter.create(company('Five Oh Three'), ctx)).kind).toBe('created');
    expect(named('Five Oh Three')).toHaveLength(1);
  });

  for (const fault of ['delay', 'drop'] as const) {
    it(`a ${fault} after the customer was created → unknown, lookup finds it, the retry replays: one customer`, async () => {
      const name = `Lost Answer ${fault}`;
      const ctx = ctxFor(sim.authorize(), { jobId: `job-${fault}`, timeoutMs: 2_000 });
      await quickbooksAdapter.verify(ctx); // the token first, so the fault hits the create
      sim.addFaults(
        fault === 'delay'
          ? { type: 'delay', delayMs: 20_000, match: { method: 'POST', path: '/customer$' } }
          : { type: 'drop', match: { method: 'POST', path: '/customer$' } },
      );
      const out = await quickbooksAdapter.create(company(name), ctx);
      expect(out.kind).toBe('unknown');
      expect(named(name)).toHaveLength(1);
      const found = await quickbooksAdapter.lookup(company(name), ctx);
      expect(found).toEqual({
        kind: 'found',
        erpCustomerId: named(name)[0]?.Id,
        provenBy: 'PrimaryEmailAddr',
      });
      // Even a blind retry of the same job (same requestid) replays instead of creating.
      expect(await quickbooksAdapter.create(company(name), ctx)).toEqual({
        kind: 'created',
        erpCustomerId: named(name)[0]?.Id,
      });
      expect(named(name)).toHaveLength(1);
    });
  }

  it('the same job sent twice (requestid) → the same Customer.Id, one customer', async () => {
    const ctx = ctxFor(sim.authorize(), { jobId: 'job-replay' });
    const a = await quickbooksAdapter.create(company('Replay Co'), ctx);
    const b = await quickbooksAdapter.create(company('Replay Co'), ctx);
    expect(b).toEqual(a);
    expect(named('Replay Co')).toHaveLength(1);
  });
});

describe('QuickBooks contract: duplicates, validation, verify', () => {
  it('6240 for the same customer (same e-mail) → duplicate resolved as found; no second customer', async () => {
    const grant = sim.authorize();
    const first = await quickbooksAdapter.create(company('Globex'), ctxFor(grant, { jobId: 'job-g1' }));
    const second = await quickbooksAdapter.create(company('GLOBEX'), ctxFor(grant, { jobId: 'job-g2' }));
    expect(second).toMatchObject({
      kind: 'duplicate',
      upstream: { status: 400, code: '6240' },
      resolved: {
        kind: 'found',
        erpCustomerId: first.kind === 'created' ? first.erpCustomerId : 'x',
        provenBy: 'PrimaryEmailAddr',
      },
    });
    expect(sim.customers(grant.realmId)).toHaveLength(1);
  });

  // Issue 11 §1: the DisplayName is unique in QuickBooks, people's names are not.
  const juan = (email: string | undefined, jobId: string) => ({
    customer: customerSchema.parse({
      personType: 'person',
      name: { first: 'Juan', last: 'Pérez' },
      ...(email ? { email } : {}),
    }),
    jobId,
  });

  it('two different "Juan Pérez" (other e-mails) → the second is a conflict at /name, never the first one’s id', async () => {
    const grant = sim.authorize();
    const a = juan('juan.perez@acme.co', 'job-juan-1');
    const first = await quickbooksAdapter.create(a.customer, ctxFor(grant, { jobId: a.jobId }));
    expect(first.kind).toBe('created');
    const firstId = first.kind === 'created' ? first.erpCustomerId : 'x';
    const b = juan('jperez@globex.co', 'job-juan-2');
    const out = await quickbooksAdapter.create(b.customer, ctxFor(grant, { jobId: b.jobId }));
    expect(out).toMatchObject({
      kind: 'duplicate',
      upstream: { code: '6240' },
      resolved: { kind: 'conflict', pointer: '/name', existingId: firstId },
    });
    // After a lost answer the worker looks up: the same verdict (this job's requestid created nothing).
    expect(await quickbooksAdapter.lookup(b.customer, ctxFor(grant, { jobId: b.jobId }))).toMatchObject({
      kind: 'conflict',
      pointer: '/name',
      existingId: firstId,
    });
    expect(sim.customers(grant.realmId)).toHaveLength(1);
  });

  it('a "Juan Pérez" with no e-mail: only QuickBooks’ own requestid can prove it is this job’s', async () => {
    const grant = sim.authorize();
    const mine = juan(undefined, 'job-juan-mine');
    const ctx = ctxFor(grant, { jobId: mine.jobId, timeoutMs: 2_000 });
    await quickbooksAdapter.verify(ctx);
    sim.addFaults({ type: 'drop', match: { method: 'POST', path: '/customer$' } });
    expect((await quickbooksAdapter.create(mine.customer, ctx)).kind).toBe('unknown');
    const id = sim.customers(grant.realmId)[0]?.Id;
    expect(await quickbooksAdapter.lookup(mine.customer, ctx)).toEqual({
      kind: 'found',
      erpCustomerId: id,
      provenBy: 'requestid',
    });
    // Another job for another Juan Pérez without e-mail: its requestid created nothing → conflict.
    const other = juan(undefined, 'job-juan-other');
    expect(
      await quickbooksAdapter.lookup(other.customer, ctxFor(grant, { jobId: other.jobId })),
    ).toMatchObject({ kind: 'conflict', pointer: '/name', existingId: id });
    expect(sim.customers(grant.realmId)).toHaveLength(1);
  });

  it('a masked tax id that ends differently refutes an e-mail match', async () => {
    const grant = sim.authorize();
    const withTax = (number: string, jobId: string) => ({
      customer: company('Umbrella', { identification: { type: 'TAX_ID', number } }),
      jobId,
    });
    const a = withTax('12-3456789', 'job-u1');
    expect((await quickbooksAdapter.create(a.customer, ctxFor(grant, { jobId: a.jobId }))).kind).toBe(
      'created',
    );
    expect(sim.customers(grant.realmId)[0]?.PrimaryTaxIdentifier).toBe('XXXXXX6789');
    const b = withTax('98-7654321', 'job-u2');
    const out = await quickbooksAdapter.create(b.customer, ctxFor(grant, { jobId: b.jobId }));
    expect(out).toMatchObject({
      resolved: { kind: 'conflict', message: expect.stringMatching(/another PrimaryTaxIdentifier/) },
    });
  });

  it('an XML 6240 Fault is understood too', async () => {
    const grant = sim.authorize();
    const ctx = ctxFor(grant);
    const first = await quickbooksAdapter.create(company('Initech'), ctx);
    sim.addFaults({
      type: 'status',
      status: 400,
      headers: { 'content-type': 'application/xml' },
      body: '<?xml version="1.0"?><IntuitResponse><Fault type="ValidationFault"><Error code="6240" element=""><Message>Duplicate Name Exists Error</Message><Detail>The name supplied already exists. : Another customer, vendor or employee is already using this name.</Detail></Error></Fault></IntuitResponse>',
      match: { method: 'POST', path: '/customer$' },
    });
    const out = await quickbooksAdapter.create(company('Initech'), ctxFor(grant, { jobId: 'job-xml' }));
    expect(out).toMatchObject({
      kind: 'duplicate',
      resolved: { kind: 'found', erpCustomerId: first.kind === 'created' ? first.erpCustomerId : 'x' },
    });
  });

  it('6240 because a vendor holds the name → conflict naming the vendor, with or without its Id in the Fault', async () => {
    for (const legacyDuplicateDetail of [false, true]) {
      const qb = await startQuickBooksSimulator({}, { legacyDuplicateDetail });
      try {
        const grant = qb.authorize();
        const vendorId = qb.addParty(grant.realmId, 'Vendor', 'Acme Supplies');
        const ctx = adapterContext(quickbooksAdapter, {
          credentials: grant,
          endpoints: { base: qb.url, token: `${qb.url}/oauth2/v1/tokens/bearer` },
        });
        const out = await quickbooksAdapter.create(company('Acme Supplies'), ctx);
        expect(out).toMatchObject({
          kind: 'duplicate',
          resolved: {
            kind: 'conflict',
            pointer: '/name/company',
            existingId: vendorId,
            message: expect.stringMatching(/vendor/),
          },
        });
        expect(await quickbooksAdapter.lookup(company('Acme Supplies'), ctx)).toMatchObject({
          kind: 'conflict',
          existingId: vendorId,
        });
        expect(qb.customers(grant.realmId)).toHaveLength(0);
      } finally {
        await qb.close();
      }
    }
  });

  it('lookup finds an inactive customer too, and names with a quote or a backslash', async () => {
    // Issue 11 §2: an unescaped backslash made "Tools \ Hardware" unfindable and "Dept. A\" a parse error.
    for (const name of ["King's Groceries", 'Tools \\ Hardware', 'Dept. A\\', "O'Brien \\' Sons"]) {
      const c = company(name, { active: false });
      const grant = sim.authorize();
      const ctx = ctxFor(grant);
      const created = await quickbooksAdapter.create(c, ctx);
      expect(created.kind, name).toBe('created');
      expect(await quickbooksAdapter.lookup(c, ctx), name).toEqual({
        kind: 'found',
        erpCustomerId: created.kind === 'created' ? created.erpCustomerId : 'x',
        provenBy: 'PrimaryEmailAddr',
      });
      // The same customer as another job: 6240 → its holder found by name (same e-mail), never a parse error.
      const twice = await quickbooksAdapter.create(c, ctxFor(grant));
      expect(twice, name).toMatchObject({ kind: 'duplicate', resolved: { kind: 'found' } });
    }
  });

  it('a validation Fault → invalid, the element mapped to the unified pointer', async () => {
    const ctx = ctxFor(sim.authorize());
    const out = await quickbooksAdapter.create(company('Parent: Child'), ctx);
    expect(out).toMatchObject({
      kind: 'invalid',
      upstream: { status: 400, code: '6000' },
      details: [{ pointer: '/name/company', code: 'quickbooks_6000' }],
    });
  });

  it('issue 11 §3: "Castellanos Villamizar" and 1,500-character Notes pass requirements and are created (API reference limits)', async () => {
    const ctx = ctxFor(sim.authorize());
    const person = customerSchema.parse({
      personType: 'person',
      name: { first: 'María José', last: 'Castellanos Villamizar' },
      notes: 'n'.repeat(1500),
    });
    expect(quickbooksAdapter.requirements(person)).toEqual([]);
    expect(await quickbooksAdapter.create(person, ctx)).toMatchObject({ kind: 'created' });
    expect(named('María José Castellanos Villamizar')[0]).toMatchObject({
      FamilyName: 'Castellanos Villamizar',
    });
  });

  it('a live 2050 length Fault → invalid with the pointer, with or without the Fault element', async () => {
    // The 2015 fault: CompanyName refused at 50 (the reference says 100), element empty.
    const strict = await startQuickBooksSimulator(undefined, {
      companyNameMax: 50,
      lengthFaultElement: false,
    });
    try {
      const name = `Corporación Industrial de Alimentos del Valle ${'Z'.repeat(10)}`;
      const ctx = adapterContext(quickbooksAdapter, {
        credentials: strict.authorize(),
        endpoints: { base: strict.url, token: `${strict.url}/oauth2/v1/tokens/bearer` },
      });
      const out = await quickbooksAdapter.create(company(name), ctx);
      expect(out).toMatchObject({
        kind: 'invalid',
        upstream: { status: 400, code: '2050' },
        details: [{ pointer: '/name/company', code: 'quickbooks_2050' }],
      });
      expect(out.kind === 'invalid' && out.details?.[0]?.message).toContain('at most 50');
      expect(strict.customers()).toHaveLength(0);
    } finally {
      await strict.close();
    }
    const withElement = await startQuickBooksSimulator(undefined, { companyNameMax: 50 });
    try {
      const ctx = adapterContext(quickbooksAdapter, {
        credentials: withElement.authorize(),
        endpoints: { base: withElement.url, token: `${withElement.url}/oauth2/v1/tokens/bearer` },
      });
      expect(await quickbooksAdapter.create(company('X'.repeat(60)), ctx)).toMatchObject({
        kind: 'invalid',
        details: [{ pointer: '/name/company', code: 'quickbooks_2050' }],
      });
    } finally {
      await withElement.close();
    }
  });

  it('verify: ok with the company name; failing with a dead refresh token', async () => {
    expect(await quickbooksAdapter.verify(ctxFor(sim.authorize()))).toEqual({
      kind: 'ok',
      detail: expect.stringContaining('Sandbox Company_'),
    });
    const bad = ctxFor({ ...sim.authorize(), refreshToken: 'AB11-expired' });
    expect(await quickbooksAdapter.verify(bad)).toMatchObject({ kind: 'auth', reauthorize: true });
  });

  it('the demo connection works out of the box and its rotated token survives a simulator restart', async () => {
    const statePath = path.join(tempDir('qbo-sim-'), 'quickbooks.json');
    let s = await startQuickBooksSimulator({ statePath });
    const eps = () => ({ base: s.url, token: `${s.url}/oauth2/v1/tokens/bearer` });
    const ctx = adapterContext(quickbooksAdapter, {
      credentials: { ...QUICKBOOKS_DEMO_CREDENTIALS },
      endpoints: eps(),
    });
    expect((await quickbooksAdapter.create(company('Demo Co'), ctx)).kind).toBe('created');
    await s.close();
    s = await startQuickBooksSimulator({ statePath });
    try {
      const rotated = {
        ...ctx.connection.credentials,
        accessToken: undefined,
        accessTokenExpiresAt: undefined,
      };
      const again = adapterContext(quickbooksAdapter, { credentials: rotated, endpoints: eps() });
      expect(await quickbooksAdapter.lookup(company('Demo Co'), again)).toMatchObject({ kind: 'found' });
      expect(s.refreshCount()).toBe(2);
    } finally {
      await s.close();
    }
  });
});
