import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CHARGEOVER_DEMO_CREDENTIALS,
  type ChargeOverSimulator,
  startChargeOverSimulator,
} from '../../local/simulators/chargeover';
import { customerSchema } from '../../shared/customer/schema';
import { type ChargeOverCredentials, chargeoverAdapter } from '../../shared/erps/chargeover';
import type { AdapterContext } from '../../shared/erps/types';
import { adapterContext } from '../helpers/adapter-context';
import { capture, registerSecrets } from '../helpers/leak-guard';
import { tempDir } from '../helpers/temp';

const creds = CHARGEOVER_DEMO_CREDENTIALS;
const stark = (extra: Record<string, unknown> = {}) =>
  customerSchema.parse({
    personType: 'company',
    name: { company: 'Stark Industries' },
    identification: { type: 'NIT', number: '900373913' },
    email: 'billing@stark.co',
    billingAddress: { lines: ['Cra. 18 #79A - 42'], city: 'Bogotá', country: 'CO' },
    contacts: [{ firstName: 'Marcos', lastName: 'Castillo', email: 'marcos@stark.co' }],
    ...extra,
  });

/** The adapter, with everything it returns handed to the leak guard (no credential may appear in it). */
const adapter = {
  ...chargeoverAdapter,
  buildCreateRequest: (...a: Parameters<typeof chargeoverAdapter.buildCreateRequest>) =>
    seen(chargeoverAdapter.buildCreateRequest(...a)),
  create: async (...a: Parameters<typeof chargeoverAdapter.create>) =>
    seen(await chargeoverAdapter.create(...a)),
  lookup: async (...a: Parameters<typeof chargeoverAdapter.lookup>) =>
    seen(await chargeoverAdapter.lookup(...a)),
  verify: async (...a: Parameters<typeof chargeoverAdapter.verify>) =>
    seen(await chargeoverAdapter.verify(...a)),
};
function seen<T>(value: T): T {
  capture('adapter result', JSON.stringify(value));
  return value;
}
registerSecrets({
  username: creds.username,
  privateKey: creds.privateKey,
  others: ['wrong-private-key-123', 'revoked-private-key'],
});

let sim: ChargeOverSimulator;
const ctxFor = (
  opts: { credentials?: ChargeOverCredentials; timeoutMs?: number; jobId?: string; url?: string } = {},
) =>
  adapterContext(chargeoverAdapter, {
    credentials: opts.credentials ?? creds,
    // The real base holds {instance}; the simulator listens on loopback, so the override carries none.
    endpoints: { api: `${opts.url ?? sim.url}/api/v3` },
    timeoutMs: opts.timeoutMs ?? 2000,
    jobId: opts.jobId,
  });

beforeAll(async () => {
  sim = await startChargeOverSimulator();
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
});

describe('ChargeOver adapter against the simulator', () => {
  it('creates a customer: 201 → created with response.id, the simulator holds the mapped body', async () => {
    const outcome = await adapter.create(stark({ externalId: 'CRM-1' }), ctxFor());
    expect(outcome).toEqual({ kind: 'created', erpCustomerId: '1' });
    const [held] = sim.customers();
    expect(held).toMatchObject({
      customer_id: 1,
      external_key: 'CRM-1',
      company: 'Stark Industries',
      superuser_name: 'Marcos Castillo',
      superuser_email: 'marcos@stark.co',
      bill_country: 'Colombia',
      tax_ident: '900373913-4',
    });
    expect(held?.superuser_id).toBe(1);
  });

  it('sends exactly the dry-run request', async () => {
    const ctx = ctxFor();
    const customer = stark();
    const dry = adapter.buildCreateRequest(customer, ctx);
    await adapter.create(customer, ctx);
    const [held] = sim.customers();
    for (const [k, v] of Object.entries(dry.body as Record<string, unknown>)) expect(held?.[k]).toEqual(v);
    expect(dry.url).toBe(`${sim.url}/api/v3/customer`);
  });

  it('reuses the Basic credentials: every call is one request, no auth round-trips', async () => {
    const ctx = ctxFor();
    const a = await adapter.create(stark(), { ...ctx, jobId: crypto.randomUUID() });
    const b = await adapter.create(stark(), { ...ctx, jobId: crypto.randomUUID() });
    expect([a.kind, b.kind]).toEqual(['created', 'created']);
    expect(sim.calls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
      'POST /api/v3/customer 201',
      'POST /api/v3/customer 201',
    ]);
  });

  it('on a 401 it re-reads the stored credentials once and retries with the new key', async () => {
    const stale = { ...creds, privateKey: 'revoked-private-key' };
    const base = ctxFor({ credentials: stale });
    let reloads = 0;
    const ctx: AdapterContext<ChargeOverCredentials> = {
      ...base,
      connection: {
        ...base.connection,
        credentials: stale,
        async reloadCredentials() {
          reloads++;
          return creds;
        },
      },
    };
    expect(await adapter.create(stark(), ctx)).toMatchObject({ kind: 'created' });
    expect(reloads).toBe(1);
    expect(sim.calls.map((c) => c.status)).toEqual([401, 201]);
  });

  it('bad credentials → auth with ChargeOver envelope message, nothing created, no secret in the outcome', async () => {
    const bad = { ...creds, privateKey: 'wrong-private-key-123' };
    const outcome = await adapter.create(stark(), ctxFor({ credentials: bad }));
    expect(outcome).toMatchObject({
      kind: 'auth',
      upstream: {
        erp: 'chargeover',
        status: 401,
        message: expect.stringContaining('Invalid or incorrect authorization'),
      },
    });
    expect(JSON.stringify(outcome)).not.toContain(bad.privateKey);
    expect(sim.customers()).toEqual([]);
    // Unchanged credentials on reload: no second attempt.
    expect(sim.calls).toHaveLength(1);
  });

  it('a 401 when the stored connection cannot be re-read is still auth', async () => {
    const bad = { ...creds, privateKey: 'wrong-private-key-123' };
    const base = ctxFor({ credentials: bad });
    const ctx: AdapterContext<ChargeOverCredentials> = {
      ...base,
      connection: {
        ...base.connection,
        credentials: bad,
        reloadCredentials: () => Promise.reject(new Error('connection was deleted')),
      },
    };
    expect(await adapter.create(stark(), ctx)).toMatchObject({ kind: 'auth', upstream: { status: 401 } });
  });

  it('429 with Retry-After → rate_limited with retryAfterMs', async () => {
    sim.addFaults({
      type: 'status',
      status: 429,
      headers: { 'Retry-After': '12' },
      body: { code: 429, status: 'Error', message: 'Too Many Requests', details: {}, response: false },
    });
    expect(await adapter.create(stark(), ctxFor())).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 12_000,
      upstream: { status: 429, message: 'Too Many Requests' },
    });
  });

  it('the simulator enforces its per-credential window and says when to come back', async () => {
    const limited = await startChargeOverSimulator({}, { rateLimit: { requests: 2, windowMs: 60_000 } });
    try {
      const ctx = ctxFor({ url: limited.url });
      expect((await adapter.verify(ctx)).kind).toBe('ok');
      expect((await adapter.verify(ctx)).kind).toBe('ok');
      const third = await adapter.create(stark(), ctx);
      expect(third.kind).toBe('rate_limited');
      expect(third.kind === 'rate_limited' && third.retryAfterMs).toBeGreaterThan(0);
      expect(limited.customers()).toEqual([]);
    } finally {
      await limited.close();
    }
  });

  it('5xx on a create → unknown (look up first); on a look-up → transient', async () => {
    sim.addFaults({ type: 'status', status: 500, match: { method: 'POST' } });
    expect((await adapter.create(stark(), ctxFor())).kind).toBe('unknown');
    sim.addFaults({ type: 'status', status: 503, match: { method: 'GET' } });
    expect((await adapter.lookup(stark(), ctxFor())).kind).toBe('transient');
  });

  it('a delay past the client timeout (customer created) → unknown; the look-up finds it; exactly one customer', async () => {
    const ctx = ctxFor({ timeoutMs: 2_000 });
    const customer = stark(); // no externalId: the key comes from the job id, the same on the next attempt
    sim.addFaults({ type: 'delay', delayMs: 20_000, match: { method: 'POST' } });
    const first = await adapter.create(customer, ctx);
    expect(first).toMatchObject({ kind: 'unknown', upstream: { code: 'timeout' } });
    const found = await adapter.lookup(customer, ctx);
    expect(found).toMatchObject({
      kind: 'found',
      erpCustomerId: '1',
      provenBy: expect.stringMatching(/^external_key/),
    });
    expect(sim.customers()).toHaveLength(1);
    expect(sim.customers()[0]?.external_key).toBe(`erpb-${ctx.jobId}`);
  });

  it('a dropped answer (customer created) → unknown; the look-up finds it; a blind re-create is refused as duplicate', async () => {
    const ctx = ctxFor();
    const customer = stark({ externalId: 'CRM-DROP' });
    sim.addFaults({ type: 'drop', match: { method: 'POST' } });
    expect((await adapter.create(customer, ctx)).kind).toBe('unknown');
    expect(await adapter.lookup(customer, ctx)).toMatchObject({ kind: 'found', erpCustomerId: '1' });
    expect((await adapter.create(customer, ctx)).kind).toBe('duplicate');
    expect(sim.customers()).toHaveLength(1);
  });

  it('duplicate external_key → duplicate; the look-up resolves the existing id (400 or 409 reading)', async () => {
    const customer = stark({ externalId: 'CRM-7' });
    await adapter.create(stark({ externalId: 'OTHER' }), ctxFor());
    expect(await adapter.create(customer, ctxFor())).toEqual({ kind: 'created', erpCustomerId: '2' });
    const dup = await adapter.create(customer, ctxFor());
    expect(dup).toMatchObject({
      kind: 'duplicate',
      upstream: { status: 400, message: expect.stringContaining('CRM-7') },
    });
    expect(await adapter.lookup(customer, ctxFor())).toMatchObject({ kind: 'found', erpCustomerId: '2' });

    const strict = await startChargeOverSimulator({}, { duplicateStatus: 409 });
    try {
      const ctx = ctxFor({ url: strict.url });
      await adapter.create(customer, ctx);
      expect(await adapter.create(customer, ctx)).toMatchObject({
        kind: 'duplicate',
        upstream: { status: 409 },
      });
    } finally {
      await strict.close();
    }
  });

  it('the key held by a customer with another tax id (entered by hand) → duplicate → conflict at /externalId', async () => {
    // Someone typed CRM-77 on another company in ChargeOver's UI; the CRM sends CRM-77 for Stark.
    const auth = `Basic ${Buffer.from(`${creds.username}:${creds.privateKey}`).toString('base64')}`;
    const other = await fetch(`${sim.url}/api/v3/customer`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        company: 'Wayne Enterprises',
        external_key: 'CRM-77',
        tax_ident: '800111222-3',
      }),
    });
    expect(other.status).toBe(201);
    const customer = stark({ externalId: 'CRM-77', identification: { type: 'NIT', number: '900373913' } });
    expect((await adapter.create(customer, ctxFor())).kind).toBe('duplicate');
    expect(await adapter.lookup(customer, ctxFor())).toMatchObject({
      kind: 'conflict',
      pointer: '/externalId',
      existingId: '1',
      message: expect.stringMatching(/another tax_ident/),
    });
    expect(sim.customers()).toHaveLength(1);
  });

  it('the key of a deleted customer stays taken: duplicate, and the look-up honestly finds nothing', async () => {
    const customer = stark({ externalId: 'CRM-GONE' });
    await adapter.create(customer, ctxFor());
    const auth = `Basic ${Buffer.from(`${creds.username}:${creds.privateKey}`).toString('base64')}`;
    const del = await fetch(`${sim.url}/api/v3/customer/1`, {
      method: 'DELETE',
      headers: { authorization: auth },
    });
    expect(del.status).toBe(200);
    expect((await adapter.create(customer, ctxFor())).kind).toBe('duplicate');
    expect(await adapter.lookup(customer, ctxFor())).toEqual({ kind: 'not_found' });
  });

  it('looks up keys with commas and colons exactly, and reports not_found for unknown keys', async () => {
    const odd = stark({ externalId: 'acct:42,b' });
    await adapter.create(stark({ externalId: 'acct:42' }), ctxFor());
    await adapter.create(odd, ctxFor());
    expect(await adapter.lookup(odd, ctxFor())).toMatchObject({ kind: 'found', erpCustomerId: '2' });
    expect(await adapter.lookup(stark({ externalId: 'nope' }), ctxFor())).toEqual({ kind: 'not_found' });
  });

  it("a body ChargeOver refuses → invalid with ChargeOver's generic message", async () => {
    const outcome = await adapter.create(stark({ erpFields: { invoice_delivery: 'fax' } }), ctxFor());
    expect(outcome).toEqual({
      kind: 'invalid',
      upstream: { erp: 'chargeover', status: 400, code: '400', message: 'Missing or invalid parameter.' },
    });
    expect(sim.customers()).toEqual([]);
  });

  it('verify: ok with good credentials, auth with bad ones, transient on a 5xx', async () => {
    expect(await adapter.verify(ctxFor())).toMatchObject({ kind: 'ok' });
    const bad = await adapter.verify(ctxFor({ credentials: { ...creds, username: 'someone-else' } }));
    expect(bad).toMatchObject({ kind: 'auth', upstream: { status: 401 } });
    sim.addFaults({ type: 'status', status: 502 });
    expect((await adapter.verify(ctxFor())).kind).toBe('transient');
  });

  it('a refused connection is transient for a create (nothing was sent)', async () => {
    const closed = await startChargeOverSimulator();
    const url = closed.url;
    await closed.close();
    expect((await adapter.create(stark(), ctxFor({ url }))).kind).toBe('transient');
  });
});

describe('ChargeOver simulator', () => {
  const auth = `Basic ${Buffer.from(`${creds.username}:${creds.privateKey}`).toString('base64')}`;

  it('answers a missing Authorization with the documented 401 envelope', async () => {
    const res = await fetch(`${sim.url}/api/v3/customer`, { method: 'POST', body: '{"company":"x"}' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      code: 401,
      status: 'Error',
      message: 'Invalid or incorrect authorization [Missing (basic) authorization header.]',
      details: {},
      response: false,
    });
  });

  it('requires company (documented 400 envelope), returns 201 + Location, and serves the documented reads', async () => {
    const post = (body: unknown) =>
      fetch(`${sim.url}/api/v3/customer`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const missing = await post({ external_key: 'x' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      code: 400,
      status: 'Error',
      message: 'Missing or invalid parameter.',
      details: {},
      response: false,
    });
    const ok = await post({ company: 'Acme', external_key: 'K-1', bill_state: 'MN' });
    expect(ok.status).toBe(201);
    expect(ok.headers.get('location')).toMatch(/\/api\/v3\/customer\/1$/);
    expect(await ok.json()).toEqual({
      code: 201,
      status: 'OK',
      message: '',
      details: {},
      response: { id: 1 },
    });

    const get = async (p: string) => {
      const res = await fetch(`${sim.url}/api/v3/${p}`, { headers: { authorization: auth } });
      return { status: res.status, body: (await res.json()) as { message: string; response: unknown } };
    };
    expect((await get('customer/1')).body.response).toMatchObject({ customer_id: 1, company: 'Acme' });
    expect((await get('customer/external_key:K-1')).body.response).toMatchObject({ customer_id: 1 });
    expect(await get('customer/2')).toMatchObject({ status: 404, body: { message: 'Object not found' } });
    expect((await get('customer?where=bill_state:EQUALS:MN')).body.response).toHaveLength(1);
    expect((await get('customer/_count?where=bill_state:EQUALS:WI')).body.response).toBe(0);
    expect(await get('customers')).toMatchObject({
      status: 400,
      body: { message: 'The object type requested is not supported: list(customers, )' },
    });
  });

  it('keeps its customers across a restart (snapshot)', async () => {
    const dir = tempDir('chargeover-sim-');
    const statePath = path.join(dir, 'chargeover.json');
    try {
      const first = await startChargeOverSimulator({ statePath });
      await adapter.create(stark({ externalId: 'KEEP' }), ctxFor({ url: first.url }));
      await first.close();
      const second = await startChargeOverSimulator({ statePath });
      try {
        expect(second.customers().map((c) => c.external_key)).toEqual(['KEEP']);
        const next = await adapter.create(stark({ externalId: 'NEXT' }), ctxFor({ url: second.url }));
        expect(next).toEqual({ kind: 'created', erpCustomerId: '2' });
        expect((second.state() as { customers: unknown[] }).customers).toHaveLength(2);
      } finally {
        await second.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
