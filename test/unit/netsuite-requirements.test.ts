import { describe, expect, it } from 'vitest';
import { customerSchema, type UnifiedCustomerInput } from '../../shared/customer/schema';
import { netsuiteAdapter } from '../../shared/erps/netsuite';
import { netsuiteCredentialsSchema } from '../../shared/erps/netsuite/credentials';

const check = (c: UnifiedCustomerInput) => netsuiteAdapter.requirements(customerSchema.parse(c));
const pointers = (c: UnifiedCustomerInput) => check(c).map((i) => i.pointer);

describe('NetSuite requirements', () => {
  it('accepts a plain company and a plain person', () => {
    expect(check({ personType: 'company', name: { company: 'Stark Industries' } })).toEqual([]);
    expect(check({ personType: 'person', name: { first: 'Marcos', last: 'Castillo' } })).toEqual([]);
  });

  it('enforces name lengths: companyName 83, firstName/lastName 32', () => {
    expect(check({ personType: 'company', name: { company: 'x'.repeat(84) } })).toEqual([
      {
        pointer: '/name/company',
        code: 'too_long',
        message: 'NetSuite companyName: at most 83 characters (got 84)',
      },
    ]);
    expect(check({ personType: 'company', name: { company: 'x'.repeat(83) } })).toEqual([]);
    expect(pointers({ personType: 'person', name: { first: 'a'.repeat(33), last: 'b'.repeat(33) } })).toEqual(
      ['/name/first', '/name/last'],
    );
  });

  it('the addressee NetSuite derives from the name is reported at the name, not at the address', () => {
    expect(
      check({
        personType: 'company',
        name: { company: 'x'.repeat(90) },
        billingAddress: { lines: ['Calle 1'], country: 'CO' },
      }).map((i) => `${i.pointer} ${i.code}`),
    ).toEqual(['/name/company too_long']);
  });

  it('checks the formatted phone length and the website length', () => {
    expect(
      pointers({
        personType: 'company',
        name: { company: 'A' },
        phones: [
          { kind: 'primary', countryCode: '57', number: '3006003345' },
          // "+43 1 234567890123 ext. 1234567890": 34 characters, NetSuite keeps 32.
          { kind: 'mobile', countryCode: '43', number: '1234567890123', extension: '1234567890' },
        ],
        website: `https://example.com/${'a'.repeat(90)}`,
      }),
    ).toEqual(['/phones/1', '/website']);
  });

  it('allows three address lines, 150 characters each, and a city of 50', () => {
    expect(
      pointers({
        personType: 'company',
        name: { company: 'A' },
        billingAddress: { lines: ['1', '2', '3', '4'], country: 'CO' },
        shippingAddress: { lines: ['x'.repeat(151)], city: 'c'.repeat(51), country: 'CO' },
      }),
    ).toEqual(['/billingAddress/lines', '/shippingAddress/lines/0', '/shippingAddress/city']);
  });

  it('refuses external ids that cannot be an upsert key in the URL', () => {
    expect(pointers({ personType: 'company', name: { company: 'A' }, externalId: 'a/b' })).toEqual([
      '/externalId',
    ]);
    expect(pointers({ personType: 'company', name: { company: 'A' }, externalId: 'CRM_00-1.2' })).toEqual([]);
  });

  it('reserves erpFields.externalId and checks subsidiary and entityId', () => {
    expect(
      check({
        personType: 'company',
        name: { company: 'A' },
        erpFields: { externalId: 'x', subsidiary: '1', entityId: 'e'.repeat(84) },
      }).map((i) => [i.pointer, i.code]),
    ).toEqual([
      ['/erpFields/externalId', 'controlled_field'],
      ['/erpFields/subsidiary', 'invalid_type'],
      ['/erpFields/entityId', 'too_long'],
    ]);
    expect(
      check({ personType: 'company', name: { company: 'A' }, erpFields: { subsidiary: { id: '2' } } }),
    ).toEqual([]);
  });

  it('issue 11 §4: a NEXT field (customertypeid) is refused at accept; custentity…/custrecord… ids and standard fields pass', () => {
    expect(
      check({ personType: 'company', name: { company: 'A' }, erpFields: { customertypeid: 1 } }).map(
        (i) => `${i.pointer} ${i.code}`,
      ),
    ).toEqual(['/erpFields/customertypeid unknown_field']);
    expect(
      check({
        personType: 'company',
        name: { company: 'A' },
        erpFields: {
          custentity_region: 'Andina',
          custrecord_segment: { id: '4' },
          entityId: 'ACME-CO',
          terms: { id: '2' },
          currency: { externalId: 'COP' },
          vatRegNumber: '900373913',
          emailTransactions: true,
          addressBook: {
            items: [{ defaultBilling: true, addressBookAddress: { addr1: 'Cra 1', country: 'CO' } }],
          },
        },
      }),
    ).toEqual([]);
  });

  it('refuses read-only fields and wrong kinds in erpFields, at /erpFields/<key>/…', () => {
    expect(
      check({
        personType: 'company',
        name: { company: 'A' },
        erpFields: {
          balance: 10,
          dateCreated: '2024-01-01',
          isInactive: 'no',
          startDate: '2024-13-45',
          terms: 2,
          addressBook: { items: [{ addressBookAddress: { city: 'c'.repeat(51), addr4: 'x' } }] },
          CompanyName: 'A',
        },
      }).map((i) => `${i.pointer} ${i.code}`),
    ).toEqual([
      '/erpFields/balance read_only',
      '/erpFields/dateCreated read_only',
      '/erpFields/isInactive invalid_type',
      '/erpFields/startDate invalid_date',
      '/erpFields/terms invalid_type',
      '/erpFields/addressBook/items/0/addressBookAddress/city too_long',
      '/erpFields/addressBook/items/0/addressBookAddress/addr4 unknown_field',
      '/erpFields/CompanyName unknown_field',
    ]);
  });

  it('refuses suppliers (vendor records are not customers)', () => {
    expect(pointers({ type: 'supplier', personType: 'company', name: { company: 'A' } })).toEqual(['/type']);
  });
});

describe('NetSuite credentials', () => {
  const base = {
    consumerKey: 'ck-0000000000',
    consumerSecret: 'cs-0000000000',
    tokenId: 'ti-0000000000',
    tokenSecret: 'ts-0000000000',
  };
  it('stores the canonical account id whichever spelling is given', () => {
    expect(netsuiteCredentialsSchema.parse({ ...base, accountId: '1234567-sb1' }).accountId).toBe(
      '1234567_SB1',
    );
    expect(netsuiteCredentialsSchema.parse({ ...base, accountId: 'tstdrv123' }).accountId).toBe('TSTDRV123');
  });
  it('rejects a host name given as account id, and unknown keys', () => {
    expect(
      netsuiteCredentialsSchema.safeParse({ ...base, accountId: '1234567-sb1.suitetalk.api.netsuite.com' })
        .success,
    ).toBe(false);
    expect(netsuiteCredentialsSchema.safeParse({ ...base, accountId: '1', password: 'x' }).success).toBe(
      false,
    );
  });
});
