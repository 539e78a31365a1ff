import { describe, expect, it } from 'vitest';
import { customerSchema, type UnifiedCustomerInput } from '../../shared/customer/schema';
import { alegraAdapter } from '../../shared/erps/alegra/adapter';

const check = (c: UnifiedCustomerInput) => alegraAdapter.requirements(customerSchema.parse(c));
const pointers = (c: UnifiedCustomerInput) => check(c).map((i) => `${i.pointer} ${i.code}`);

const company = { personType: 'company' as const, name: { company: 'Stark SAS' } };

describe('Alegra requirements', () => {
  it('accepts a company with a NIT and a person with only an email', () => {
    expect(check({ ...company, identification: { type: 'NIT', number: '900373913' } })).toEqual([]);
    expect(check({ personType: 'person', name: { first: 'A', last: 'B' }, email: 'a@b.co' })).toEqual([]);
  });

  it('needs identification or email, the look-up keys', () => {
    expect(pointers(company)).toEqual(['/identification required']);
  });

  it('refuses identification types Alegra has no code for', () => {
    expect(pointers({ ...company, identification: { type: 'PPT', number: '123456' } })).toEqual([
      '/identification/type unsupported',
    ]);
  });

  it('gets numeric Colombian documents without separators (the unified schema strips them)', () => {
    expect(check({ ...company, identification: { type: 'CC', number: '52.123.456' } })).toEqual([]);
    // Passports are alphanumeric.
    expect(check({ ...company, identification: { type: 'PP', number: 'AB123456' } })).toEqual([]);
  });

  it('checks the regime against Alegra’s Colombian values', () => {
    expect(pointers({ ...company, email: 'a@b.co', tax: { regime: 'Responsable de IVA' } })).toEqual([
      '/tax/regime invalid',
    ]);
    expect(check({ ...company, email: 'a@b.co', tax: { regime: 'SPECIAL_REGIME' } })).toEqual([]);
  });

  it('reports phones that find no Alegra slot', () => {
    expect(
      pointers({
        ...company,
        email: 'a@b.co',
        phones: [
          { kind: 'primary', countryCode: '57', number: '6013000001' },
          { kind: 'primary', countryCode: '57', number: '6013000002' },
          { kind: 'primary', countryCode: '57', number: '6013000003' },
          { kind: 'fax', countryCode: '57', number: '6013000004' },
          { kind: 'fax', countryCode: '57', number: '6013000005' },
        ],
      }),
    ).toEqual(['/phones/2 unsupported', '/phones/4 unsupported']);
  });

  it('refuses look-up keys in erpFields, keys Alegra has no field for, and checks native field shapes', () => {
    const issues = check({
      ...company,
      email: 'a@b.co',
      erpFields: {
        email: 'x@y.co',
        identification: '1',
        kindOfPerson: 'COMPANY',
        type: ['customer'],
        seller: 3,
        'a/b': 'fine',
        cfdiUse: 'G03',
      },
    });
    expect(issues.map((i) => `${i.pointer} ${i.code}`)).toEqual([
      '/erpFields/email controlled_field',
      '/erpFields/identification controlled_field',
      '/erpFields/kindOfPerson invalid_value',
      '/erpFields/type invalid_type',
      '/erpFields/seller invalid_type',
      '/erpFields/a~1b unknown_field',
    ]);
    expect(issues[2]?.message).toContain('"LEGAL_ENTITY", "PERSON_ENTITY"');
  });
});
