import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CHARGEOVER_DEMO_CREDENTIALS,
  type ChargeOverSimulator,
  startChargeOverSimulator,
} from '../../local/simulators/chargeover';
import { customerSchema, type UnifiedCustomerInput } from '../../shared/customer/schema';
import { chargeoverAdapter } from '../../shared/erps/chargeover';
import { adapterContext } from '../helpers/adapter-context';

/** Issue 11 §4 for ChargeOver: state/province as text (never a DANE code), city from its code, currency by id. */
let sim: ChargeOverSimulator;
const ctx = () =>
  adapterContext(chargeoverAdapter, {
    credentials: CHARGEOVER_DEMO_CREDENTIALS,
    endpoints: { api: `${sim.url}/api/v3` },
    timeoutMs: 2000,
  });
const parse = (over: Partial<UnifiedCustomerInput>) =>
  customerSchema.parse({ personType: 'company', name: { company: 'Stark Industries' }, ...over });

beforeAll(async () => {
  sim = await startChargeOverSimulator();
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => sim.reset());

describe('ChargeOver geography', () => {
  it('the issue’s example: DANE "11" goes as "Bogotá, D.C." (the simulator refuses a code as a state)', async () => {
    const c = parse({
      billingAddress: { lines: ['Cra. 18 #79A - 42'], cityCode: '11001', stateCode: '11', country: 'CO' },
      shippingAddress: { lines: ['Calle 100 #8A-55'], city: 'Bogotá', stateCode: '11', country: 'CO' },
    });
    expect(await chargeoverAdapter.create(c, ctx())).toMatchObject({ kind: 'created' });
    expect(sim.customers()[0]).toMatchObject({
      bill_city: 'Bogotá, D.C.',
      bill_state: 'Bogotá, D.C.',
      bill_country: 'Colombia',
      ship_city: 'Bogotá',
      ship_state: 'Bogotá, D.C.',
    });
  });

  it('US and Canadian states as their abbreviation (ChargeOver’s own example sends "MN"), others by name', () => {
    const body = (a: UnifiedCustomerInput['billingAddress']) =>
      chargeoverAdapter.buildCreateRequest(parse({ billingAddress: a }), ctx()).body as Record<
        string,
        unknown
      >;
    expect(body({ lines: ['x'], stateCode: 'MN', country: 'US' })).toMatchObject({
      bill_state: 'MN',
      bill_country: 'United States',
    });
    expect(body({ lines: ['x'], stateCode: 'CMX', country: 'MX' })).toMatchObject({
      bill_state: 'Ciudad de México',
    });
    // Fixed names, not the runtime's ("Hong Kong SAR China", "Bosnia & Herzegovina" on Node 20 and 24, ICU 78).
    expect(body({ lines: ['x'], country: 'HK' }).bill_country).toBe('Hong Kong');
    expect(body({ lines: ['x'], country: 'BA' }).bill_country).toBe('Bosnia and Herzegovina');
  });
});

describe('ChargeOver currency (it was dropped, and the account default stuck)', () => {
  it('an ISO currency without currency_id is refused at accept with /currency', () => {
    expect(chargeoverAdapter.requirements(parse({ currency: 'COP' }))).toEqual([
      expect.objectContaining({ pointer: '/currency', code: 'unsupported' }),
    ]);
  });

  it('with erpFields.currency_id the native id is sent and /currency is reported as not sent', async () => {
    const c = parse({ currency: 'COP', erpFields: { currency_id: 7 } });
    expect(chargeoverAdapter.requirements(c)).toEqual([]);
    expect(chargeoverAdapter.warnings?.(c)).toEqual([
      {
        pointer: '/currency',
        code: 'not_supported_by_erp',
        message: 'not sent: erpFields.currency_id sets the currency',
      },
    ]);
    expect(await chargeoverAdapter.create(c, ctx())).toMatchObject({ kind: 'created' });
    expect(sim.customers()[0]?.currency_id).toBe(7);
  });
});
