import { describe, expect, it } from 'vitest';
import { customerSchema, type UnifiedCustomerInput } from '../../shared/customer/schema';
import { alegraAdapter } from '../../shared/erps/alegra/adapter';
import { toAlegraContact } from '../../shared/erps/alegra/mapper';

const parse = (c: UnifiedCustomerInput) => customerSchema.parse(c);

const requestContext = {
  jobId: 'job-1',
  endpoint: () => 'https://api.alegra.com/api/v1/',
  connection: {
    tenantId: 't1',
    connectionId: 'c1',
    environment: 'production' as const,
    credentials: { email: 'ops@acme.co', token: 'a1b2c3d4e5f6a7b8c9d0' },
  },
};

describe('Alegra mapping', () => {
  it('maps a Colombian person to the golden contact body', () => {
    const person = parse({
      personType: 'person',
      name: { first: 'Marcos', last: 'Castillo' },
      identification: { type: 'CC', number: '13832081' },
      email: 'marcos@example.com',
      phones: [
        { kind: 'primary', number: '6013003345', extension: '12' },
        { kind: 'mobile', countryCode: '57', number: '3006003345' },
      ],
      billingAddress: {
        lines: ['Cra. 18 #79A - 42', 'Oficina 301'],
        city: 'Bogotá, D.C.',
        state: 'Bogotá',
        postalCode: '110911',
        country: 'co',
      },
      tax: { vatResponsible: false },
      notes: 'Cliente desde 2020',
    });
    expect(toAlegraContact(person)).toEqual({
      name: 'Marcos Castillo',
      nameObject: { firstName: 'Marcos', lastName: 'Castillo' },
      kindOfPerson: 'PERSON_ENTITY',
      identification: { type: 'CC', number: '13832081' },
      type: ['client'],
      email: 'marcos@example.com',
      phonePrimary: '+57 601 3003345 ext. 12',
      mobile: '+57 300 6003345',
      address: {
        address: 'Cra. 18 #79A - 42, Oficina 301',
        city: 'Bogotá, D.C.',
        department: 'Bogotá',
        country: 'Colombia',
        zipCode: '110911',
      },
      regime: 'SIMPLIFIED_REGIME',
      observations: 'Cliente desde 2020',
      status: 'active',
    });
  });

  it('maps a company with a NIT (DV computed), contacts and erpFields to the golden body', () => {
    const company = parse({
      personType: 'company',
      name: { company: 'Stark Industries SAS' },
      commercialName: 'Stark',
      identification: { type: 'NIT', number: '900.373.913' },
      email: 'billing@stark.co',
      phones: [
        { kind: 'primary', countryCode: '57', number: '6017000000' },
        { kind: 'other', number: '6017000001' },
        { kind: 'fax', number: '6017000002' },
      ],
      shippingAddress: { lines: ['Calle 100 #8A-55'], city: 'Bogotá', country: 'CO' },
      contacts: [
        { firstName: 'Pepper', lastName: 'Potts', email: 'pepper@stark.co', phone: { number: '3001112233' } },
      ],
      tax: { regime: 'COMMON_REGIME', vatResponsible: false },
      active: false,
      externalId: 'CRM-1',
      erpFields: { seller: { id: '3' }, kindOfPerson: 'LEGAL_ENTITY', email: 'ignored@stark.co' },
    });
    expect(toAlegraContact(company)).toEqual({
      name: 'Stark Industries SAS',
      kindOfPerson: 'LEGAL_ENTITY',
      identification: { type: 'NIT', number: '900373913', dv: '4' },
      type: ['client'],
      email: 'billing@stark.co',
      phonePrimary: '+57 601 7000000',
      phoneSecondary: '+57 601 7000001',
      fax: '+57 601 7000002',
      address: { address: 'Calle 100 #8A-55', city: 'Bogotá', country: 'Colombia' },
      // An explicit Alegra regime wins over the VAT flag.
      regime: 'COMMON_REGIME',
      internalContacts: [
        { name: 'Pepper', lastName: 'Potts', email: 'pepper@stark.co', phone: '+57 300 1112233' },
      ],
      status: 'inactive',
      seller: { id: '3' },
    });
  });

  it('sends foreign identifications as a plain string and suppliers as providers, without a Colombian regime', () => {
    const body = toAlegraContact(
      parse({
        type: 'supplier',
        personType: 'company',
        name: { company: 'ACME SA de CV' },
        identification: { type: 'TAX_ID', number: 'AAA010101AAA', country: 'MX' },
        tax: { vatResponsible: true },
        billingAddress: { lines: ['Av. Reforma 1'], postalCode: '06600', country: 'MX' },
        erpFields: { cfdiUse: 'G03', regimeObject: ['GENERAL_REGIME_OF_MORAL_PEOPLE_LAW'] },
      }),
    );
    expect(body).toEqual({
      name: 'ACME SA de CV',
      kindOfPerson: 'LEGAL_ENTITY',
      identification: 'AAA010101AAA',
      type: ['provider'],
      address: { address: 'Av. Reforma 1', country: 'México', zipCode: '06600' },
      status: 'active',
      cfdiUse: 'G03',
      regimeObject: ['GENERAL_REGIME_OF_MORAL_PEOPLE_LAW'],
    });
  });

  it('lets erpFields override mapped fields but never the look-up keys', () => {
    const body = toAlegraContact(
      parse({
        personType: 'person',
        name: { first: 'Ana', last: 'Gómez Ruiz' },
        identification: { type: 'CC', number: '52123456' },
        email: 'ana@example.com',
        erpFields: {
          nameObject: { firstName: 'Ana', lastName: 'Gómez', secondLastName: 'Ruiz' },
          identification: { type: 'CC', number: '1' },
          identificationObject: { type: 'CC', number: '1' },
          email: 'other@example.com',
          id: '77',
        },
      }),
    );
    expect(body.nameObject).toEqual({ firstName: 'Ana', lastName: 'Gómez', secondLastName: 'Ruiz' });
    expect(body.identification).toEqual({ type: 'CC', number: '52123456' });
    expect(body.email).toBe('ana@example.com');
    expect(body).not.toHaveProperty('identificationObject');
    expect(body).not.toHaveProperty('id');
  });

  it('buildCreateRequest is the exact POST /contacts, without credentials', () => {
    const customer = parse({ personType: 'company', name: { company: 'X SAS' }, email: 'x@x.co' });
    const req = alegraAdapter.buildCreateRequest(customer, requestContext);
    expect(req).toEqual({
      method: 'POST',
      url: 'https://api.alegra.com/api/v1/contacts',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: toAlegraContact(customer),
    });
    const text = JSON.stringify(req);
    expect(text).not.toContain(requestContext.connection.credentials.token);
    expect(text.toLowerCase()).not.toContain('authorization');
  });

  it('turns inline username + apikey into credentials', () => {
    expect(alegraAdapter.fromInlineCredentials?.(' ops@acme.co ', 'a1b2c3d4e5f6a7b8c9d0')).toEqual({
      email: 'ops@acme.co',
      token: 'a1b2c3d4e5f6a7b8c9d0',
    });
    expect(() => alegraAdapter.fromInlineCredentials?.('not-an-email', 'tok')).toThrow();
    expect(alegraAdapter.credentialsSchema.safeParse({ email: 'a@b.co', token: 'x', extra: 1 }).success).toBe(
      false,
    );
  });
});
