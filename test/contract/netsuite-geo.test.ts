import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  NETSUITE_DEMO_CREDENTIALS,
  type NetSuiteSimulator,
  startNetSuiteSimulator,
} from '../../local/simulators/netsuite';
import { customerSchema, type UnifiedCustomerInput } from '../../shared/customer/schema';
import { netsuiteAdapter } from '../../shared/erps/netsuite';
import { adapterContext } from '../helpers/adapter-context';

/**
 * Issue 11 §4 for NetSuite: the state NetSuite checks against the country (ISO 3166-2 code where it keeps a
 * list, "CA" not "California"), a name elsewhere (not the DANE code "11"), and the currency by internal id.
 */
let sim: NetSuiteSimulator;
let base: string;
const ctx = (jobId = 'job-geo') =>
  adapterContext(netsuiteAdapter, {
    credentials: NETSUITE_DEMO_CREDENTIALS,
    endpoints: { base },
    jobId,
    timeoutMs: 2000,
  });
const parse = (over: Partial<UnifiedCustomerInput>) =>
  customerSchema.parse({ personType: 'company', name: { company: 'Stark Industries' }, ...over });
type Book = { items: { addressBookAddress: Record<string, unknown> }[] };
const address = (n = 0) =>
  (sim.customers()[0]?.addressBook as Book | undefined)?.items[n]?.addressBookAddress;

beforeAll(async () => {
  sim = await startNetSuiteSimulator();
  base = `${sim.url}/{accountId}`;
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe('NetSuite state and city', () => {
  it('a US state given by name is sent as its code ("California" → "CA"); the simulator refuses the name', async () => {
    const c = parse({
      externalId: 'CRM-US-1',
      billingAddress: { lines: ['1 Infinite Loop'], city: 'Cupertino', state: 'California', country: 'US' },
    });
    expect(netsuiteAdapter.requirements(c)).toEqual([]);
    expect(await netsuiteAdapter.create(c, ctx())).toMatchObject({ kind: 'created' });
    expect(address()).toMatchObject({ state: 'CA', country: { id: 'US' } });
  });

  it('the issue’s example: Colombia’s DANE "11" is sent as "Bogotá, D.C.", the city from its DANE code', async () => {
    const c = parse({
      externalId: 'CRM-CO-1',
      billingAddress: { lines: ['Cra. 18 #79A - 42'], cityCode: '11001', stateCode: '11', country: 'CO' },
    });
    expect(await netsuiteAdapter.create(c, ctx())).toMatchObject({ kind: 'created' });
    expect(address()).toMatchObject({ city: 'Bogotá, D.C.', state: 'Bogotá, D.C.' });
  });

  it('a long DANE department name that exceeds NetSuite’s state length gives way to the ISO name', () => {
    const c = parse({ billingAddress: { lines: ['Av. Colombia'], cityCode: '88001', country: 'CO' } });
    expect(netsuiteAdapter.requirements(c)).toEqual([]);
    const body = netsuiteAdapter.buildCreateRequest(c, ctx()).body as {
      addressBook: { items: { addressBookAddress: Record<string, unknown> }[] };
    };
    expect(body.addressBook.items[0]?.addressBookAddress.state).toBe(
      'San Andrés, Providencia y Santa Catalina',
    );
  });

  it('refuses at accept a state name that is not of a country NetSuite checks, and a state code of another country', () => {
    const at = (a: UnifiedCustomerInput['billingAddress']) => {
      const r = customerSchema.safeParse({
        personType: 'company',
        name: { company: 'X' },
        billingAddress: a,
      });
      return r.success
        ? netsuiteAdapter.requirements(r.data).map((i) => `${i.pointer} ${i.code}`)
        : ['schema'];
    };
    expect(at({ lines: ['x'], state: 'Californa', country: 'US' })).toEqual([
      '/billingAddress/state invalid_reference',
    ]);
    expect(at({ lines: ['x'], stateCode: 'CA', country: 'GB' })).toEqual(['schema']);
    expect(at({ lines: ['x'], state: 'Ontario', country: 'CA' })).toEqual([]);
  });

  it('the simulator (free-form states off, as shipped) refuses a state that is not of the country', async () => {
    const c = parse({
      externalId: 'CRM-US-2',
      billingAddress: { lines: ['x'], state: 'Ontario', country: 'US' },
    });
    // Bypass the accept step: what NetSuite itself would answer to the old mapping.
    const out = await netsuiteAdapter.create(
      { ...c, billingAddress: { ...c.billingAddress!, state: 'ON' } },
      ctx(),
    );
    expect(out).toMatchObject({ kind: 'invalid' });
  });
});

describe('NetSuite currency (it was dropped)', () => {
  it('/currency without erpFields.currency is refused; with it the reference is sent and /currency is a warning', async () => {
    expect(netsuiteAdapter.requirements(parse({ currency: 'USD' }))).toEqual([
      expect.objectContaining({ pointer: '/currency', code: 'unsupported' }),
    ]);
    const c = parse({ externalId: 'CRM-CUR', currency: 'USD', erpFields: { currency: { id: '1' } } });
    expect(netsuiteAdapter.requirements(c)).toEqual([]);
    expect(netsuiteAdapter.warnings?.(c).map((w) => w.pointer)).toEqual(['/currency']);
    expect(await netsuiteAdapter.create(c, ctx())).toMatchObject({ kind: 'created' });
    expect(sim.customers()[0]?.currency).toEqual({ id: '1' });
  });
});
