import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ALEGRA_DEMO_CREDENTIALS,
  type AlegraSimulator,
  startAlegraSimulator,
} from '../../local/simulators/alegra';
import { customerSchema, type UnifiedCustomerInput } from '../../shared/customer/schema';
import { alegraAdapter } from '../../shared/erps/alegra/adapter';
import { adapterContext } from '../helpers/adapter-context';

/**
 * Issue 11 §4: Alegra gets the address and identification in the form it documents — Colombian department and
 * city by name (from DANE codes when only codes were sent), the country by a fixed Spanish name, and in Spain a
 * typed DNI/NIF with the province a NIF needs.
 */
const parse = (c: UnifiedCustomerInput) => customerSchema.parse(c);

let sim: AlegraSimulator;
const ctx = () =>
  adapterContext(alegraAdapter, {
    credentials: ALEGRA_DEMO_CREDENTIALS,
    endpoints: { base: `${sim.url}/api/v1` },
    timeoutMs: 2000,
  });

beforeAll(async () => {
  sim = await startAlegraSimulator();
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
  sim.options.country = 'CO';
  sim.options.electronicInvoicing = false;
});

const stored = () => sim.state().customers.at(-1);

/** A raw POST /contacts as the demo user: what the simulator answers to a body, whatever the adapter would send. */
const postRaw = (body: unknown) =>
  fetch(`${sim.url}/api/v1/contacts`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${ALEGRA_DEMO_CREDENTIALS.email}:${ALEGRA_DEMO_CREDENTIALS.token}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  }).then((r) => r.status);

describe('Alegra Colombia: DANE codes become the department and city names Alegra takes', () => {
  it('sends city and department from cityCode/stateCode (they were dropped, only the country went)', async () => {
    const c = parse({
      personType: 'company',
      name: { company: 'Stark Industries SAS' },
      identification: { type: 'NIT', number: '900373913' },
      billingAddress: { lines: ['Cra. 43A # 1-50'], cityCode: '05001', stateCode: '05', country: 'CO' },
    });
    expect(await alegraAdapter.create(c, ctx())).toMatchObject({ kind: 'created' });
    expect(stored()?.address).toEqual({
      address: 'Cra. 43A # 1-50',
      city: 'Medellín',
      department: 'Antioquia',
      country: 'Colombia',
    });
  });

  it('keeps a stateCode without a state name (it was dropped), and a city code alone gives both', async () => {
    const c = parse({
      personType: 'company',
      name: { company: 'Popayán Café SAS' },
      identification: { type: 'NIT', number: '900373913' },
      billingAddress: { lines: ['Calle 5 # 4-70'], cityCode: '19001', country: 'CO' },
    });
    const body = alegraAdapter.buildCreateRequest(c, ctx()).body as { address: Record<string, string> };
    expect(body.address).toMatchObject({ city: 'Popayán', department: 'Cauca' });
  });

  it('the simulator refuses codes where Alegra takes names (as the old mapping could have sent)', async () => {
    expect(await postRaw({ name: 'X', address: { address: 'x', city: '11001', department: '11' } })).toBe(
      400,
    );
  });

  it('names foreign countries in Spanish from a fixed table, not the runtime’s ICU labels', () => {
    const c = parse({
      personType: 'company',
      name: { company: 'Kowloon Trading Ltd' },
      email: 'ap@kowloon.hk',
      billingAddress: { lines: ['1 Queen’s Road'], city: 'Hong Kong', country: 'HK' },
    });
    const body = alegraAdapter.buildCreateRequest(c, ctx()).body as { address: Record<string, string> };
    // Intl.DisplayNames('es') says "RAE de Hong Kong (China)" (Node 20 and 24, ICU 78).
    expect(body.address.country).toBe('Hong Kong');
  });
});

describe('Alegra España: typed identification and the province a NIF needs', () => {
  beforeEach(() => {
    sim.options.country = 'ES';
  });

  const company = (over: Partial<UnifiedCustomerInput> = {}) =>
    parse({
      personType: 'company',
      name: { company: 'Talleres Gómez SL' },
      identification: { type: 'TAX_ID', number: 'B12345674', country: 'ES' },
      billingAddress: { lines: ['Calle Mayor 1'], city: 'Madrid', postalCode: '28013', country: 'ES' },
      ...over,
    });

  it('a company CIF is sent as {type: NIF} with the province from the postal code (it went untyped)', async () => {
    expect(await alegraAdapter.create(company(), ctx())).toMatchObject({ kind: 'created' });
    expect(stored()?.identificationObject).toEqual({ type: 'NIF', number: 'B12345674' });
    expect(stored()?.address).toMatchObject({ city: 'Madrid', province: 'Madrid', country: 'España' });
  });

  it('a person’s DNI is typed DNI; a NIE is a NIF; a VAT number loses its ES prefix, and the look-up finds it', async () => {
    const dni = parse({
      personType: 'person',
      name: { first: 'Lucía', last: 'Pérez' },
      identification: { type: 'TAX_ID', number: '12345678Z', country: 'ES' },
      email: 'lucia@example.es',
    });
    expect(await alegraAdapter.create(dni, ctx())).toMatchObject({ kind: 'created' });
    expect(stored()?.identificationObject).toEqual({ type: 'DNI', number: '12345678Z' });

    const nie = company({ identification: { type: 'TAX_ID', number: 'X1234567L', country: 'ES' } });
    expect(await alegraAdapter.create(nie, ctx())).toMatchObject({ kind: 'created' });
    expect(stored()?.identificationObject).toEqual({ type: 'NIF', number: 'X1234567L' });

    const vat = company({
      identification: { type: 'VAT', number: 'ESB12345674' },
      name: { company: 'Otra SL' },
    });
    const created = await alegraAdapter.create(vat, ctx());
    expect(stored()?.identificationObject).toEqual({ type: 'NIF', number: 'B12345674' });
    // Found and proven by the identification the create sent (B12345674, not ESB12345674).
    expect(await alegraAdapter.lookup(vat, ctx())).toEqual({
      kind: 'found',
      provenBy: 'identification',
      erpCustomerId: created.kind === 'created' ? created.erpCustomerId : '?',
    });
  });

  it('the simulator refuses an untyped identification, a removed type, and a NIF without province', async () => {
    const post = postRaw;
    expect(await post({ name: 'X', identification: 'B12345674' })).toBe(400);
    expect(await post({ name: 'X', identification: { type: 'NIE', number: 'X1234567L' } })).toBe(400);
    expect(
      await post({
        name: 'X',
        identification: { type: 'NIF', number: 'B12345674' },
        address: { city: 'Madrid' },
      }),
    ).toBe(400);
    expect(await post({ name: 'X', identification: { type: 'NC', number: 'anything' } })).toBe(400);
    expect(
      await post({
        name: 'X',
        identification: { type: 'NIF', number: 'B12345674' },
        address: { city: 'Madrid', province: 'Madrid' },
      }),
    ).toBe(201);
  });

  it('refuses at accept, with pointers, what Alegra España would refuse', () => {
    const at = (c: ReturnType<typeof company>) =>
      alegraAdapter.requirements(c).map((i) => `${i.pointer} ${i.code}`);
    expect(at(company({ billingAddress: { lines: ['Calle Mayor 1'], country: 'ES' } }))).toEqual([
      '/billingAddress/city required',
      '/billingAddress/stateCode required',
    ]);
    expect(at(company({ billingAddress: undefined, email: 'a@b.es' }))).toEqual(['/billingAddress required']);
    // A number that is no Spanish NIF/NIE/DNI is refused earlier, by the unified schema (stdnum), at the same pointer.
    const notSpanish = customerSchema.safeParse({
      personType: 'company',
      name: { company: 'Acme SL' },
      identification: { type: 'TAX_ID', number: '1234', country: 'ES' },
    });
    expect(notSpanish.success ? [] : notSpanish.error.issues.map((i) => `/${i.path.join('/')}`)).toEqual([
      '/identification/number',
    ]);
    // A DNI holder needs no province; a province code or name works as well as a postal code.
    expect(
      at(
        company({
          identification: { type: 'TAX_ID', number: '12345678Z', country: 'ES' },
          billingAddress: undefined,
          email: 'a@b.es',
        }),
      ),
    ).toEqual([]);
    expect(
      at(company({ billingAddress: { lines: ['x'], city: 'Sevilla', stateCode: 'SE', country: 'ES' } })),
    ).toEqual([]);
  });
});

describe('Alegra warnings (fields it has no place for)', () => {
  it('currency, a second address, a region that is not a province', () => {
    const c = parse({
      personType: 'company',
      name: { company: 'Talleres Gómez SL' },
      identification: { type: 'TAX_ID', number: '12345678Z', country: 'ES' },
      currency: 'EUR',
      billingAddress: { lines: ['x'], city: 'Girona', stateCode: 'CT', country: 'ES' },
      shippingAddress: { lines: ['y'], country: 'ES' },
    });
    expect(alegraAdapter.warnings?.(c).map((w) => `${w.pointer} ${w.code}`)).toEqual([
      '/currency not_supported_by_erp',
      '/shippingAddress not_supported_by_erp',
      '/billingAddress/stateCode not_supported_by_erp',
    ]);
  });
});
