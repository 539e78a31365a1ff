import { describe, expect, it } from 'vitest';
import type { UnifiedCustomerInput } from '../../shared/customer/schema';
import { listAdapters } from '../../shared/erps/registry';
import type { ErpAdapter, ErpId } from '../../shared/erps/types';
import { accept, dryRun, related, setAt, warnedAbout } from '../helpers/field-coverage';

/**
 * Issue 11 §4, the rule for every unified field × every ERP: the field is mapped (a dry run shows it), or
 * rejected at accept time with a pointer, or named in `warnings` — never dropped silently.
 *
 * "Mapped" is tested by what the dry run does with it: each field gets two or more values, and the native
 * requests of the values that are neither rejected nor warned about must all differ. A field the adapter drops
 * gives the same request whatever its value. Each field is tried on a company and on a person, since several
 * ERPs keep different name parts for each.
 */

/** A customer every ERP accepts as it is, with every unified field filled. */
const BASE: UnifiedCustomerInput = {
  type: 'customer',
  personType: 'company',
  name: { company: 'Andes Foods S.A.S.', first: 'Ana María', last: 'Gómez' },
  commercialName: 'Andes',
  identification: { type: 'NIT', number: '900373913', country: 'CO' },
  email: 'billing@andes.co',
  phones: [
    { kind: 'primary', countryCode: '57', number: '6014567890', extension: '12' },
    { kind: 'mobile', countryCode: '57', number: '3004567890' },
  ],
  website: 'https://andes.example',
  billingAddress: {
    lines: ['Cra. 43A # 1-50', 'Torre 2'],
    city: 'Medellín',
    cityCode: '05001',
    state: 'Antioquia',
    stateCode: '05',
    postalCode: '050021',
    country: 'CO',
  },
  shippingAddress: {
    lines: ['Calle 10 # 5-51'],
    city: 'Bello',
    cityCode: '05088',
    state: 'Antioquia',
    stateCode: '05',
    postalCode: '051050',
    country: 'CO',
  },
  contacts: [
    {
      firstName: 'Marcos',
      lastName: 'Castillo',
      email: 'marcos@andes.co',
      phone: { countryCode: '57', number: '3001112233', extension: '5' },
    },
    { firstName: 'Lucía', lastName: 'Restrepo', email: 'lucia@andes.co' },
  ],
  currency: 'COP',
  language: 'es',
  tax: { vatResponsible: true, fiscalResponsibilities: ['O-13'], exempt: false, regime: 'COMMON_REGIME' },
  notes: 'Key account',
  active: true,
  externalId: 'CRM-TABLE-1',
  branchOffice: 0,
};

/**
 * What each ERP needs beyond the unified fields: NEXT the customer type id of the database, and the ERPs that
 * set a currency by their own id (a `/currency` alone is refused there) that id.
 */
const EXTRA: Partial<Record<ErpId, Partial<UnifiedCustomerInput>>> = {
  next: { erpFields: { customertypeid: 1, currencyid: 1 } },
  netsuite: { erpFields: { currency: { id: '1' } } },
  chargeover: { erpFields: { currency_id: 1 } },
  sage: { erpFields: { CurrencyId: 1 } },
};

interface Cell {
  pointer: string;
  /** A name for a second cell of the same pointer tried in another setting. */
  label?: string;
  values: unknown[];
  /**
   * Where a refusal of a value may point: the field itself by default; for an address part, the address (a state
   * code that does not hold its city code is refused at /cityCode).
   */
  scope?: string;
  /** How a value is put into the body, when it is not simply set at the pointer. */
  apply?: (body: Record<string, unknown>, value: unknown) => void;
}

const CELLS: Cell[] = [
  { pointer: '/type', values: ['customer', 'supplier', 'other'] },
  { pointer: '/personType', values: ['company', 'person'] },
  { pointer: '/name/company', values: ['Andes Foods S.A.S.', 'Pacífico Textiles S.A.S.'] },
  { pointer: '/name/first', values: ['Ana María', 'Lucía'] },
  { pointer: '/name/last', values: ['Gómez', 'Restrepo'] },
  { pointer: '/commercialName', values: ['Andes', 'Pacífico'] },
  { pointer: '/identification/type', values: ['NIT', 'CC', 'VAT', 'ORG_NO', 'TAX_ID'] },
  { pointer: '/identification/number', values: ['900373913', '830020062'] },
  {
    pointer: '/identification/checkDigit',
    values: ['1', '2'],
    // A check digit on a type the schema does not compute it for.
    apply: (b, v) =>
      setAt(b, '/identification', { type: 'CC', number: '1020304050', checkDigit: v, country: 'CO' }),
  },
  { pointer: '/identification/country', values: ['CO', 'MX'] },
  { pointer: '/email', values: ['billing@andes.co', 'cartera@andes.co'] },
  { pointer: '/phones/0/kind', values: ['primary', 'mobile', 'fax', 'other'] },
  { pointer: '/phones/0/countryCode', values: ['57', '1'] },
  { pointer: '/phones/0/number', values: ['6014567890', '6019876543'] },
  { pointer: '/phones/0/extension', values: ['12', '34'] },
  { pointer: '/phones/1/kind', values: ['mobile', 'primary', 'fax', 'other'] },
  { pointer: '/phones/1/number', values: ['3004567890', '3009876543'] },
  { pointer: '/website', values: ['https://andes.example', 'https://pacifico.example'] },
  {
    pointer: '/billingAddress/lines/0',
    scope: '/billingAddress',
    values: ['Cra. 43A # 1-50', 'Calle 52 # 49-28'],
  },
  { pointer: '/billingAddress/lines/1', scope: '/billingAddress', values: ['Torre 2', 'Oficina 301'] },
  { pointer: '/billingAddress/city', scope: '/billingAddress', values: ['Medellín', 'Envigado'] },
  { pointer: '/billingAddress/cityCode', scope: '/billingAddress', values: ['05001', '05266'] },
  { pointer: '/billingAddress/state', scope: '/billingAddress', values: ['Antioquia', 'Dpto. de Antioquia'] },
  { pointer: '/billingAddress/stateCode', scope: '/billingAddress', values: ['05', '08'] },
  {
    pointer: '/billingAddress/state',
    label: '/billingAddress/state (next to a letter stateCode)',
    scope: '/billingAddress',
    values: ['California', 'Calif.'],
    apply: (b, v) =>
      setAt(b, '/billingAddress', {
        lines: ['10880 Malibu Point'],
        city: 'Malibu',
        state: v,
        stateCode: 'CA',
        postalCode: '90265',
        country: 'US',
      }),
  },
  { pointer: '/billingAddress/postalCode', scope: '/billingAddress', values: ['050021', '050022'] },
  { pointer: '/billingAddress/country', scope: '/billingAddress', values: ['CO', 'PE'] },
  {
    pointer: '/shippingAddress/lines/0',
    scope: '/shippingAddress',
    values: ['Calle 10 # 5-51', 'Carrera 7 # 71-21'],
  },
  { pointer: '/shippingAddress/city', scope: '/shippingAddress', values: ['Bello', 'Itagüí'] },
  { pointer: '/shippingAddress/cityCode', scope: '/shippingAddress', values: ['05088', '05360'] },
  {
    pointer: '/shippingAddress/state',
    scope: '/shippingAddress',
    values: ['Antioquia', 'Dpto. de Antioquia'],
  },
  { pointer: '/shippingAddress/stateCode', scope: '/shippingAddress', values: ['05', '08'] },
  { pointer: '/shippingAddress/postalCode', scope: '/shippingAddress', values: ['051050', '051051'] },
  { pointer: '/shippingAddress/country', scope: '/shippingAddress', values: ['CO', 'PE'] },
  { pointer: '/contacts/0/firstName', values: ['Marcos', 'Julián'] },
  { pointer: '/contacts/0/lastName', values: ['Castillo', 'Mejía'] },
  { pointer: '/contacts/0/email', values: ['marcos@andes.co', 'julian@andes.co'] },
  // A calling code is read with the number: one that does not fit it is refused at /contacts/0/phone/number.
  { pointer: '/contacts/0/phone/countryCode', scope: '/contacts/0/phone', values: ['57', '1'] },
  { pointer: '/contacts/0/phone/number', values: ['3001112233', '3002223344'] },
  { pointer: '/contacts/0/phone/extension', values: ['5', '6'] },
  { pointer: '/contacts/1/firstName', values: ['Lucía', 'Elena'] },
  { pointer: '/contacts/1/email', values: ['lucia@andes.co', 'elena@andes.co'] },
  { pointer: '/currency', values: ['COP', 'USD'] },
  { pointer: '/language', values: ['es', 'en'] },
  { pointer: '/tax/vatResponsible', values: [true, false] },
  { pointer: '/tax/fiscalResponsibilities', values: [['O-13'], ['O-15']] },
  { pointer: '/tax/exempt', values: [true, false] },
  { pointer: '/tax/regime', values: ['COMMON_REGIME', 'SIMPLIFIED_REGIME'] },
  { pointer: '/notes', values: ['Key account', 'Pays by bank transfer'] },
  { pointer: '/active', values: [true, false] },
  { pointer: '/externalId', values: ['CRM-TABLE-1', 'CRM-TABLE-2'] },
  { pointer: '/branchOffice', values: [0, 1] },
];

type Outcome = { value: unknown } & (
  | { kind: 'rejected' }
  | { kind: 'warned' }
  | { kind: 'sent'; request: string }
);

function outcomes(adapter: ErpAdapter<unknown>, personType: 'company' | 'person', cell: Cell): Outcome[] {
  return cell.values.map((value) => {
    const body = structuredClone({ ...BASE, personType, ...EXTRA[adapter.id] }) as Record<string, unknown>;
    if (cell.apply) cell.apply(body, value);
    else setAt(body, cell.pointer, value);
    const a = accept(adapter, body);
    if (a.kind === 'rejected') {
      const unrelated = a.issues.filter((i) => !related(i.pointer, cell.scope ?? cell.pointer));
      // The base must be valid: a refusal elsewhere would hide what happens to this field.
      expect(unrelated, `${adapter.id} refuses the base elsewhere`).toEqual([]);
      return { value, kind: 'rejected' };
    }
    if (warnedAbout(a.warnings, cell.pointer)) return { value, kind: 'warned' };
    const req = dryRun(adapter, a.customer);
    return { value, kind: 'sent', request: JSON.stringify({ url: req.url, body: req.body }) };
  });
}

describe.each(listAdapters().map((a) => [a.id, a] as const))(
  '%s: every unified field is mapped, rejected or warned',
  (_erp, adapter) => {
    it.each(['company', 'person'] as const)('the %s base is accepted as it is', (personType) => {
      const a = accept(adapter, { ...BASE, personType, ...EXTRA[adapter.id] });
      expect(a.kind === 'rejected' ? a.issues : []).toEqual([]);
    });

    describe.each(['company', 'person'] as const)('as a %s', (personType) => {
      const check = (cell: Cell) => {
        const sent = outcomes(adapter, personType, cell).filter((o) => o.kind === 'sent');
        // Every pair of values that reached the dry run must have made a different request.
        for (let i = 0; i < sent.length; i++) {
          for (let j = i + 1; j < sent.length; j++) {
            expect(
              sent[i]?.request === sent[j]?.request,
              `${adapter.id} sends the same request for ${cell.pointer} = ${JSON.stringify(sent[i]?.value)} and ${JSON.stringify(sent[j]?.value)}, without a warning`,
            ).toBe(false);
          }
        }
      };
      it.each(CELLS.map((c) => [c.label ?? c.pointer, c] as const))('%s', (_p, cell) => check(cell));
    });
  },
);
