import { describe, expect, it } from 'vitest';
import { customerSchema, type UnifiedCustomerInput } from '../../shared/customer/schema';
import { nextAdapter } from '../../shared/erps/next';

const parse = (c: Partial<UnifiedCustomerInput>) =>
  customerSchema.parse({
    personType: 'company',
    name: { company: 'Stark AB' },
    ...c,
  } as UnifiedCustomerInput);
const issues = (c: Partial<UnifiedCustomerInput>) =>
  nextAdapter.requirements(parse(c)).map((i) => `${i.pointer} ${i.code}`);

describe('NEXT requirements', () => {
  it('passes a minimal valid company', () => {
    expect(issues({ erpFields: { customertypeid: 1 } })).toEqual([]);
  });

  it('requires customertypeid, at /erpFields/customertypeid', () => {
    expect(issues({})).toEqual(['/erpFields/customertypeid required']);
    expect(issues({ erpFields: { customertypeid: '1' } })).toEqual([
      '/erpFields/customertypeid invalid_type',
    ]);
    expect(issues({ erpFields: { customertypeid: null } })).toEqual([
      '/erpFields/customertypeid invalid_type',
    ]);
  });

  it('limits the name to 50 characters, pointing at the unified name', () => {
    expect(issues({ name: { company: 'x'.repeat(51) }, erpFields: { customertypeid: 1 } })).toEqual([
      '/name/company too_long',
    ]);
    const person = { personType: 'person' as const, name: { first: 'A'.repeat(30), last: 'B'.repeat(25) } };
    expect(issues({ ...person, erpFields: { customertypeid: 2 } })).toEqual(['/name too_long']);
    // A caller-given native name replaces the unified one, and is what gets checked.
    expect(
      issues({ name: { company: 'x'.repeat(60) }, erpFields: { customertypeid: 1, name: 'Short' } }),
    ).toEqual([]);
  });

  it('checks each bill-address line (50) and the country code against their unified fields', () => {
    const out = issues({
      billingAddress: {
        lines: ['s'.repeat(51), 'b'.repeat(30), 'c'.repeat(30)],
        city: 'c'.repeat(51),
        country: 'SE',
      },
      erpFields: { customertypeid: 1 },
    });
    expect(out).toEqual([
      '/billingAddress/lines/0 too_long',
      '/billingAddress/lines/1 too_long',
      '/billingAddress/city too_long',
    ]);
  });

  it('checks documented limits and types of erpFields', () => {
    expect(
      issues({
        erpFields: {
          customertypeid: 1,
          clearingno: '1'.repeat(21),
          iban: 'SE'.repeat(18),
          apartmentno: 12,
          creditrisk: 'yes',
          countrycode: 'SWE',
        },
      }).sort(),
    ).toEqual([
      '/erpFields/apartmentno invalid_type',
      '/erpFields/clearingno too_long',
      '/erpFields/countrycode too_long',
      '/erpFields/creditrisk invalid_type',
      '/erpFields/iban too_long',
    ]);
  });

  it('refuses erpFields NEXT does not have (pydantic would drop them silently), e.g. a NetSuite field', () => {
    expect(issues({ erpFields: { customertypeid: 1, entityId: 'ACME', CustomerTypeId: 2 } })).toEqual([
      '/erpFields/entityId unknown_field',
      '/erpFields/CustomerTypeId unknown_field',
    ]);
  });

  it('refuses customerno in erpFields (the look-up key) and an externalId longer than 50', () => {
    expect(issues({ erpFields: { customertypeid: 1, customerno: 'X' } })).toEqual([
      '/erpFields/customerno controlled_field',
    ]);
    expect(issues({ externalId: 'K'.repeat(51), erpFields: { customertypeid: 1 } })).toEqual([
      '/externalId too_long',
    ]);
  });

  it('refuses contractor VAT together with no-VAT, and contractor VAT without a VAT number', () => {
    expect(
      issues({ tax: { exempt: true }, erpFields: { customertypeid: 1, constructioncompany: true } }),
    ).toEqual(['/erpFields/constructioncompany conflict', '/identification required']);
    expect(
      issues({
        identification: { type: 'VAT', number: 'SE556677889901' },
        erpFields: { customertypeid: 1, constructioncompany: true },
      }),
    ).toEqual([]);
  });
});
