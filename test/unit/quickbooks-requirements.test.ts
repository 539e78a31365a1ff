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

  it('applies the XSD lengths (GivenName 25, FamilyName 15, CompanyName 100, Notes 1024, email 100, phone 21, PostalCode via unified)', () => {
    const issues = check({
      personType: 'person',
      name: { first: 'A'.repeat(26), last: 'B'.repeat(16), company: 'C'.repeat(101) },
      email: `${'e'.repeat(95)}@x.com`,
      // "+57 300 6003345 ext. 1": 22 characters.
      phones: [{ kind: 'primary', countryCode: '57', number: '3006003345', extension: '1' }],
      notes: 'n'.repeat(1025),
    });
    expect(issues.map((i) => i.pointer).sort()).toEqual(
      ['/email', '/name/company', '/name/first', '/name/last', '/notes', '/phones/0'].sort(),
    );
    expect(issues.every((i) => i.code === 'too_long')).toBe(true);
    expect(issues.find((i) => i.pointer === '/name/last')?.message).toContain('at most 15');
  });

  it('accepts the limits exactly', () => {
    expect(
      check({
        personType: 'person',
        name: { first: 'A'.repeat(25), last: 'B'.repeat(15) },
        notes: 'n'.repeat(1024),
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
      '/erpFields/Id not_allowed',
      '/erpFields/SyncToken not_allowed',
      '/erpFields/displayname unknown_field',
      '/erpFields/DisplayName required',
      '/erpFields/DisplayName invalid_type',
      '/erpFields/BillAddr/City too_long',
      '/erpFields/PrimaryEmailAddr/Address invalid_email',
    ]);
  });
});
