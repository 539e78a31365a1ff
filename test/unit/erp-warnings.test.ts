import { describe, expect, it } from 'vitest';
import { customerSchema, type UnifiedCustomerInput } from '../../shared/customer/schema';
import { getAdapter } from '../../shared/erps/registry';
import { notHeldWarnings } from '../../shared/erps/warnings';

const parse = (c: Partial<UnifiedCustomerInput>) =>
  customerSchema.parse({
    personType: 'company',
    name: { company: 'Andes Foods' },
    ...c,
  } as UnifiedCustomerInput);
const pointers = (erp: string, c: Partial<UnifiedCustomerInput>) =>
  (getAdapter(erp)?.warnings?.(parse(c)) ?? []).map((w) => w.pointer);

describe('notHeldWarnings', () => {
  it('matches present fields only, expands * over array indexes, and applies `when`', () => {
    const c = parse({
      phones: [
        { kind: 'primary', countryCode: '57', number: '3001234567' },
        { kind: 'fax', countryCode: '57', number: '6014567890' },
      ],
    });
    const out = notHeldWarnings(c, [
      { pattern: '/website', message: 'no website' },
      { pattern: '/phones/*/kind', message: 'no kind', when: (v) => v !== 'primary' },
    ]);
    expect(out).toEqual([{ pointer: '/phones/1/kind', code: 'not_supported_by_erp', message: 'no kind' }]);
  });
});

describe('adapters name what they cannot hold', () => {
  it('Siigo: website, shipping address, language, regime, externalId, phone kinds; nothing for a plain customer', () => {
    expect(pointers('siigo', {})).toEqual([]);
    expect(
      pointers('siigo', {
        website: 'https://andes.example',
        shippingAddress: { lines: ['x'], country: 'CO' },
        language: 'es',
        tax: { regime: 'COMMON_REGIME', vatResponsible: true },
        externalId: 'CRM-1',
        phones: [{ kind: 'mobile', countryCode: '57', number: '3001234567' }],
      }),
    ).toEqual(['/phones/0/kind', '/website', '/shippingAddress', '/language', '/tax/regime', '/externalId']);
  });

  it('a default the ERP holds implicitly is no warning (type customer, active true, a NIT in Colombia)', () => {
    for (const erp of ['siigo', 'alegra', 'quickbooks', 'netsuite', 'chargeover', 'next', 'sage']) {
      expect(pointers(erp, { type: 'customer', active: true }), erp).toEqual([]);
    }
    expect(pointers('siigo', { identification: { type: 'NIT', number: '900373913' } })).toEqual([]);
    expect(
      pointers('siigo', { identification: { type: 'NIT', number: '900373913', country: 'MX' } }),
    ).toEqual(['/identification/country']);
  });

  it('ChargeOver keeps one phone and one contact: the others are named, one by one', () => {
    expect(
      pointers('chargeover', {
        phones: [
          { kind: 'mobile', countryCode: '57', number: '3001234567' },
          { kind: 'primary', countryCode: '57', number: '6014567890' },
        ],
        contacts: [{ firstName: 'A' }, { firstName: 'B' }],
        active: false,
      }),
    ).toEqual(['/phones/0', '/contacts/1', '/active']);
  });
});
