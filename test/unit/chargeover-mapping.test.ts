import { describe, expect, it } from 'vitest';
import { customerSchema } from '../../shared/customer/schema';
import { chargeoverAdapter } from '../../shared/erps/chargeover';
import { chargeoverCredentialsSchema } from '../../shared/erps/chargeover/credentials';
import { NATIVE_FIELDS } from '../../shared/erps/chargeover/fields';
import { toChargeOverCustomer } from '../../shared/erps/chargeover/mapper';
import { sampleValue } from '../helpers/native-samples';

const JOB = '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f';
const creds = { instance: 'acme', username: 'api-user', privateKey: 'pk-secret-123' };

const company = customerSchema.parse({
  personType: 'company',
  name: { company: 'Stark Industries' },
  commercialName: 'Stark',
  identification: { type: 'NIT', number: '900.373.913' },
  email: 'billing@stark.co',
  phones: [
    { kind: 'mobile', countryCode: '57', number: '3001112233' },
    { kind: 'primary', countryCode: '57', number: '6017654321', extension: '132' },
  ],
  billingAddress: {
    lines: ['Cra. 18 #79A - 42', 'Oficina 301', 'Edificio Norte'],
    city: 'Bogotá',
    cityCode: '11001',
    state: 'Bogotá D.C.',
    stateCode: '11',
    postalCode: '110911',
    country: 'CO',
  },
  shippingAddress: { lines: ['Calle 100 #8A-55'], city: 'Bogotá', stateCode: '11', country: 'co' },
  contacts: [
    {
      firstName: 'Marcos',
      lastName: 'Castillo',
      email: 'marcos@stark.co',
      phone: { countryCode: '57', number: '3006003345' },
    },
  ],
  tax: { exempt: true },
  externalId: 'CRM-000123',
  erpFields: {
    custom_1: 'Gold',
    custom_20: 'last custom field',
    brand_id: 2,
    terms_id: 3,
    class_id: 4,
    no_dunning: true,
    invoice_delivery: 'print',
    dunning_delivery: 'email',
    tags: ['vip', 'colombia'],
    superuser_username: 'stark-billing',
  },
});

const person = customerSchema.parse({
  personType: 'person',
  name: { first: 'Ana', last: 'Gómez' },
  identification: { type: 'CC', number: '1020304050' },
  email: 'ana@example.com',
  phones: [{ number: '3105556677' }],
  billingAddress: {
    lines: ['742 Evergreen Terrace'],
    city: 'Springfield',
    state: 'OR',
    postalCode: '97403',
    country: 'US',
  },
});

describe('ChargeOver mapping', () => {
  it('maps a company: name, main contact from the first contact, both addresses, NIT with DV, erpFields last', () => {
    expect(toChargeOverCustomer(company, 'CRM-000123')).toEqual({
      external_key: 'CRM-000123',
      company: 'Stark Industries',
      superuser_name: 'Marcos Castillo',
      superuser_first_name: 'Marcos',
      superuser_last_name: 'Castillo',
      superuser_email: 'marcos@stark.co',
      superuser_phone: '+57 300 6003345',
      bill_addr1: 'Cra. 18 #79A - 42',
      bill_addr2: 'Oficina 301, Edificio Norte',
      bill_city: 'Bogotá',
      bill_state: 'Bogotá D.C.',
      bill_postcode: '110911',
      bill_country: 'Colombia',
      ship_addr1: 'Calle 100 #8A-55',
      ship_city: 'Bogotá',
      ship_state: 'Bogotá, D.C.',
      ship_country: 'Colombia',
      tax_ident: '900373913-4',
      no_taxes: true,
      custom_1: 'Gold',
      custom_20: 'last custom field',
      brand_id: 2,
      terms_id: 3,
      class_id: 4,
      no_dunning: true,
      invoice_delivery: 'print',
      dunning_delivery: 'email',
      tags: ['vip', 'colombia'],
      superuser_username: 'stark-billing',
    });
  });

  it('maps a person: the person is the main contact, primary phone and email, US address by country name', () => {
    expect(toChargeOverCustomer(person, `erpb-${JOB}`)).toEqual({
      external_key: `erpb-${JOB}`,
      company: 'Ana Gómez',
      superuser_name: 'Ana Gómez',
      superuser_first_name: 'Ana',
      superuser_last_name: 'Gómez',
      superuser_email: 'ana@example.com',
      superuser_phone: '+1 310 555 6677',
      bill_addr1: '742 Evergreen Terrace',
      bill_city: 'Springfield',
      bill_state: 'OR',
      bill_postcode: '97403',
      bill_country: 'United States',
      tax_ident: '1020304050',
    });
  });

  it('a company without contacts sends the customer email and primary phone as the main contact', () => {
    const c = customerSchema.parse({
      personType: 'company',
      name: { company: 'Wayne' },
      email: 'ap@wayne.com',
      phones: [
        { kind: 'fax', countryCode: '1', number: '2015550123' },
        { countryCode: '1', number: '201 555 0124', extension: '9' },
      ],
    });
    const body = toChargeOverCustomer(c, 'k');
    expect(body).toEqual({
      external_key: 'k',
      company: 'Wayne',
      superuser_email: 'ap@wayne.com',
      superuser_phone: '+1 201 555 0124 ext. 9',
    });
  });

  it('erpFields win over mapped fields, but never over external_key', () => {
    const c = customerSchema.parse({
      personType: 'company',
      name: { company: 'Wayne' },
      erpFields: { company: 'Wayne Enterprises, Inc.', bill_country: 'USA', external_key: 'hijack' },
      billingAddress: { lines: ['1007 Mountain Drive'], country: 'US' },
    });
    const body = toChargeOverCustomer(c, 'mine');
    expect(body.company).toBe('Wayne Enterprises, Inc.');
    expect(body.bill_country).toBe('USA');
    expect(body.external_key).toBe('mine');
  });
});

describe('ChargeOver excerpt coverage', () => {
  it('every native field of the reference excerpt reaches the body through erpFields (external_key via externalId)', () => {
    const values: Record<string, unknown> = Object.fromEntries(
      Object.entries(NATIVE_FIELDS)
        .filter(([k, f]) => k !== 'external_key' && !f.readOnly)
        .map(([k, f]) => [k, sampleValue(f, k)]),
    );
    const c = customerSchema.parse({
      personType: 'company',
      name: { company: 'X' },
      externalId: 'EK',
      erpFields: values,
    });
    expect(chargeoverAdapter.requirements(c)).toEqual([]);
    expect(toChargeOverCustomer(c, 'EK')).toEqual({ ...values, external_key: 'EK' });
  });
});

describe('ChargeOver create request', () => {
  const ctx = (jobId: string) => ({
    jobId,
    endpoint: () => 'https://{instance}.chargeover.com/api/v3/',
    connection: { environment: 'production' as const, credentials: creds, tenantId: 't', connectionId: 'c' },
  });

  it('is POST /api/v3/customer on the instance host, JSON, without credentials', () => {
    const req = chargeoverAdapter.buildCreateRequest(company, ctx(JOB));
    expect(req.method).toBe('POST');
    expect(req.url).toBe('https://acme.chargeover.com/api/v3/customer');
    expect(req.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(JSON.stringify(req)).not.toContain(creds.privateKey);
    expect((req.body as Record<string, unknown>).external_key).toBe('CRM-000123');
  });

  it('always sends an external_key: derived from the job id when the caller gives no externalId, stable per job', () => {
    const a = chargeoverAdapter.buildCreateRequest(person, ctx(JOB)).body as Record<string, unknown>;
    const b = chargeoverAdapter.buildCreateRequest(person, ctx(JOB)).body as Record<string, unknown>;
    const other = chargeoverAdapter.buildCreateRequest(person, ctx('another-job')).body as Record<
      string,
      unknown
    >;
    expect(a.external_key).toBe(`erpb-${JOB}`);
    expect(b.external_key).toBe(a.external_key);
    expect(other.external_key).not.toBe(a.external_key);
  });
});

describe('ChargeOver credentials', () => {
  it('accepts the instance as a sub-domain or a pasted host', () => {
    for (const instance of ['acme', 'ACME', 'acme.chargeover.com', 'https://acme.chargeover.com/']) {
      expect(chargeoverCredentialsSchema.parse({ ...creds, instance }).instance).toBe('acme');
    }
  });

  it('rejects a missing private key, an odd instance and unknown fields', () => {
    expect(chargeoverCredentialsSchema.safeParse({ instance: 'acme', username: 'u' }).success).toBe(false);
    expect(chargeoverCredentialsSchema.safeParse({ ...creds, instance: 'a b' }).success).toBe(false);
    expect(chargeoverCredentialsSchema.safeParse({ ...creds, password: 'x' }).success).toBe(false);
  });
});
