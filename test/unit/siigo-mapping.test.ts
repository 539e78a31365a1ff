import { afterEach, describe, expect, it, vi } from 'vitest';
import { customerSchema, type UnifiedCustomerInput } from '../../shared/customer/schema';
import { siigoAdapter } from '../../shared/erps/siigo';
import { siigoFromInlineCredentials, siigoPartnerId } from '../../shared/erps/siigo/credentials';
import { toSiigoCustomer } from '../../shared/erps/siigo/mapper';

const parse = (input: UnifiedCustomerInput) => customerSchema.parse(input);

const stark: UnifiedCustomerInput = {
  personType: 'company',
  name: { company: 'Stark Industries S.A.S.' },
  commercialName: 'Stark',
  identification: { type: 'NIT', number: '900.373.913' },
  email: 'billing@stark.co',
  phones: [{ kind: 'primary', countryCode: '57', number: '6017654321', extension: '132' }],
  website: 'https://stark.co',
  billingAddress: {
    lines: ['Cra. 18 #79A - 42', 'Oficina 301'],
    city: 'Bogotá',
    cityCode: '11001',
    stateCode: '11',
    postalCode: '110911',
    country: 'co',
  },
  contacts: [
    {
      firstName: 'Pepper',
      lastName: 'Potts',
      email: 'pepper@stark.co',
      phone: { countryCode: '57', number: '3006003345' },
    },
  ],
  currency: 'COP',
  tax: { vatResponsible: true, fiscalResponsibilities: ['O-13', 'O-23'] },
  notes: 'Cliente corporativo',
  externalId: 'CRM-000123',
  branchOffice: 2,
  erpFields: { related_users: { seller_id: 629, collector_id: 625 } },
};

const marcos: UnifiedCustomerInput = {
  type: 'supplier',
  personType: 'person',
  name: { first: 'Marcos', last: 'Castillo' },
  identification: { type: 'CC', number: '13.832.081', checkDigit: '4' },
  email: 'marcos.castillo@contacto.com',
  phones: [{ number: '3006003345' }],
  billingAddress: { lines: ['Calle 5 # 4-70'], cityCode: '19001', stateCode: '19', country: 'CO' },
  active: false,
};

describe('Siigo mapping', () => {
  it('maps a company to the exact CustomerIn body', () => {
    expect(toSiigoCustomer(parse(stark))).toEqual({
      type: 'Customer',
      person_type: 'Company',
      id_type: '31',
      identification: '900373913',
      check_digit: '4',
      name: ['Stark Industries S.A.S.'],
      commercial_name: 'Stark',
      branch_office: 2,
      active: true,
      vat_responsible: true,
      fiscal_responsibilities: [{ code: 'O-13' }, { code: 'O-23' }],
      address: {
        address: 'Cra. 18 #79A - 42, Oficina 301',
        city: { country_code: 'CO', state_code: '11', city_code: '11001' },
        postal_code: '110911',
      },
      phones: [{ indicative: '57', number: '6017654321', extension: '132' }],
      contacts: [
        { first_name: 'Stark Industries S.A.S.', email: 'billing@stark.co' },
        {
          first_name: 'Pepper',
          last_name: 'Potts',
          email: 'pepper@stark.co',
          phone: { indicative: '57', number: '3006003345' },
        },
      ],
      comments: 'Cliente corporativo',
      related_users: { seller_id: 629, collector_id: 625 },
    });
  });

  it('maps a person to the exact CustomerIn body (names split, cédula dots stripped, defaults filled)', () => {
    expect(toSiigoCustomer(parse(marcos))).toEqual({
      type: 'Supplier',
      person_type: 'Person',
      id_type: '13',
      identification: '13832081',
      check_digit: '4',
      name: ['Marcos', 'Castillo'],
      branch_office: 0,
      active: false,
      vat_responsible: false,
      fiscal_responsibilities: [{ code: 'R-99-PN' }],
      address: {
        address: 'Calle 5 # 4-70',
        city: { country_code: 'CO', state_code: '19', city_code: '19001' },
      },
      phones: [{ indicative: '57', number: '3006003345' }],
      contacts: [{ first_name: 'Marcos', last_name: 'Castillo', email: 'marcos.castillo@contacto.com' }],
    });
  });

  it.each([
    ['NIT', 'company', '31'],
    ['CC', 'person', '13'],
    ['CE', 'person', '22'],
    ['TI', 'person', '12'],
    ['RC', 'person', '11'],
    ['PP', 'person', '41'],
    ['PEP', 'person', '47'],
    ['PPT', 'person', '48'],
    ['DIE', 'person', '42'],
    ['NUIP', 'person', '91'],
    ['FOREIGN_NIT', 'company', '50'],
    ['VAT', 'company', '50'],
    ['TAX_ID', 'company', '50'],
    ['ORG_NO', 'company', '50'],
    ['VAT', 'person', '42'],
    ['TAX_ID', 'person', '42'],
  ] as const)('id type %s (%s) → id_type %s', (type, personType, code) => {
    const c = parse({
      personType,
      name: personType === 'company' ? { company: 'X Ltd' } : { first: 'A', last: 'B' },
      identification: {
        type,
        number: ['NIT', 'CC', 'TI', 'RC', 'NUIP'].includes(type) ? '900373913' : 'AB12345',
      },
    });
    expect(toSiigoCustomer(c).id_type).toBe(code);
  });

  it('does not repeat the email as a contact when a contact already carries it', () => {
    const c = parse({ ...marcos, contacts: [{ firstName: 'Ana', email: 'MARCOS.castillo@contacto.com' }] });
    expect(toSiigoCustomer(c).contacts).toEqual([
      { first_name: 'Ana', email: 'MARCOS.castillo@contacto.com' },
    ]);
  });

  it('merges erpFields last but keeps the look-up key (identification, branch_office) its own', () => {
    const c = parse({
      ...marcos,
      erpFields: { comments: 'from erpFields', identification: '999', branch_office: 7, custom_fields: [] },
    });
    const body = toSiigoCustomer(c);
    expect(body.comments).toBe('from erpFields');
    expect(body.custom_fields).toEqual([]);
    expect(body.identification).toBe('13832081');
    expect(body.branch_office).toBe(0);
  });

  it('builds the create request create sends: Partner-Id, no Authorization, no secret', () => {
    const credentials = { username: 'api@empresa.co', accessKey: 'c2VjcmV0LWtleQ==' };
    const req = siigoAdapter.buildCreateRequest(parse(stark), {
      jobId: 'j1',
      endpoint: () => 'https://api.siigo.com/',
      connection: { environment: 'sandbox', credentials, tenantId: 't', connectionId: 'c' },
    });
    expect(req).toMatchObject({
      method: 'POST',
      url: 'https://api.siigo.com/v1/customers',
      headers: { 'Partner-Id': 'ERPBridge', 'Content-Type': 'application/json' },
    });
    expect(Object.keys(req.headers).map((h) => h.toLowerCase())).not.toContain('authorization');
    expect(JSON.stringify(req)).not.toContain(credentials.accessKey);
  });
});

describe('Siigo credentials', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('accepts { username, accessKey } only', () => {
    expect(siigoAdapter.credentialsSchema.safeParse({ username: 'u', accessKey: 'k' }).success).toBe(true);
    expect(siigoAdapter.credentialsSchema.safeParse({ username: 'u', access_key: 'k' }).success).toBe(false);
    expect(siigoAdapter.credentialsSchema.safeParse({ username: 'u', accessKey: 'k', x: 1 }).success).toBe(
      false,
    );
  });

  it('turns Konvex inline headers into credentials', () => {
    expect(siigoFromInlineCredentials('api@empresa.co', 'key==')).toEqual({
      username: 'api@empresa.co',
      accessKey: 'key==',
    });
  });

  it('reads the Partner-Id from SIIGO_PARTNER_ID and refuses a malformed one', () => {
    expect(siigoPartnerId({})).toBe('ERPBridge');
    expect(siigoPartnerId({ SIIGO_PARTNER_ID: 'AcmeApp2' })).toBe('AcmeApp2');
    expect(() => siigoPartnerId({ SIIGO_PARTNER_ID: 'Acme App' })).toThrow(/SIIGO_PARTNER_ID/);
    expect(() => siigoPartnerId({ SIIGO_PARTNER_ID: 'ab' })).toThrow(/SIIGO_PARTNER_ID/);
  });
});
