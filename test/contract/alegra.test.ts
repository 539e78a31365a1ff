import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ALEGRA_DEMO_CREDENTIALS,
  type AlegraSimulator,
  startAlegraSimulator,
} from '../../local/simulators/alegra';
import { customerSchema, type UnifiedCustomerInput } from '../../shared/customer/schema';
import { alegraAdapter } from '../../shared/erps/alegra/adapter';
import type { AlegraCredentials } from '../../shared/erps/alegra/credentials';
import { adapterContext } from '../helpers/adapter-context';
import { capture, registerSecrets } from '../helpers/leak-guard';
import { tempDir } from '../helpers/temp';

const WRONG: AlegraCredentials = { email: 'intruder@acme.co', token: 'wrong0token0wrong000' };
registerSecrets(ALEGRA_DEMO_CREDENTIALS);
registerSecrets(WRONG);

const customer = (over: Partial<UnifiedCustomerInput> = {}) =>
  customerSchema.parse({
    personType: 'company',
    name: { company: 'Stark Industries SAS' },
    identification: { type: 'NIT', number: '900373913' },
    email: 'billing@stark.co',
    ...over,
  } as UnifiedCustomerInput);

let sim: AlegraSimulator;
const ctxFor = (opts: { credentials?: AlegraCredentials; timeoutMs?: number } = {}) =>
  adapterContext(alegraAdapter, {
    credentials: opts.credentials ?? ALEGRA_DEMO_CREDENTIALS,
    endpoints: { base: `${sim.url}/api/v1` },
    timeoutMs: opts.timeoutMs ?? 2000,
  });
/** Every outcome goes through the leak guard: no credential may appear in what an adapter returns. */
const seen = <T>(o: T): T => {
  capture('outcome', JSON.stringify(o));
  return o;
};

beforeAll(async () => {
  sim = await startAlegraSimulator();
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
  Object.assign(sim.options, {
    duplicateIdentification: 'allow',
    duplicateEmail: 'allow',
    identificationFilter: true,
    createStatus: 201,
    idAsNumber: false,
    wrapErrors: false,
    ratePerMinute: 150,
  });
  sim.setUserStatus(ALEGRA_DEMO_CREDENTIALS.email, 'active');
});

describe('Alegra adapter against the simulator', () => {
  it('creates a contact (201 + id) with the NIT object and its DV', async () => {
    const out = seen(await alegraAdapter.create(customer(), ctxFor()));
    expect(out).toEqual({ kind: 'created', erpCustomerId: '1' });
    const stored = sim.state().customers;
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      id: '1',
      name: 'Stark Industries SAS',
      identification: '900373913',
      identificationObject: { type: 'NIT', number: '900373913', dv: '4' },
      kindOfPerson: 'LEGAL_ENTITY',
      type: ['client'],
    });
  });

  it('the demo credentials satisfy the credentials schema', () => {
    expect(alegraAdapter.credentialsSchema.parse(ALEGRA_DEMO_CREDENTIALS)).toEqual(ALEGRA_DEMO_CREDENTIALS);
  });

  it('accepts a 200 with a numeric id as created', async () => {
    Object.assign(sim.options, { createStatus: 200, idAsNumber: true });
    expect(seen(await alegraAdapter.create(customer(), ctxFor()))).toEqual({
      kind: 'created',
      erpCustomerId: '1',
    });
  });

  it('reuses the same Basic credentials: no token exchange, one request per create', async () => {
    const ctx = ctxFor();
    let tokenFetches = 0;
    const tokens = ctx.tokens;
    ctx.tokens = {
      ...tokens,
      get: (k, f, m) => {
        tokenFetches++;
        return tokens.get(k, f, m);
      },
    };
    const a = seen(await alegraAdapter.create(customer(), ctx));
    const b = seen(
      await alegraAdapter.create(customer({ identification: { type: 'CC', number: '1234' } }), ctx),
    );
    expect([a, b]).toEqual([
      { kind: 'created', erpCustomerId: '1' },
      { kind: 'created', erpCustomerId: '2' },
    ]);
    expect(sim.calls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
      'POST /api/v1/contacts 201',
      'POST /api/v1/contacts 201',
    ]);
    expect(tokenFetches).toBe(0);
  });

  it('bad credentials → auth, for create and verify, with no credential in the outcome', async () => {
    const ctx = ctxFor({ credentials: WRONG });
    const created = seen(await alegraAdapter.create(customer(), ctx));
    expect(created).toMatchObject({ kind: 'auth', upstream: { erp: 'alegra', status: 401 } });
    const verified = seen(await alegraAdapter.verify(ctx));
    expect(verified).toMatchObject({ kind: 'auth', upstream: { status: 401 } });
    expect(sim.state().customers).toHaveLength(0);
  });

  it('on a 401 re-reads the stored credentials once and retries when they changed', async () => {
    const ctx = ctxFor({ credentials: WRONG });
    let reloads = 0;
    ctx.connection.reloadCredentials = async () => {
      reloads++;
      return ALEGRA_DEMO_CREDENTIALS;
    };
    expect(seen(await alegraAdapter.create(customer(), ctx))).toEqual({
      kind: 'created',
      erpCustomerId: '1',
    });
    expect(reloads).toBe(1);
    expect(sim.calls.map((c) => c.status)).toEqual([401, 201]);
    // verify proves the credentials it was given, never others found in the store.
    expect(seen(await alegraAdapter.verify(ctx)).kind).toBe('auth');
    expect(reloads).toBe(1);
  });

  it('a suspended account (402) and a user without permission (403) → auth', async () => {
    sim.setUserStatus(ALEGRA_DEMO_CREDENTIALS.email, 'suspended');
    expect(seen(await alegraAdapter.create(customer(), ctxFor()))).toMatchObject({
      kind: 'auth',
      upstream: { status: 402, code: '402' },
    });
    expect(seen(await alegraAdapter.verify(ctxFor()))).toMatchObject({ kind: 'auth' });
    sim.setUserStatus(ALEGRA_DEMO_CREDENTIALS.email, 'no_permission');
    expect(seen(await alegraAdapter.create(customer(), ctxFor()))).toMatchObject({
      kind: 'auth',
      upstream: { status: 403 },
    });
    expect(sim.state().customers).toHaveLength(0);
  });

  it('verify: ok with good credentials', async () => {
    expect(seen(await alegraAdapter.verify(ctxFor()))).toEqual({ kind: 'ok', detail: 'contacts readable' });
  });

  it('429 with X-Rate-Limit-Reset → rate_limited with that wait', async () => {
    sim.addFaults({
      type: 'status',
      status: 429,
      body: { message: 'Too many requests', code: 429 },
      headers: { 'X-Rate-Limit-Limit': '150', 'X-Rate-Limit-Remaining': '0', 'X-Rate-Limit-Reset': '37' },
    });
    expect(seen(await alegraAdapter.create(customer(), ctxFor()))).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 37_000,
      upstream: { status: 429, code: '429' },
    });
  });

  it('the simulator enforces the per-user limit per minute with the documented headers', async () => {
    sim.options.ratePerMinute = 2;
    const ctx = ctxFor();
    expect(seen(await alegraAdapter.create(customer(), ctx)).kind).toBe('created');
    expect(seen(await alegraAdapter.verify(ctx)).kind).toBe('ok');
    const limited = seen(await alegraAdapter.create(customer(), ctx));
    expect(limited.kind).toBe('rate_limited');
    const wait = limited.kind === 'rate_limited' ? limited.retryAfterMs : undefined;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60_000);
    expect(sim.state().customers).toHaveLength(1);
  });

  it('5xx on a create → unknown; on a look-up → transient', async () => {
    sim.addFaults({ type: 'status', status: 500, body: { message: 'Internal error', code: 500 } });
    expect(seen(await alegraAdapter.create(customer(), ctxFor()))).toMatchObject({
      kind: 'unknown',
      upstream: { status: 500 },
    });
    sim.addFaults({ type: 'status', status: 503, body: { error: { message: 'Unavailable', code: 503 } } });
    expect(seen(await alegraAdapter.lookup(customer(), ctxFor()))).toMatchObject({
      kind: 'transient',
      upstream: { status: 503, message: 'Unavailable', code: '503' },
    });
  });

  it('a delay past the client timeout → unknown; the look-up finds the one contact created', async () => {
    sim.addFaults({ type: 'delay', delayMs: 1500, match: { method: 'POST' } });
    const out = seen(await alegraAdapter.create(customer(), ctxFor({ timeoutMs: 300 })));
    expect(out).toMatchObject({ kind: 'unknown', upstream: { code: 'timeout' } });
    expect(seen(await alegraAdapter.lookup(customer(), ctxFor()))).toEqual({
      kind: 'found',
      erpCustomerId: '1',
      provenBy: 'identification, email',
    });
    expect(sim.state().customers).toHaveLength(1);
  });

  it('a dropped response → unknown; the look-up finds the one contact created', async () => {
    sim.addFaults({ type: 'drop', match: { method: 'POST' } });
    const out = seen(await alegraAdapter.create(customer(), ctxFor()));
    expect(out.kind).toBe('unknown');
    expect(seen(await alegraAdapter.lookup(customer(), ctxFor()))).toEqual({
      kind: 'found',
      erpCustomerId: '1',
      provenBy: 'identification, email',
    });
    expect(sim.state().customers).toHaveLength(1);
  });

  it('a reset before the request is handled creates nothing, and the look-up says not_found', async () => {
    sim.addFaults({ type: 'reset', match: { method: 'POST' } });
    expect(['unknown', 'transient']).toContain(seen(await alegraAdapter.create(customer(), ctxFor())).kind);
    expect(sim.state().customers).toHaveLength(0);
    expect(seen(await alegraAdapter.lookup(customer(), ctxFor()))).toEqual({ kind: 'not_found' });
  });

  it('an account that refuses repeated identifications → duplicate; the look-up finds the existing id', async () => {
    sim.options.duplicateIdentification = 'reject';
    const ctx = ctxFor();
    expect(seen(await alegraAdapter.create(customer({ email: 'first@stark.co' }), ctx))).toEqual({
      kind: 'created',
      erpCustomerId: '1',
    });
    const dup = seen(await alegraAdapter.create(customer({ email: 'second@stark.co' }), ctx));
    expect(dup).toMatchObject({
      kind: 'duplicate',
      upstream: { status: 400, code: '905' },
      // The same NIT is the same customer; another e-mail does not make it someone else.
      resolved: { kind: 'found', erpCustomerId: '1', provenBy: 'identification' },
    });
    expect(seen(await alegraAdapter.lookup(customer(), ctx))).toEqual({
      kind: 'found',
      erpCustomerId: '1',
      provenBy: 'identification',
    });
    expect(sim.state().customers).toHaveLength(1);
  });

  it('an account that refuses repeated e-mails: the holder with another identification → conflict at /email', async () => {
    sim.options.duplicateEmail = 'reject';
    const ctx = ctxFor();
    const shared = 'contabilidad@asesores.co';
    const first = customer({ identification: { type: 'CC', number: '1020304050' }, email: shared });
    expect(seen(await alegraAdapter.create(first, ctx)).kind).toBe('created');
    const second = customer({ identification: { type: 'CC', number: '79876543' }, email: shared });
    expect(seen(await alegraAdapter.create(second, ctx))).toMatchObject({
      kind: 'duplicate',
      upstream: { code: '905' },
      resolved: {
        kind: 'conflict',
        pointer: '/email',
        existingId: '1',
        message: expect.stringMatching(/another identification/),
      },
    });
    // A look-up (after a lost answer) does not adopt it either: Alegra would take a second contact.
    expect(seen(await alegraAdapter.lookup(second, ctx))).toEqual({ kind: 'not_found' });
    expect(sim.state().customers).toHaveLength(1);
  });

  it('checks identifications client-side when the server ignores the filter, across pages', async () => {
    sim.options.identificationFilter = false;
    const ctx = ctxFor();
    for (let i = 0; i < 35; i++) {
      const out = await alegraAdapter.create(
        customer({ identification: { type: 'CC', number: String(1000 + i) }, email: undefined }),
        ctx,
      );
      expect(out.kind).toBe('created');
    }
    // Newest first, so contact 3 (CC 1002) is on the second page.
    const found = seen(
      await alegraAdapter.lookup(
        customer({ identification: { type: 'CC', number: '1002' }, email: undefined }),
        ctx,
      ),
    );
    expect(found).toEqual({ kind: 'found', erpCustomerId: '3', provenBy: 'identification' });
    expect(
      seen(
        await alegraAdapter.lookup(
          customer({ identification: { type: 'CC', number: '999' }, email: undefined }),
          ctx,
        ),
      ),
    ).toEqual({ kind: 'not_found' });
  });

  it('falls back to the email, case-insensitively, never matching a contact with another identification', async () => {
    const ctx = ctxFor();
    const person = { personType: 'person' as const, name: { first: 'Ana', last: 'Gómez' } };
    await alegraAdapter.create(
      customer({ ...person, identification: undefined, email: 'Ana@Example.com' }),
      ctx,
    );
    await alegraAdapter.create(
      customer({ identification: { type: 'CC', number: '555' }, email: 'x@stark.co' }),
      ctx,
    );
    expect(
      seen(
        await alegraAdapter.lookup(
          customer({ ...person, identification: undefined, email: 'ana@example.com' }),
          ctx,
        ),
      ),
    ).toEqual({ kind: 'found', erpCustomerId: '1', provenBy: 'email' });
    // Same email, different identification: another contact, not ours.
    expect(
      seen(
        await alegraAdapter.lookup(
          customer({ identification: { type: 'CC', number: '777' }, email: 'x@stark.co' }),
          ctx,
        ),
      ),
    ).toEqual({ kind: 'not_found' });
  });

  it('a validation error → invalid with Alegra’s message and a pointer into the unified body', async () => {
    sim.options.wrapErrors = true;
    const out = seen(
      await alegraAdapter.create(customer({ erpFields: { regime: 'NOT_A_REGIME' } }), ctxFor()),
    );
    expect(out).toEqual({
      kind: 'invalid',
      upstream: { erp: 'alegra', status: 400, code: '400', message: 'El valor de regime no es válido.' },
      details: [
        { pointer: '/erpFields/regime', code: 'alegra_400', message: 'El valor de regime no es válido.' },
      ],
    });
  });

  it('sends exactly the request buildCreateRequest describes', async () => {
    const c = customer({ phones: [{ kind: 'mobile', number: '3001234567' }], notes: 'VIP' });
    const ctx = ctxFor();
    const built = alegraAdapter.buildCreateRequest(c, ctx);
    await alegraAdapter.create(c, ctx);
    const {
      id: _id,
      identificationObject,
      identification,
      type,
      ...rest
    } = sim.state().customers[0] as Record<string, unknown>;
    const { identification: sentId, type: sentType, ...sentRest } = built.body as Record<string, unknown>;
    expect(rest).toEqual(sentRest);
    expect(identificationObject).toEqual(sentId);
    expect(identification).toBe('900373913');
    expect(type).toEqual(sentType);
  });

  it('keeps its contacts across a restart (state file)', async () => {
    const dir = tempDir('alegra-sim-');
    const statePath = path.join(dir, 'alegra.json');
    const first = await startAlegraSimulator({ statePath });
    const endpoints = { base: `${first.url}/api/v1` };
    const created = await alegraAdapter.create(
      customer(),
      adapterContext(alegraAdapter, { credentials: ALEGRA_DEMO_CREDENTIALS, endpoints }),
    );
    expect(created).toEqual({ kind: 'created', erpCustomerId: '1' });
    await first.close();
    const second = await startAlegraSimulator({ statePath });
    try {
      expect(second.state().customers.map((c) => c.id)).toEqual(['1']);
      const ctx = adapterContext(alegraAdapter, {
        credentials: ALEGRA_DEMO_CREDENTIALS,
        endpoints: { base: `${second.url}/api/v1` },
      });
      expect(await alegraAdapter.lookup(customer(), ctx)).toMatchObject({
        kind: 'found',
        erpCustomerId: '1',
      });
      expect(await alegraAdapter.create(customer({ identification: undefined }), ctx)).toEqual({
        kind: 'created',
        erpCustomerId: '2',
      });
    } finally {
      await second.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
