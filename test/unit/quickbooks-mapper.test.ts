import { describe, expect, it } from 'vitest';
import { customerSchema, type UnifiedCustomerInput } from '../../shared/customer/schema';
import { quickbooksAdapter } from '../../shared/erps/quickbooks';
import { displayNameQuery, queryLiteral } from '../../shared/erps/quickbooks/lookup';

const parse = (c: UnifiedCustomerInput) => customerSchema.parse(c);
const reqCtx = (jobId = '3f0e9a1c-8b3d-4c7e-9f21-5a6b7c8d9e0f') => ({
  jobId,
  endpoint: (name: string) => (name === 'base' ? 'https://sandbox-quickbooks.api.intuit.com' : 'unused'),
  connection: {
    tenantId: 't1',
    connectionId: 'c1',
    environment: 'sandbox' as const,
    credentials: {
      realmId: '9130347596532146',
      clientId: 'cid',
      clientSecret: 'csecret',
      refreshToken: 'rt',
    },
  },
});

describe('QuickBooks create request', () => {
  it('maps a company to the golden Customer body, with minorversion and the job id as requestid', () => {
    const req = quickbooksAdapter.buildCreateRequest(
      parse({
        personType: 'company',
        name: { company: 'Stark Industries' },
        identification: { type: 'NIT', number: '900.373.913' },
        email: 'billing@stark.co',
        phones: [
          { kind: 'primary', countryCode: '57', number: '6013006003', extension: '132' },
          { kind: 'mobile', number: '3006003345' },
          { kind: 'fax', number: '6013006004' },
          { kind: 'primary', number: '6013006005' },
        ],
        website: 'https://stark.co',
        billingAddress: {
          lines: ['Cra. 18 #79A - 42', 'Piso 3'],
          city: 'Bogotá',
          cityCode: '11001',
          state: 'Bogotá D.C.',
          stateCode: '11',
          postalCode: '110911',
          country: 'co',
        },
        shippingAddress: {
          lines: ['1 Infinite Loop'],
          city: 'Cupertino',
          stateCode: 'CA',
          postalCode: '95014',
          country: 'US',
        },
        currency: 'cop',
        notes: 'Key account',
        erpFields: { PreferredDeliveryMethod: 'Email', Taxable: false },
      }),
      reqCtx(),
    );
    expect(req.method).toBe('POST');
    expect(req.url).toBe(
      'https://sandbox-quickbooks.api.intuit.com/v3/company/9130347596532146/customer?minorversion=75&requestid=3f0e9a1c-8b3d-4c7e-9f21-5a6b7c8d9e0f',
    );
    expect(req.headers).toEqual({ 'Content-Type': 'application/json', Accept: 'application/json' });
    expect(req.body).toEqual({
      DisplayName: 'Stark Industries',
      CompanyName: 'Stark Industries',
      PrimaryEmailAddr: { Address: 'billing@stark.co' },
      PrimaryPhone: { FreeFormNumber: '+57 601 3006003 ext. 132' },
      Mobile: { FreeFormNumber: '+57 300 6003345' },
      Fax: { FreeFormNumber: '+57 601 3006004' },
      AlternatePhone: { FreeFormNumber: '+57 601 3006005' },
      WebAddr: { URI: 'https://stark.co' },
      BillAddr: {
        Line1: 'Cra. 18 #79A - 42',
        Line2: 'Piso 3',
        City: 'Bogotá',
        CountrySubDivisionCode: 'Bogotá D.C.',
        PostalCode: '110911',
        Country: 'CO',
      },
      ShipAddr: {
        Line1: '1 Infinite Loop',
        City: 'Cupertino',
        CountrySubDivisionCode: 'CA',
        PostalCode: '95014',
        Country: 'US',
      },
      Notes: 'Key account',
      CurrencyRef: { value: 'COP' },
      PrimaryTaxIdentifier: '900373913-4',
      Active: true,
      PreferredDeliveryMethod: 'Email',
      Taxable: false,
    });
  });

  it('maps a person to GivenName/FamilyName with "First Last" as DisplayName', () => {
    const req = quickbooksAdapter.buildCreateRequest(
      parse({
        personType: 'person',
        name: { first: 'Marcos', last: 'Castillo' },
        identification: { type: 'CC', number: '1020304050' },
        email: 'marcos@example.com',
        phones: [{ kind: 'other', countryCode: '57', number: '3006003345' }],
        active: false,
      }),
      reqCtx('job-2'),
    );
    expect(req.body).toEqual({
      DisplayName: 'Marcos Castillo',
      GivenName: 'Marcos',
      FamilyName: 'Castillo',
      PrimaryEmailAddr: { Address: 'marcos@example.com' },
      AlternatePhone: { FreeFormNumber: '+57 300 6003345' },
      PrimaryTaxIdentifier: '1020304050',
      Active: false,
    });
    expect(req.url).toContain('requestid=job-2');
  });

  it('lets erpFields win (DisplayName included) but never Id/SyncToken/sparse, which would turn the create into an update', () => {
    const req = quickbooksAdapter.buildCreateRequest(
      parse({
        personType: 'company',
        name: { company: 'Acme' },
        erpFields: {
          DisplayName: 'Acme (CO)',
          Id: '77',
          SyncToken: '3',
          sparse: true,
          BillAddr: { Line1: 'X' },
        },
      }),
      reqCtx(),
    );
    expect(req.body).toEqual({
      DisplayName: 'Acme (CO)',
      CompanyName: 'Acme',
      Active: true,
      BillAddr: { Line1: 'X' },
    });
  });

  it('hashes a job id longer than the 50 characters Intuit allows for requestid, deterministically', () => {
    const long = 'x'.repeat(80);
    const a = new URL(
      quickbooksAdapter.buildCreateRequest(
        parse({ personType: 'company', name: { company: 'A' } }),
        reqCtx(long),
      ).url,
    );
    const b = new URL(
      quickbooksAdapter.buildCreateRequest(
        parse({ personType: 'company', name: { company: 'B' } }),
        reqCtx(long),
      ).url,
    );
    expect(a.searchParams.get('requestid')).toHaveLength(50);
    expect(a.searchParams.get('requestid')).toBe(b.searchParams.get('requestid'));
  });

  it('never puts a credential in the dry-run request', () => {
    const req = quickbooksAdapter.buildCreateRequest(
      parse({ personType: 'company', name: { company: 'A' } }),
      reqCtx(),
    );
    const text = JSON.stringify(req);
    for (const s of ['csecret', 'Bearer', 'Basic']) expect(text).not.toContain(s);
  });
});

describe('QuickBooks helpers', () => {
  it("escapes quotes in query literals as \\' and includes inactive customers", () => {
    expect(queryLiteral("King's Groceries")).toBe("'King\\'s Groceries'");
    expect(displayNameQuery("King's")).toBe(
      "select * from Customer where Active IN (true, false) AND DisplayName = 'King\\'s'",
    );
  });
});

describe('QuickBooks address from DANE codes (issue 11 §4)', () => {
  it('a Colombian address sent with codes only gets City and CountrySubDivisionCode names, not "11"', () => {
    const req = quickbooksAdapter.buildCreateRequest(
      customerSchema.parse({
        personType: 'company',
        name: { company: 'Stark Industries' },
        billingAddress: { lines: ['Cra. 18 #79A - 42'], cityCode: '11001', stateCode: '11', country: 'CO' },
      }),
      reqCtx(),
    );
    expect((req.body as { BillAddr: unknown }).BillAddr).toEqual({
      Line1: 'Cra. 18 #79A - 42',
      City: 'Bogotá, D.C.',
      CountrySubDivisionCode: 'Bogotá, D.C.',
      Country: 'CO',
    });
  });
});
