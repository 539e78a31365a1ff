import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SAGE_DEMO_CREDENTIALS, type SageSimulator, startSageSimulator } from '../../local/simulators/sage';
import { customerSchema, type UnifiedCustomerInput } from '../../shared/customer/schema';
import { clearSageBlocks, type SageCredentials, sageAdapter } from '../../shared/erps/sage';
import { adapterContext } from '../helpers/adapter-context';
import { tempDir } from '../helpers/temp';

const endpointsOf = (sim: SageSimulator) => ({ api: `${sim.url}/api/2.0.0` });

const customer = (over: Partial<UnifiedCustomerInput> = {}) =>
  customerSchema.parse({
    personType: 'company',
    name: { company: 'Karoo Supplies (Pty) Ltd' },
    email: 'accounts@karoo.co.za',
    identification: { type: 'VAT', number: '4987654321' },
    billingAddress: { lines: ['1 Main Road'], city: 'Graaff-Reinet', postalCode: '6280', country: 'ZA' },
    ...over,
  });

describe('sage adapter against the simulator', () => {
  let sim: SageSimulator;
  const ctx = (
    over: {
      credentials?: Partial<SageCredentials>;
      timeoutMs?: number;
      jobId?: string;
      s?: SageSimulator;
    } = {},
  ) =>
    adapterContext(sageAdapter, {
      credentials: { ...SAGE_DEMO_CREDENTIALS, ...over.credentials },
      endpoints: endpointsOf(over.s ?? sim),
      timeoutMs: over.timeoutMs ?? 2000,
      jobId: over.jobId,
    });
  const saves = (s = sim) => s.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/Customer/Save'));

  beforeAll(async () => {
    sim = await startSageSimulator();
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => {
    sim.reset();
    clearSageBlocks();
  });

  it("creates a customer and returns Sage's integer ID; the look-up key is stored in TextField1", async () => {
    const c = ctx();
    const out = await sageAdapter.create(customer({ externalId: 'CRM-1' }), c);
    expect(out.kind).toBe('created');
    const stored = sim.customers();
    expect(stored).toHaveLength(1);
    expect(out).toEqual({ kind: 'created', erpCustomerId: String(stored[0]?.ID) });
    expect(stored[0]).toMatchObject({
      Name: 'Karoo Supplies (Pty) Ltd',
      TaxReference: '4987654321',
      TextField1: 'CRM-1',
      CommunicationMethod: 2,
      PostalAddress03: '6280',
    });
  });

  it('accepts a 200 answer to Save as well as 201', async () => {
    const s = await startSageSimulator(undefined, { createStatus: 200 });
    try {
      const out = await sageAdapter.create(customer(), ctx({ s }));
      expect(out).toEqual({ kind: 'created', erpCustomerId: String(s.customers()[0]?.ID) });
    } finally {
      await s.close();
    }
  });

  it('reuses the same key and login on every call: no login round-trip, one request per create', async () => {
    const c = ctx();
    const a = await sageAdapter.create(customer(), c);
    const b = await sageAdapter.create(customer({ name: { company: 'Other' } }), c);
    expect([a.kind, b.kind]).toEqual(['created', 'created']);
    expect(sim.calls.map((x) => `${x.method} ${x.path} ${x.status}`)).toEqual([
      'POST /api/2.0.0/Customer/Save 201',
      'POST /api/2.0.0/Customer/Save 201',
    ]);
  });

  it('a wrong password or API key is an auth outcome that names no secret', async () => {
    const badPassword = await sageAdapter.create(
      customer(),
      ctx({ credentials: { password: 'wrong-password' } }),
    );
    expect(badPassword).toMatchObject({ kind: 'auth', upstream: { erp: 'sage', status: 401 } });
    const badKey = await sageAdapter.create(
      customer(),
      ctx({ credentials: { apiKey: '{00000000-0000-4000-8000-000000000000}' } }),
    );
    expect(badKey).toMatchObject({ kind: 'auth', upstream: { status: 401 } });
    const text = JSON.stringify([badPassword, badKey]);
    expect(text).not.toContain('wrong-password');
    expect(text).not.toContain('00000000-0000-4000');
    expect(sim.customers()).toHaveLength(0);
  });

  it('a company the login cannot use is an auth outcome (company_not_found)', async () => {
    const out = await sageAdapter.create(customer(), ctx({ credentials: { companyId: 999 } }));
    expect(out).toMatchObject({ kind: 'auth', upstream: { status: 404, code: 'company_not_found' } });
  });

  it('more than 20 failed logins an hour block the user for 24 h, even with the right password', async () => {
    const bad = ctx({ credentials: { password: 'nope-nope' } });
    const outs = [];
    for (let i = 0; i < 21; i++) outs.push(await sageAdapter.verify(bad));
    expect(outs.slice(0, 20).every((o) => o.kind === 'auth')).toBe(true);
    expect(outs[20]).toMatchObject({ kind: 'rate_limited', upstream: { status: 429 } });
    expect((outs[20] as { retryAfterMs: number }).retryAfterMs).toBeGreaterThanOrEqual(24 * 3_600_000);
    clearSageBlocks();
    expect(await sageAdapter.verify(ctx())).toMatchObject({
      kind: 'rate_limited',
      upstream: { status: 429 },
    });
  });

  it("a 429 with Sage's block message → rate_limited for the hour, and no further call while blocked", async () => {
    sim.addFaults({
      type: 'status',
      status: 429,
      body: {
        Message:
          'Your IP address has exceeded the allowed number of transactions per minute and has been blocked for 1 hour',
      },
      match: { method: 'POST' },
    });
    const c = ctx();
    const first = await sageAdapter.create(customer(), c);
    expect(first).toMatchObject({
      kind: 'rate_limited',
      upstream: { status: 429, code: 'request_limit_reached' },
    });
    expect((first as { retryAfterMs: number }).retryAfterMs).toBeGreaterThanOrEqual(3_600_000);
    const callsBefore = sim.calls.length;
    const second = await sageAdapter.create(customer(), c);
    const look = await sageAdapter.lookup(customer(), c);
    expect(second).toMatchObject({ kind: 'rate_limited', upstream: { code: 'blocked' } });
    expect((second as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(3_500_000);
    expect(look.kind).toBe('rate_limited');
    expect(sim.calls.length).toBe(callsBefore);
  });

  it('the simulator enforces 100/min per company (here 3) with a block the adapter honours', async () => {
    const s = await startSageSimulator(undefined, { requestsPerMinute: 3 });
    try {
      const c = ctx({ s });
      for (let i = 0; i < 3; i++) expect((await sageAdapter.create(customer(), c)).kind).toBe('created');
      const limited = await sageAdapter.create(customer(), c);
      expect(limited).toMatchObject({ kind: 'rate_limited', upstream: { status: 429 } });
      // Even a process that forgot the block is refused: Sage keeps the company blocked.
      clearSageBlocks();
      expect(await sageAdapter.lookup(customer(), c)).toMatchObject({
        kind: 'rate_limited',
        upstream: { status: 429 },
      });
      expect(s.customers()).toHaveLength(3);
    } finally {
      await s.close();
    }
  });

  it('a 5xx on create is unknown (look up first); on a look-up it is transient', async () => {
    sim.addFaults({
      type: 'status',
      status: 500,
      body: { Message: 'An error has occurred.' },
      match: { method: 'POST' },
    });
    expect(await sageAdapter.create(customer(), ctx())).toMatchObject({
      kind: 'unknown',
      upstream: { status: 500, message: 'An error has occurred.' },
    });
    sim.addFaults({
      type: 'status',
      status: 503,
      headers: { 'retry-after': '120' },
      match: { method: 'GET' },
    });
    expect(await sageAdapter.lookup(customer(), ctx())).toMatchObject({
      kind: 'transient',
      retryAfterMs: 120_000,
    });
  });

  it('a delay past the client timeout after the customer was created → unknown; lookup finds exactly one', async () => {
    const jobId = crypto.randomUUID();
    const c = ctx({ timeoutMs: 300, jobId });
    sim.addFaults({ type: 'delay', delayMs: 1500, match: { method: 'POST' } });
    const out = await sageAdapter.create(customer(), c);
    expect(out).toMatchObject({ kind: 'unknown', upstream: { code: 'timeout' } });
    const found = await sageAdapter.lookup(customer(), ctx({ jobId }));
    const stored = sim.customers();
    expect(stored).toHaveLength(1);
    expect(found).toMatchObject({ kind: 'found', erpCustomerId: String(stored[0]?.ID) });
    expect(stored[0]?.TextField1).toBe(`erp-bridge:${jobId}`);
  });

  it('a dropped response after the customer was created → unknown; lookup by externalId finds exactly one', async () => {
    sim.addFaults({ type: 'drop', match: { method: 'POST' } });
    const c = customer({ externalId: "O'Brien-7" });
    expect((await sageAdapter.create(c, ctx())).kind).toBe('unknown');
    const stored = sim.customers();
    expect(stored).toHaveLength(1);
    expect(await sageAdapter.lookup(c, ctx())).toMatchObject({
      kind: 'found',
      erpCustomerId: String(stored[0]?.ID),
    });
  });

  it('look-up is not_found for a key nobody stored, and never matches another job', async () => {
    await sageAdapter.create(customer(), ctx({ jobId: crypto.randomUUID() }));
    expect(await sageAdapter.lookup(customer(), ctx({ jobId: crypto.randomUUID() }))).toEqual({
      kind: 'not_found',
    });
  });

  it('look-up re-checks TextField1 itself when Sage ignores the filter', async () => {
    const s = await startSageSimulator(undefined, { filterableFields: ['Name'] });
    try {
      const jobA = crypto.randomUUID();
      await sageAdapter.create(customer(), ctx({ s, jobId: jobA }));
      await sageAdapter.create(customer(), ctx({ s, jobId: crypto.randomUUID() }));
      const idA = String(s.customers().find((x) => x.TextField1 === `erp-bridge:${jobA}`)?.ID);
      expect(await sageAdapter.lookup(customer(), ctx({ s, jobId: jobA }))).toMatchObject({
        kind: 'found',
        erpCustomerId: idA,
      });
      expect(await sageAdapter.lookup(customer(), ctx({ s, jobId: crypto.randomUUID() }))).toEqual({
        kind: 'not_found',
      });
    } finally {
      await s.close();
    }
  });

  it('duplicates: a second create with the same externalId returns the existing ID and creates nothing', async () => {
    const first = await sageAdapter.create(customer({ externalId: 'CRM-42' }), ctx());
    const second = await sageAdapter.create(
      customer({ externalId: 'CRM-42', name: { company: 'Renamed' } }),
      ctx(),
    );
    expect(first.kind).toBe('created');
    expect(second).toMatchObject({
      kind: 'duplicate',
      resolved: { kind: 'found', erpCustomerId: (first as { erpCustomerId: string }).erpCustomerId },
      upstream: { code: 'external_id_exists' },
    });
    expect(sim.customers()).toHaveLength(1);
    expect(saves()).toHaveLength(1);
  });

  it('TextField1 is free text people type into: its holder with another tax reference is another customer → conflict', async () => {
    // A bookkeeper wrote "CRM-9" into TextField1 of another company by hand; the CRM sends CRM-9 for Karoo.
    await sageAdapter.create(
      customer({
        name: { company: 'Another Co' },
        externalId: 'CRM-9',
        identification: { type: 'VAT', number: '4111111111' },
        email: 'x@another.co.za',
      }),
      ctx(),
    );
    const other = String(sim.customers()[0]?.ID);
    const mine = customer({ externalId: 'CRM-9' });
    expect(await sageAdapter.create(mine, ctx())).toMatchObject({
      kind: 'duplicate',
      resolved: {
        kind: 'conflict',
        pointer: '/externalId',
        existingId: other,
        message: expect.stringMatching(/another TaxReference/),
      },
    });
    expect(await sageAdapter.lookup(mine, ctx())).toMatchObject({ kind: 'conflict', existingId: other });
    expect(saves()).toHaveLength(1);
  });

  it('duplicates: Sage allows the same Name twice by default; a Sage that refuses it yields duplicate', async () => {
    expect((await sageAdapter.create(customer(), ctx())).kind).toBe('created');
    expect((await sageAdapter.create(customer(), ctx())).kind).toBe('created');
    expect(sim.customers()).toHaveLength(2);
    const s = await startSageSimulator(undefined, { uniqueNames: true });
    try {
      await sageAdapter.create(customer(), ctx({ s }));
      expect(await sageAdapter.create(customer(), ctx({ s }))).toMatchObject({
        kind: 'duplicate',
        upstream: { status: 400, code: 'duplicate' },
      });
      expect(s.customers()).toHaveLength(1);
    } finally {
      await s.close();
    }
  });

  it("a validation refusal is invalid, with Sage's message and the unified pointer", async () => {
    // Skips requirements on purpose: this is what Sage itself says.
    const out = await sageAdapter.create(customer({ name: { company: 'N'.repeat(120) } }), ctx());
    expect(out).toMatchObject({
      kind: 'invalid',
      upstream: { status: 400, code: 'validation_failed' },
      details: [
        {
          pointer: '/name/company',
          code: 'rejected_by_erp',
          message: 'The field Name must be a string with a maximum length of 100.',
        },
      ],
    });
    expect(sim.customers()).toHaveLength(0);
  });

  it('issue 11 §4: DateField1 "2024-13-45" — Sage refuses it (the simulator as the .NET binder); requirements stop it at accept', async () => {
    const bad = customer({ erpFields: { DateField1: '2024-13-45' } });
    expect(sageAdapter.requirements(bad).map((i) => `${i.pointer} ${i.code}`)).toEqual([
      '/erpFields/DateField1 invalid_date',
    ]);
    // Skipping requirements, as a late failure would: Sage's 400, placed at the erpFields key.
    expect(await sageAdapter.create(bad, ctx())).toMatchObject({
      kind: 'invalid',
      details: [{ pointer: '/erpFields/DateField1' }],
    });
    expect(sim.customers()).toHaveLength(0);
    const ok = customer({ externalId: 'CRM-DATE', erpFields: { DateField1: '2024-02-29' } });
    expect(sageAdapter.requirements(ok)).toEqual([]);
    expect(await sageAdapter.create(ok, ctx())).toMatchObject({ kind: 'created' });
  });

  it('verify: ok names the company; a wrong password or a foreign company fails', async () => {
    expect(await sageAdapter.verify(ctx())).toEqual({
      kind: 'ok',
      detail: 'company 262144 (Demo Trading (Pty) Ltd)',
    });
    expect(await sageAdapter.verify(ctx({ credentials: { password: 'wrong-again' } }))).toMatchObject({
      kind: 'auth',
      upstream: { status: 401 },
    });
    expect(await sageAdapter.verify(ctx({ credentials: { companyId: 7 } }))).toMatchObject({
      kind: 'auth',
      upstream: { code: 'company_not_found' },
    });
  });

  it('a refused connection (simulator down) is transient, and nothing was sent', async () => {
    const s = await startSageSimulator();
    const c = ctx({ s });
    await s.close();
    expect(await sageAdapter.create(customer(), c)).toMatchObject({
      kind: 'transient',
      upstream: { code: 'refused' },
    });
  });

  it('state survives a restart through the snapshot', async () => {
    const dir = tempDir('sage-sim-');
    const statePath = `${dir}/sage.json`;
    const a = await startSageSimulator({ statePath });
    const created = await sageAdapter.create(customer({ externalId: 'KEEP-1' }), ctx({ s: a }));
    await a.close();
    const b = await startSageSimulator({ statePath });
    try {
      expect(b.customers()).toHaveLength(1);
      expect(await sageAdapter.lookup(customer({ externalId: 'KEEP-1' }), ctx({ s: b }))).toMatchObject({
        kind: 'found',
        erpCustomerId: (created as { erpCustomerId: string }).erpCustomerId,
      });
      // New IDs continue after the restored ones.
      const next = await sageAdapter.create(customer(), ctx({ s: b }));
      expect(Number((next as { erpCustomerId: string }).erpCustomerId)).toBeGreaterThan(
        Number((created as { erpCustomerId: string }).erpCustomerId),
      );
    } finally {
      await b.close();
    }
  });
});
