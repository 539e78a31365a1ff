import { describe, expect, it } from 'vitest';
import { customerSchema } from '../../shared/customer/schema';
import { nextAdapter } from '../../shared/erps/next';
import { customerNumberFor } from '../../shared/erps/next/customer-number';
import { toNextCustomer } from '../../shared/erps/next/mapper';

const JOB = '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f';
const creds = {
  clientId: 'client-abc',
  clientSecret: 'secret-xyz-123',
  databaseNo: '1234',
  accessToken: 'tok-5109d8fc',
};

const company = customerSchema.parse({
  personType: 'company',
  name: { company: 'Bygg & Mark Stockholm AB' },
  commercialName: 'ByggMark',
  identification: { type: 'VAT', number: 'SE556677889901', country: 'SE' },
  email: 'faktura@byggmark.se',
  phones: [
    { kind: 'primary', countryCode: '46', number: '8123456', extension: '12' },
    { kind: 'mobile', countryCode: '46', number: '701234567' },
    { kind: 'fax', number: '8123457' },
  ],
  website: 'https://byggmark.se',
  billingAddress: {
    lines: ['Storgatan 1', 'Box 123', 'Hus B'],
    city: 'Stockholm',
    postalCode: '111 22',
    country: 'se',
  },
  shippingAddress: { lines: ['Lagervägen 5'], city: 'Solna', country: 'SE' },
  contacts: [{ firstName: 'Anna', lastName: 'Svensson', email: 'anna@byggmark.se' }],
  notes: 'Ramavtal 2025',
  externalId: 'CRM-000123',
  erpFields: {
    customertypeid: 1,
    constructioncompany: true,
    invoiceemail: 'ap@byggmark.se',
    billingtermsid: 3,
  },
});

const person = customerSchema.parse({
  type: 'supplier',
  personType: 'person',
  name: { first: 'Erik', last: 'Lindqvist' },
  identification: { type: 'ORG_NO', number: '198001011234' },
  phones: [{ kind: 'other', countryCode: '46', number: '0701112233' }],
  tax: { exempt: true },
  active: false,
  erpFields: { customertypeid: 2, apartmentno: '1102', housingcooperativeorgno: '769600-1234' },
});

describe('NEXT mapping', () => {
  it('maps a company to the exact Create Customer body', () => {
    expect(toNextCustomer(company, JOB).body).toEqual({
      name: 'Bygg & Mark Stockholm AB',
      customerno: 'CRM-000123',
      active: true,
      privateperson: false,
      vatno: 'SE556677889901',
      countrycode: 'SE',
      email: 'faktura@byggmark.se',
      phone: '+46 8 12 34 56 ext. 12',
      mobile: '+46 70 123 45 67',
      fax: '+46 8 12 34 57',
      webaddress: 'https://byggmark.se',
      customernote: 'Ramavtal 2025',
      billaddress1: 'Bygg & Mark Stockholm AB',
      billaddress2: 'Storgatan 1',
      billaddress3: 'Box 123, Hus B',
      billaddress4: '111 22',
      billaddress5: 'Stockholm',
      billaddress6: 'Sweden',
      customertypeid: 1,
      constructioncompany: true,
      invoiceemail: 'ap@byggmark.se',
      billingtermsid: 3,
    });
  });

  it('maps a person (supplier, inactive, VAT-exempt) with a customer number derived from the job', () => {
    const { body } = toNextCustomer(person, JOB);
    expect(body).toEqual({
      name: 'Erik Lindqvist',
      customerno: customerNumberFor(person, JOB),
      active: false,
      privateperson: true,
      isalsosupplier: true,
      organizationno: '198001011234',
      phone: '+46 70 111 22 33',
      novat: true,
      customertypeid: 2,
      apartmentno: '1102',
      housingcooperativeorgno: '769600-1234',
    });
    expect(body.customerno).toMatch(/^EB-[0-9A-F]{20}$/);
  });

  it('derives the same customer number on every attempt of a job, and different ones across jobs', () => {
    expect(customerNumberFor(person, JOB)).toBe(customerNumberFor(person, JOB));
    expect(customerNumberFor(person, 'another-job')).not.toBe(customerNumberFor(person, JOB));
    expect(customerNumberFor(company, 'another-job')).toBe('CRM-000123');
  });

  it('keeps a NIT with its check digit as the organisation number', () => {
    const c = customerSchema.parse({
      personType: 'company',
      name: { company: 'Stark' },
      identification: { type: 'NIT', number: '900373913' },
      erpFields: { customertypeid: 1 },
    });
    expect(toNextCustomer(c, JOB).body).toMatchObject({ organizationno: '900373913-4', countrycode: 'CO' });
  });

  it('lets erpFields override mapped fields but never the look-up key', () => {
    const c = customerSchema.parse({
      personType: 'company',
      name: { company: 'Stark' },
      externalId: 'K-1',
      erpFields: { customertypeid: 1, name: 'Stark (SE)', customerno: 'HIJACK', privateperson: true },
    });
    const { body, sources } = toNextCustomer(c, JOB);
    expect(body).toMatchObject({ name: 'Stark (SE)', customerno: 'K-1', privateperson: true });
    expect(sources).toMatchObject({ name: '/erpFields/name', customerno: '/externalId' });
  });

  it('dry run: buildCreateRequest is the POST to /customer/ without any credential', () => {
    const req = nextAdapter.buildCreateRequest(company, {
      jobId: JOB,
      endpoint: () => 'https://api.next-tech.com/v1/',
      connection: { environment: 'production', credentials: creds, tenantId: 't', connectionId: 'c' },
    });
    expect(req.method).toBe('POST');
    expect(req.url).toBe('https://api.next-tech.com/v1/customer/');
    expect(req.body).toEqual(toNextCustomer(company, JOB).body);
    expect(Object.keys(req.headers).map((h) => h.toLowerCase())).not.toContain('authorization');
    expect(JSON.stringify(req)).not.toContain(creds.accessToken);
    expect(JSON.stringify(req)).not.toContain(creds.clientSecret);
  });
});

describe('NEXT credentials', () => {
  const schema = nextAdapter.credentialsSchema;
  it('accepts the one-time key shape and the exchanged-token shape', () => {
    expect(
      schema.safeParse({ clientId: 'a', clientSecret: 'b', databaseNo: 1234, apiKey: 'k' }).data,
    ).toEqual({
      clientId: 'a',
      clientSecret: 'b',
      databaseNo: '1234',
      apiKey: 'k',
    });
    expect(
      schema.safeParse({ clientId: 'a', clientSecret: 'b', databaseNo: '1234', accessToken: 't' }).success,
    ).toBe(true);
  });

  it('refuses neither or both of apiKey and accessToken, and a non-numeric database', () => {
    const paths = (v: unknown) => schema.safeParse(v).error?.issues.map((i) => i.path.join('.'));
    expect(paths({ clientId: 'a', clientSecret: 'b', databaseNo: '1' })).toEqual(['apiKey']);
    expect(
      paths({ clientId: 'a', clientSecret: 'b', databaseNo: '1', apiKey: 'k', accessToken: 't' }),
    ).toEqual(['apiKey']);
    expect(paths({ clientId: 'a', clientSecret: 'b', databaseNo: 'acme', apiKey: 'k' })).toEqual([
      'databaseNo',
    ]);
  });
});

describe('NEXT geography and currency (issue 11 §4)', () => {
  it('line 5 from a Colombian city code (it was dropped), line 6 from a fixed English country table', () => {
    const c = customerSchema.parse({
      personType: 'company',
      name: { company: 'Bygg & Mark AB' },
      billingAddress: { lines: ['Cra. 43A # 1-50'], cityCode: '05001', country: 'CO' },
    });
    const { body, sources } = toNextCustomer(c, 'job-1');
    expect(body).toMatchObject({ billaddress5: 'Medellín', billaddress6: 'Colombia', countrycode: 'CO' });
    expect(sources.billaddress5).toBe('/billingAddress/cityCode');
    const tr = customerSchema.parse({
      personType: 'company',
      name: { company: 'Istanbul Yapı' },
      billingAddress: { lines: ['Istiklal Cd. 1'], country: 'TR' },
    });
    expect(toNextCustomer(tr, 'job-1').body.billaddress6).toBe('Türkiye');
  });

  it('what NEXT has no place for is a warning; /currency without erpFields.currencyid is refused', () => {
    const c = customerSchema.parse({
      personType: 'company',
      name: { company: 'Bygg & Mark AB' },
      currency: 'SEK',
      billingAddress: { lines: ['Storgatan 1'], stateCode: 'AB', country: 'SE' },
      shippingAddress: { lines: ['Lagervägen 2'], country: 'SE' },
      erpFields: { customertypeid: 1 },
    });
    expect(nextAdapter.requirements(c)).toEqual([
      expect.objectContaining({ pointer: '/currency', code: 'unsupported' }),
    ]);
    expect(nextAdapter.warnings?.(c).map((w) => w.pointer)).toEqual([
      '/billingAddress/stateCode',
      '/shippingAddress',
    ]);
    const withId = customerSchema.parse({ ...c, erpFields: { customertypeid: 1, currencyid: 2 } });
    expect(nextAdapter.requirements(withId)).toEqual([]);
    expect(nextAdapter.warnings?.(withId).map((w) => w.pointer)).toContain('/currency');
  });
});
