import { describe, expect, it } from 'vitest';
import { customerSchema, type UnifiedCustomerInput } from '../../shared/customer/schema';
import { sageAdapter } from '../../shared/erps/sage';

const issues = (c: UnifiedCustomerInput) => sageAdapter.requirements(customerSchema.parse(c));

describe('sage requirements', () => {
  it('accepts a minimal company and a minimal person', () => {
    expect(issues({ personType: 'company', name: { company: 'Acme' } })).toEqual([]);
    expect(issues({ personType: 'person', name: { first: 'Ann', last: 'Lee' } })).toEqual([]);
  });

  it('reports Sage lengths at the unified pointers', () => {
    const found = issues({
      personType: 'company',
      name: { company: 'A'.repeat(101) },
      // A country stdnum is not asked about, so only Sage's length applies.
      identification: { type: 'VAT', number: '1'.repeat(31), country: 'PA' },
      // "+43 1 234567890123 ext. 1234567": 31 characters.
      phones: [{ kind: 'primary', countryCode: '43', number: '1234567890123', extension: '1234567' }],
      website: `https://example.com/${'p'.repeat(90)}`,
      billingAddress: { lines: ['x'.repeat(101)], country: 'ZA' },
      shippingAddress: {
        lines: ['ok'],
        city: 'c'.repeat(100),
        state: 's'.repeat(100),
        postalCode: '7405',
        country: 'ZA',
      },
      contacts: [{ firstName: 'f'.repeat(50), lastName: 'l'.repeat(50) }],
    });
    expect(found.map((i) => [i.pointer, i.code])).toEqual([
      ['/name/company', 'too_long'],
      ['/identification/number', 'too_long'],
      ['/contacts/0/firstName', 'too_long'],
      ['/phones/0/number', 'too_long'],
      ['/website', 'too_long'],
      ['/billingAddress/lines/0', 'too_long'],
      ['/shippingAddress/state', 'too_long'],
    ]);
    expect(found[0]?.message).toContain('at most 100');
  });

  it('reports a person name longer than 100 at /name', () => {
    expect(issues({ personType: 'person', name: { first: 'a'.repeat(60), last: 'b'.repeat(60) } })).toEqual([
      { pointer: '/name', code: 'too_long', message: 'Sage Name: at most 100 characters (got 121)' },
    ]);
  });

  it('checks erpFields: reserved keys, unknown keys, types, ranges and lengths', () => {
    const found = issues({
      personType: 'company',
      name: { company: 'Acme' },
      erpFields: {
        ID: 5,
        TextField1: 'x',
        Comunication: 1,
        CommunicationMethod: 7,
        DueDateMethodId: 5,
        TextField2: 't'.repeat(101),
        Fax: 1234,
        CashSale: 'yes',
        DateField1: '29/03/2024',
        CreditLimit: 100.5,
        Category: { ID: 3 },
        Name: '',
      },
    });
    expect(found.map((i) => [i.pointer, i.code])).toEqual([
      ['/erpFields/ID', 'controlled_field'],
      ['/erpFields/TextField1', 'controlled_field'],
      ['/erpFields/Comunication', 'unknown_field'],
      ['/erpFields/CommunicationMethod', 'out_of_range'],
      ['/erpFields/DueDateMethodId', 'out_of_range'],
      ['/erpFields/TextField2', 'too_long'],
      ['/erpFields/Fax', 'invalid_type'],
      ['/erpFields/CashSale', 'invalid_type'],
      ['/erpFields/DateField1', 'invalid_date'],
      ['/erpFields/Name', 'required'],
    ]);
  });

  it('issue 11 §4: DateField1 "2024-13-45" is not a date (nor 2023-02-29); real dates and null pass', () => {
    const at = (DateField1: unknown) =>
      issues({ personType: 'company', name: { company: 'Acme' }, erpFields: { DateField1 } }).map(
        (i) => `${i.pointer} ${i.code}`,
      );
    expect(at('2024-13-45')).toEqual(['/erpFields/DateField1 invalid_date']);
    expect(at('2023-02-29')).toEqual(['/erpFields/DateField1 invalid_date']);
    expect(at('2024-02-29')).toEqual([]);
    expect(at('2024-03-29T00:00:00')).toEqual([]);
    expect(at(null)).toEqual([]);
  });

  it('refuses the fields Sage computes (it would ignore them silently)', () => {
    const found = issues({
      personType: 'company',
      name: { company: 'Acme' },
      erpFields: { Balance: 0, HasActivity: false, Created: '2024-03-29' },
    });
    expect(found.map((i) => `${i.pointer} ${i.code}`)).toEqual([
      '/erpFields/Balance read_only',
      '/erpFields/HasActivity read_only',
      '/erpFields/Created read_only',
    ]);
  });

  it('refuses suppliers (Sage keeps them apart)', () => {
    expect(issues({ type: 'supplier', personType: 'company', name: { company: 'A' } })).toEqual([
      expect.objectContaining({ pointer: '/type', code: 'unsupported' }),
    ]);
  });

  it('lets every writable Customer/Save field of the reference excerpt through erpFields', () => {
    const erpFields = {
      Category: { ID: 1 },
      SalesRepresentativeId: 1,
      SalesRepresentative: { ID: 1 },
      Fax: '021',
      IsObfuscated: false,
      CreditLimit: 1,
      AutoAllocateToOldestInvoice: true,
      EnableCustomerZone: false,
      CashSale: false,
      TextField2: 'a',
      TextField3: 'b',
      NumericField1: 1,
      NumericField2: 2,
      NumericField3: 3,
      YesNoField1: true,
      YesNoField2: false,
      YesNoField3: true,
      DateField1: '2024-03-29',
      DateField2: null,
      DateField3: '2024-03-29',
      DefaultPriceListId: 1,
      DefaultPriceList: { ID: 1 },
      DefaultPriceListName: 'Retail',
      AcceptsElectronicInvoices: true,
      BusinessRegistrationNumber: '2019/1',
      TaxStatusVerified: '2024-03-29',
      CurrencyId: 1,
      CurrencySymbol: 'R',
      DefaultDiscountPercentage: 5,
      DefaultTaxTypeId: 1,
      DefaultTaxType: { ID: 1 },
      DueDateMethodId: 4,
      DueDateMethodValue: 30,
      CityId: 1,
      AccountingAgreement: true,
      OutstandingInvoices: false,
      OverdueInvoices: false,
      OnHold: false,
      ExcludeFromDebtorsManager: false,
      SubjectToDRCVat: false,
      CommunicationMethod: 1,
      Telephone: '1',
      Mobile: '2',
      ContactName: 'c',
      Email: 'e@x.co',
      WebAddress: 'w',
      Active: true,
      TaxReference: 't',
      PostalAddress01: 'p',
      PostalAddress02: 'p',
      PostalAddress03: 'p',
      PostalAddress04: 'p',
      PostalAddress05: 'p',
      DeliveryAddress01: 'd',
      DeliveryAddress02: 'd',
      DeliveryAddress03: 'd',
      DeliveryAddress04: 'd',
      DeliveryAddress05: 'd',
    };
    expect(issues({ personType: 'company', name: { company: 'A' }, erpFields })).toEqual([]);
  });
});
