import { describe, expect, it } from 'vitest';
import { customerSchema, type UnifiedCustomerInput } from '../../shared/customer/schema';
import { sageAdapter } from '../../shared/erps/sage';
import type { SageCredentials } from '../../shared/erps/sage/credentials';
import { blockDurationMs, parseSageError, redact } from '../../shared/erps/sage/errors';
import { toSageCustomer } from '../../shared/erps/sage/mapper';
import type { RequestContext } from '../../shared/erps/types';

const credentials: SageCredentials = {
  apiKey: '{39478ac6-ac2a-44d8-a31c-7e7e14af4de3}',
  username: 'ops@acme.co.za',
  password: 'correct horse',
  companyId: 12345,
  regionHost: 'accounting.sageone.co.za',
};

const ctx = (
  overrides: Partial<SageCredentials> = {},
  base = 'https://{host}/api/2.0.0',
): RequestContext<SageCredentials> => ({
  jobId: '7c0b7d4e-0f43-4d4c-9d6a-1d2f3e4a5b6c',
  endpoint: () => base,
  connection: {
    tenantId: 't1',
    connectionId: 'c1',
    environment: 'production',
    credentials: { ...credentials, ...overrides },
  },
});

const parse = (c: UnifiedCustomerInput) => customerSchema.parse(c);

const company = parse({
  personType: 'company',
  name: { company: 'Acme Trading (Pty) Ltd' },
  identification: { type: 'VAT', number: '4123456780', country: 'ZA' },
  email: 'accounts@acme.co.za',
  phones: [
    { kind: 'primary', countryCode: '27', number: '215550100', extension: '12' },
    { kind: 'mobile', countryCode: '27', number: '825550100' },
    { kind: 'fax', number: '215550101' },
  ],
  website: 'https://acme.co.za',
  billingAddress: {
    lines: ['12 Loop Street', 'Unit 4'],
    city: 'Cape Town',
    state: 'Western Cape',
    postalCode: '8001',
    country: 'ZA',
  },
  shippingAddress: {
    lines: ['Dock 7', 'Paarden Eiland'],
    city: 'Cape Town',
    postalCode: '7405',
    country: 'ZA',
  },
  contacts: [{ firstName: 'Thandi', lastName: 'Nkosi', email: 'thandi@acme.co.za' }],
  externalId: 'CRM-000123',
  erpFields: { CreditLimit: 50000, DueDateMethodId: 0, DueDateMethodValue: 30, SubjectToDRCVat: true },
});

const person = parse({
  personType: 'person',
  name: { first: 'Pieter', last: 'van der Merwe' },
  identification: { type: 'TAX_ID', number: '0123456782' },
  phones: [{ kind: 'mobile', number: '0825550199' }],
  billingAddress: { lines: ['PO Box 55'], city: 'Pretoria', postalCode: '0001', country: 'ZA' },
  active: false,
});

describe('sage mapping', () => {
  it('maps a company to the exact Customer/Save body (golden)', () => {
    const req = sageAdapter.buildCreateRequest(company, ctx());
    expect(req.method).toBe('POST');
    expect(req.url).toBe('https://accounting.sageone.co.za/api/2.0.0/Customer/Save?companyid=12345');
    expect(req.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(req.body).toEqual({
      Name: 'Acme Trading (Pty) Ltd',
      TaxReference: '4123456780',
      ContactName: 'Thandi Nkosi',
      Telephone: '+27 21 555 0100 ext. 12',
      Mobile: '+27 82 555 0100',
      Fax: '+27 21 555 0101',
      Email: 'accounts@acme.co.za',
      WebAddress: 'https://acme.co.za',
      Active: true,
      CommunicationMethod: 2,
      PostalAddress01: '12 Loop Street',
      PostalAddress02: 'Unit 4',
      PostalAddress03: 'Cape Town',
      PostalAddress04: 'Western Cape 8001',
      PostalAddress05: 'South Africa',
      DeliveryAddress01: 'Dock 7',
      DeliveryAddress02: 'Paarden Eiland',
      DeliveryAddress03: 'Cape Town',
      DeliveryAddress04: '7405',
      DeliveryAddress05: 'South Africa',
      TextField1: 'CRM-000123',
      CreditLimit: 50000,
      DueDateMethodId: 0,
      DueDateMethodValue: 30,
      SubjectToDRCVat: true,
    });
  });

  it('maps a person to the exact body, keyed by the job when there is no externalId (golden)', () => {
    const req = sageAdapter.buildCreateRequest(person, ctx());
    expect(req.body).toEqual({
      Name: 'Pieter van der Merwe',
      TaxReference: '0123456782',
      Mobile: '+27 82 555 0199',
      Active: false,
      CommunicationMethod: 0,
      PostalAddress01: 'PO Box 55',
      PostalAddress02: 'Pretoria',
      PostalAddress03: '0001',
      PostalAddress04: 'South Africa',
      TextField1: 'erp-bridge:7c0b7d4e-0f43-4d4c-9d6a-1d2f3e4a5b6c',
    });
  });

  it('never puts the API key or the login into the dry-run request', () => {
    const req = sageAdapter.buildCreateRequest(company, ctx());
    const text = JSON.stringify(req);
    expect(text).not.toContain('39478ac6');
    expect(text).not.toContain('correct horse');
    expect(text).not.toContain('ops@acme.co.za');
    expect(text.toLowerCase()).not.toContain('authorization');
  });

  it('builds the base from the region host, and SAGE_BASE_URL replaces it whole', () => {
    expect(
      sageAdapter.buildCreateRequest(company, ctx({ regionHost: 'accounting.sageone.com.au' })).url,
    ).toBe('https://accounting.sageone.com.au/api/2.0.0/Customer/Save?companyid=12345');
    expect(sageAdapter.buildCreateRequest(company, ctx({}, 'http://127.0.0.1:4107/api/2.0.0/')).url).toBe(
      'http://127.0.0.1:4107/api/2.0.0/Customer/Save?companyid=12345',
    );
  });

  it('lets erpFields override mapped fields but never ID or the TextField1 look-up key', () => {
    const c = parse({
      personType: 'company',
      name: { company: 'Acme' },
      email: 'a@acme.co.za',
      externalId: 'K-1',
      erpFields: {
        CommunicationMethod: 3,
        Name: 'ACME (Override)',
        ID: 77,
        TextField1: 'mine',
        TextField2: 'x',
      },
    });
    const body = sageAdapter.buildCreateRequest(c, ctx()).body as Record<string, unknown>;
    expect(body.CommunicationMethod).toBe(3);
    expect(body.Name).toBe('ACME (Override)');
    expect(body.TextField2).toBe('x');
    expect(body.TextField1).toBe('K-1');
    expect(body).not.toHaveProperty('ID');
  });

  it('puts an ORG_NO into BusinessRegistrationNumber and a NIT with its check digit into TaxReference', () => {
    const org = parse({
      personType: 'company',
      name: { company: 'A' },
      identification: { type: 'ORG_NO', number: '2019/123456/07' },
    });
    const nit = parse({
      personType: 'company',
      name: { company: 'B' },
      identification: { type: 'NIT', number: '900373913' },
    });
    const orgBody = sageAdapter.buildCreateRequest(org, ctx()).body as Record<string, unknown>;
    // Separators are removed by the unified schema, for every ERP alike.
    expect(orgBody.BusinessRegistrationNumber).toBe('201912345607');
    expect(orgBody).not.toHaveProperty('TaxReference');
    expect((sageAdapter.buildCreateRequest(nit, ctx()).body as Record<string, unknown>).TaxReference).toBe(
      '900373913-4',
    );
  });

  it('folds extra address lines into the last street slot instead of dropping them', () => {
    const c = parse({
      personType: 'company',
      name: { company: 'A' },
      billingAddress: { lines: ['L1', 'L2', 'L3', 'L4'], city: 'Durban', state: 'KZN', country: 'ZA' },
    });
    const body = sageAdapter.buildCreateRequest(c, ctx()).body as Record<string, unknown>;
    expect([1, 2, 3, 4, 5].map((i) => body[`PostalAddress0${i}`])).toEqual([
      'L1',
      'L2, L3, L4',
      'Durban',
      'KZN',
      'South Africa',
    ]);
  });
});

describe('sage error bodies', () => {
  it('reads ModelState, bare strings, arrays and plain text', () => {
    expect(
      parseSageError(
        {
          Message: 'The request is invalid.',
          ModelState: { 'customer.Name': ['The Name field is required.'] },
        },
        '',
      ),
    ).toEqual({
      message: 'The request is invalid.; The Name field is required.',
      fields: [{ field: 'Name', message: 'The Name field is required.' }],
    });
    expect(parseSageError('Name is required', '"Name is required"').message).toBe('Name is required');
    expect(parseSageError(['a', { Message: 'b' }], '').message).toBe('a; b');
    expect(parseSageError(undefined, 'Service Unavailable').message).toBe('Service Unavailable');
  });

  it('takes the block length from the 429 message, else one hour', () => {
    expect(blockDurationMs('…has been blocked for 1 hour', undefined)).toBe(3_600_000);
    expect(blockDurationMs('…has been blocked for 24 hours', undefined)).toBe(86_400_000);
    expect(blockDurationMs('Request Limit Reached', undefined)).toBe(3_600_000);
    expect(blockDurationMs('whatever', 120_000)).toBe(120_000);
  });

  it('redacts secrets from upstream messages', () => {
    expect(redact('bad key {abc-123} for x', ['{abc-123}'])).toBe('bad key *** for x');
  });
});

describe('Sage geography and currency (issue 11 §4)', () => {
  const co = customerSchema.parse({
    personType: 'company',
    name: { company: 'Stark Industries' },
    billingAddress: { lines: ['Cra. 18 #79A - 42'], cityCode: '05001', stateCode: '05', country: 'CO' },
  });

  it('city and state from DANE codes (they were dropped), the country from a fixed English table', () => {
    const { body, sources } = toSageCustomer(co, 'erp-bridge:k');
    expect(body).toMatchObject({
      PostalAddress01: 'Cra. 18 #79A - 42',
      PostalAddress02: 'Medellín',
      PostalAddress03: 'Antioquia',
      PostalAddress04: 'Colombia',
    });
    expect(sources).toMatchObject({
      PostalAddress02: '/billingAddress/cityCode',
      PostalAddress03: '/billingAddress/stateCode',
    });
    const hk = customerSchema.parse({
      personType: 'company',
      name: { company: 'Kowloon Trading' },
      billingAddress: { lines: ['1 Queen’s Road'], country: 'HK' },
    });
    // Intl.DisplayNames says "Hong Kong SAR China" (Node 20 and 24, ICU 78).
    expect(toSageCustomer(hk, 'k').body.PostalAddress02).toBe('Hong Kong');
  });

  it('/currency needs erpFields.CurrencyId (Sage keys currencies by id); with it, a warning says /currency is not sent', () => {
    const withCurrency = customerSchema.parse({
      personType: 'company',
      name: { company: 'X' },
      currency: 'ZAR',
    });
    expect(sageAdapter.requirements(withCurrency)).toEqual([
      expect.objectContaining({ pointer: '/currency', code: 'unsupported' }),
    ]);
    const both = customerSchema.parse({
      personType: 'company',
      name: { company: 'X' },
      currency: 'ZAR',
      erpFields: { CurrencyId: 1 },
    });
    expect(sageAdapter.requirements(both)).toEqual([]);
    expect(sageAdapter.warnings?.(both).map((w) => w.pointer)).toEqual(['/currency']);
  });
});
