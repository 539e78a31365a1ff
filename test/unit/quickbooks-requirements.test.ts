import { describe, expect, it } from 'vitest';
import { customerSchema, type UnifiedCustomerInput } from '../../shared/customer/schema';
import { quickbooksAdapter } from '../../shared/erps/quickbooks';

const check = (c: UnifiedCustomerInput) => quickbooksAdapter.requirements(customerSchema.parse(c));
const pointers = (c: UnifiedCustomerInput) => check(c).map((i) => `${i.pointer} ${i.code}`);

describe('QuickBooks requirements', () => {
  it('accepts a plain company and a plain person', () => {
    expect(check({ personType: 'company', name: { company: 'Stark Industries' }, email: 'a@b.co' })).toEqual(
      [],
    );
    expect(check({ personType: 'person', name: { first: 'Ana', last: 'Gómez' } })).toEqual([]);
  });

  it('refuses a colon, tab or newline in names, pointing at the unified field', () => {
    expect(pointers({ personType: 'company', name: { company: 'Parent: Child' } })).toEqual([
      '/name/company invalid_characters',
    ]);
    expect(pointers({ personType: 'person', name: { first: 'An\ta', last: 'Gó:mez' } })).toEqual([
      '/name/first invalid_characters',
      '/name/last invalid_characters',
    ]);
    expect(
      pointers({ personType: 'company', name: { company: 'Acme' }, erpFields: { DisplayName: 'Acme\nCO' } }),
    ).toEqual(['/erpFields/DisplayName invalid_characters']);
  });

  it('accepts "Castellanos Villamizar" (22): the API reference governs (FamilyName 100), not the XSD annotation (15)', () => {
    expect(
      check({ personType: 'person', name: { first: 'María José', last: 'Castellanos Villamizar' } }),
    ).toEqual([]);
    expect(check({ personType: 'company', name: { company: 'Acme' }, notes: 'n'.repeat(1500) })).toEqual([]);
  });

  it('applies the API reference lengths (GivenName/FamilyName 100, CompanyName 100, Notes 2000, email 100, phone 30)', () => {
    const issues = check({
      personType: 'person',
      name: { first: 'A'.repeat(100), last: 'B'.repeat(100), company: 'C'.repeat(101) },
      email: `${'e'.repeat(95)}@x.com`,
      // "+57 300 6003345 ext. 1234567890": 31 characters.
      phones: [{ kind: 'primary', countryCode: '57', number: '3006003345', extension: '1234567890' }],
      notes: 'n'.repeat(2001),
    });
    expect(issues.map((i) => i.pointer).sort()).toEqual(
      ['/email', '/name/company', '/notes', '/phones/0'].sort(),
    );
    expect(issues.every((i) => i.code === 'too_long')).toBe(true);
    expect(issues.find((i) => i.pointer === '/notes')?.message).toContain('at most 2000');
    expect(
      pointers({ personType: 'person', name: { first: 'A'.repeat(100), last: 'B'.repeat(100) } }),
    ).toEqual([]);
  });

  it('accepts the limits exactly', () => {
    expect(
      check({
        personType: 'person',
        name: { first: 'A'.repeat(100), last: 'B'.repeat(100) },
        notes: 'n'.repeat(2000),
      }),
    ).toEqual([]);
  });

  it('reports a phone that finds no free QuickBooks slot', () => {
    expect(
      pointers({
        personType: 'company',
        name: { company: 'Acme' },
        phones: [
          { kind: 'primary', countryCode: '57', number: '6013000001' },
          { kind: 'primary', countryCode: '57', number: '6013000002' },
          { kind: 'other', countryCode: '57', number: '6013000003' },
        ],
      }),
    ).toEqual(['/phones/2 too_many']);
  });

  it('refuses controlled and unknown erpFields keys, and checks erpFields values like mapped ones', () => {
    expect(
      pointers({
        personType: 'company',
        name: { company: 'Acme' },
        erpFields: {
          Id: '5',
          SyncToken: '0',
          displayname: 'x',
          BillAddr: { City: 'c'.repeat(256) },
          PrimaryEmailAddr: { Address: 'nobody' },
          DisplayName: 7,
        },
      }),
    ).toEqual([
      '/erpFields/Id controlled_field',
      '/erpFields/SyncToken controlled_field',
      '/erpFields/displayname unknown_field',
      '/erpFields/BillAddr/City too_long',
      '/erpFields/DisplayName invalid_type',
      '/erpFields/DisplayName required',
      '/erpFields/PrimaryEmailAddr/Address invalid_email',
    ]);
  });

  it('refuses erpFields QuickBooks computes (read-only) and values of the wrong type, at /erpFields/<key>/…', () => {
    expect(
      pointers({
        personType: 'company',
        name: { company: 'Acme' },
        erpFields: {
          FullyQualifiedName: 'Acme',
          MetaData: {},
          Taxable: 'yes',
          PreferredDeliveryMethod: 'Fax',
          OpenBalanceDate: '2024-02-30',
          SalesTermRef: { name: 'Net 30' },
          CurrencyRef: { value: 'USD' },
        },
      }),
    ).toEqual([
      '/erpFields/FullyQualifiedName read_only',
      '/erpFields/MetaData read_only',
      '/erpFields/Taxable invalid_type',
      '/erpFields/PreferredDeliveryMethod invalid_value',
      '/erpFields/OpenBalanceDate invalid_date',
      '/erpFields/SalesTermRef/value required',
    ]);
  });
});
