import { describe, expect, it } from 'vitest';
import { customerSchema, type UnifiedCustomerInput } from '../../shared/customer/schema';
import { siigoAdapter, siigoRequirements } from '../../shared/erps/siigo';
import { toSiigoCustomer } from '../../shared/erps/siigo/mapper';

const base: UnifiedCustomerInput = {
  personType: 'company',
  name: { company: 'Stark Industries' },
  identification: { type: 'NIT', number: '900373913' },
  billingAddress: { lines: ['Cra. 18 #79A - 42'], cityCode: '11001', stateCode: '11', country: 'CO' },
};

function issues(patch: Partial<UnifiedCustomerInput>) {
  return siigoRequirements(customerSchema.parse({ ...base, ...patch }));
}

const pointers = (patch: Partial<UnifiedCustomerInput>) => issues(patch).map((i) => `${i.pointer} ${i.code}`);

describe('Siigo requirements', () => {
  it('accepts a complete customer', () => {
    expect(issues({})).toEqual([]);
  });

  it('needs an identification', () => {
    expect(pointers({ identification: undefined })).toEqual(['/identification required']);
  });

  it('applies the per-type identification rules', () => {
    // NIT/CC/RC: 3 to 13 digits.
    expect(pointers({ identification: { type: 'NIT', number: '90037391312345' } })).toEqual([
      '/identification/number invalid_identification',
    ]);
    expect(
      pointers({
        personType: 'person',
        name: { first: 'A', last: 'B' },
        identification: { type: 'CC', number: '12' },
      }),
    ).toEqual(['/identification/number invalid_identification']);
    expect(
      pointers({
        personType: 'person',
        name: { first: 'A', last: 'B' },
        identification: { type: 'CC', number: '1.020.304.050' },
      }),
    ).toEqual([]);
    // Alphanumeric types: at most 20, Siigo's regex (no dots, spaces, edge hyphens).
    const person = { personType: 'person' as const, name: { first: 'A', last: 'B' } };
    expect(pointers({ ...person, identification: { type: 'PP', number: 'AB123456789012345678X' } })).toEqual([
      '/identification/number too_long',
    ]);
    // Spaces and hyphens are removed by the unified schema before Siigo's regex sees the number.
    expect(pointers({ ...person, identification: { type: 'PP', number: 'AB 1234' } })).toEqual([]);
    expect(pointers({ ...person, identification: { type: 'PP', number: '-AB1234' } })).toEqual([]);
    expect(pointers({ ...person, identification: { type: 'CE', number: 'E-123456' } })).toEqual([]);
  });

  it('needs a billing address with department and city codes (DANE for Colombia)', () => {
    expect(pointers({ billingAddress: undefined })).toEqual(['/billingAddress required']);
    expect(pointers({ billingAddress: { lines: ['x'], country: 'CO' } })).toEqual([
      '/billingAddress/stateCode required',
      '/billingAddress/cityCode required',
    ]);
    // DANE validity and department membership are the unified schema's (customer-schema tests); a code that
    // lost its leading zero in a spreadsheet is restored there, so Siigo gets 05 / 05001.
    expect(
      pointers({ billingAddress: { lines: ['x'], country: 'CO', stateCode: '5', cityCode: '5001' } }),
    ).toEqual([]);
    // Siigo's foreign codes are its own catalogue (US / 01 / 0101), not ISO 3166-2: they go in erpFields.address.
    expect(pointers({ billingAddress: { lines: ['x'], country: 'US', stateCode: 'NY' } })).toEqual([
      '/billingAddress/stateCode unsupported',
    ]);
    expect(
      pointers({
        billingAddress: { lines: ['x'], country: 'US', stateCode: 'NY' },
        erpFields: {
          address: { address: 'x', city: { country_code: 'US', state_code: '01', city_code: '0101' } },
        },
      }),
    ).toEqual([]);
  });

  it('limits the address to 256 characters and the postal code to 10 letters or digits', () => {
    const lines = ['a'.repeat(200), 'b'.repeat(60)];
    expect(pointers({ billingAddress: { ...base.billingAddress!, lines } })).toEqual([
      '/billingAddress/lines too_long',
    ]);
    expect(pointers({ billingAddress: { ...base.billingAddress!, postalCode: '110 911' } })).toEqual([
      '/billingAddress/postalCode invalid_postal_code',
    ]);
    expect(pointers({ billingAddress: { ...base.billingAddress!, postalCode: '12345678901' } })).toEqual([
      '/billingAddress/postalCode too_long',
    ]);
  });

  it('checks names against Siigo regex and the 100-character cap', () => {
    expect(pointers({ name: { company: 'Smith & Sons' } })).toEqual(['/name/company invalid_name']);
    expect(pointers({ name: { company: 'x'.repeat(101) } })).toEqual(['/name/company too_long']);
    expect(pointers({ name: { company: 'Peña (Bogotá) Ltda. #1' } })).toEqual([]);
    expect(
      pointers({
        personType: 'person',
        name: { first: "D'Angelo", last: 'Núñez' },
        identification: undefined,
      }),
    ).toEqual(['/identification required', '/name/first invalid_name']);
  });

  it('checks emails with Siigo regex', () => {
    // Valid for the unified schema, refused by Siigo's regex: an apostrophe in the local part.
    expect(pointers({ email: "o'brien@stark.co" })).toEqual(['/email invalid_email']);
    expect(pointers({ email: 'billing+co@stark.co' })).toEqual([]);
    expect(pointers({ contacts: [{ firstName: 'A', email: "d'angelo@stark.co" }] })).toEqual([
      '/contacts/0/email invalid_email',
    ]);
  });

  it('limits phone parts to 10 digits', () => {
    // Valid numbers whose national significant number has 11 digits (a São Paulo mobile, a Chinese mobile).
    expect(pointers({ phones: [{ countryCode: '55', number: '11 98765 4321' }] })).toEqual([
      '/phones/0/number too_long',
    ]);
    expect(
      pointers({ contacts: [{ firstName: 'A', phone: { number: '3006003345', extension: '1234567890' } }] }),
    ).toEqual([]);
    expect(
      pointers({
        contacts: [
          { firstName: 'A', phone: { countryCode: '86', number: '138 1234 5678' } },
          { firstName: 'B' },
        ],
      }),
    ).toEqual(['/contacts/0/phone/number too_long']);
  });

  it('allows at most 10 contacts, counting the email contact', () => {
    const ten = Array.from({ length: 10 }, (_, i) => ({ firstName: `C${i}` }));
    expect(pointers({ contacts: ten })).toEqual([]);
    expect(pointers({ contacts: [...ten, { firstName: 'x' }] })).toEqual(['/contacts invalid_array']);
    expect(pointers({ contacts: ten, email: 'billing@stark.co' })).toEqual(['/contacts invalid_array']);
  });

  it('refuses erpFields that would change the look-up key, and a malformed related_users', () => {
    expect(pointers({ erpFields: { identification: '1', branch_office: 3 } })).toEqual([
      '/erpFields/identification controlled_field',
      '/erpFields/branch_office controlled_field',
    ]);
    expect(pointers({ erpFields: { related_users: { seller_id: '629' } } })).toEqual([
      '/erpFields/related_users/seller_id invalid_type',
    ]);
    expect(pointers({ erpFields: { related_users: { seller_id: 629 } } })).toEqual([]);
  });

  it('refuses erpFields Siigo does not have, and checks the ones it has against CustomerIn', () => {
    expect(
      pointers({
        erpFields: {
          customertypeid: 1,
          Comments: 'x',
          fiscal_responsibilities: [{ code: 'O-99' }],
          comments: 'c'.repeat(4001),
          contacts: [{ last_name: 'Solo' }],
        },
      }),
    ).toEqual([
      '/erpFields/customertypeid unknown_field',
      '/erpFields/Comments unknown_field',
      '/erpFields/fiscal_responsibilities/0/code invalid_value',
      '/erpFields/comments too_long',
      '/erpFields/contacts/0/first_name required',
    ]);
    expect(
      pointers({ erpFields: { comments: 'ok', vat_responsible: true, related_users: { seller_id: 629 } } }),
    ).toEqual([]);
  });

  it('issue 11 §3: a first name over 50 characters with an email is accepted; the derived contact is only a label', () => {
    const first = 'María de los Ángeles Guadalupe Concepción Inmaculada';
    expect(Array.from(first).length).toBeGreaterThan(50);
    const person = {
      personType: 'person' as const,
      name: { first, last: 'Restrepo' },
      identification: { type: 'CC' as const, number: '52345678' },
      email: 'angeles@example.co',
    };
    expect(pointers(person)).toEqual([]);
    // The mapped contact fits Siigo's 50; the name itself is sent whole.
    const body = toSiigoCustomer(customerSchema.parse({ ...base, ...person }));
    expect(body.name).toEqual([first, 'Restrepo']);
    expect(Array.from(body.contacts?.[0]?.first_name ?? '').length).toBeLessThanOrEqual(50);
    expect(body.contacts?.[0]).toMatchObject({ last_name: 'Restrepo', email: 'angeles@example.co' });
  });

  it('a derived value that breaks a limit is reported at the field the caller sent, never at /contacts', () => {
    // The email goes to the derived contact (≤ 100) and is reported at /email.
    expect(pointers({ email: `${'e'.repeat(95)}@stark.co` })).toEqual(['/email too_long']);
  });
});

describe('Siigo warnings (issue 11 §4)', () => {
  it('currency (CustomerIn has none: it is per invoice) and a shipping address (Siigo keeps one)', () => {
    const c = customerSchema.parse({
      ...base,
      currency: 'USD',
      shippingAddress: { lines: ['Calle 100 #8A-55'], cityCode: '11001', country: 'CO' },
    });
    expect(siigoAdapter.warnings?.(c).map((w) => `${w.pointer} ${w.code}`)).toEqual([
      '/currency not_supported_by_erp',
      '/shippingAddress not_supported_by_erp',
    ]);
    expect(siigoAdapter.warnings?.(customerSchema.parse(base))).toEqual([]);
  });
});
