import { describe, expect, it } from 'vitest';
import { customerSchema, type UnifiedCustomerInput } from '../../shared/customer/schema';
import { pointerForNativePath as pointerForErrorPath } from '../../shared/erps/native-fields';
import { netsuiteAdapter } from '../../shared/erps/netsuite';
import type { NetSuiteCredentials } from '../../shared/erps/netsuite/credentials';
import { toNetSuiteCustomer } from '../../shared/erps/netsuite/mapper';
import type { RequestContext } from '../../shared/erps/types';

const credentials: NetSuiteCredentials = {
  accountId: '1234567_SB1',
  consumerKey: 'ck-unit-0000000000',
  consumerSecret: 'cs-unit-0000000000',
  tokenId: 'ti-unit-0000000000',
  tokenSecret: 'ts-unit-0000000000',
  subsidiaryId: '1',
};

const ctx = (
  jobId = 'job-1',
  creds: NetSuiteCredentials = credentials,
): RequestContext<NetSuiteCredentials> => ({
  jobId,
  endpoint: () => 'https://{accountId}.suitetalk.api.netsuite.com',
  connection: { environment: 'sandbox', credentials: creds, tenantId: 't1', connectionId: 'c1' },
});

const parse = (c: UnifiedCustomerInput) => customerSchema.parse(c);

const company = parse({
  personType: 'company',
  name: { company: 'Stark Industries' },
  commercialName: 'Stark',
  identification: { type: 'NIT', number: '900373913' },
  email: 'billing@stark.co',
  phones: [
    { kind: 'primary', countryCode: '57', number: '3006003345', extension: '132' },
    { kind: 'mobile', number: '3001234567' },
    { kind: 'primary', number: '6011111111' },
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
  shippingAddress: { lines: ['Calle 100 #7-33'], city: 'Bogotá', stateCode: '11', country: 'CO' },
  notes: 'Key account',
  externalId: 'CRM-000123',
  erpFields: { entityId: 'STARK', custentity_segment: 'enterprise', subsidiary: { id: '3' } },
});

const person = parse({
  personType: 'person',
  name: { first: 'Marcos', last: 'Castillo' },
  email: 'marcos@example.com',
  phones: [{ kind: 'fax', number: '6012345678' }],
  billingAddress: { lines: ['Cra. 18 #79A - 42'], city: 'Bogotá', postalCode: '110911', country: 'CO' },
  active: false,
});

describe('NetSuite create request', () => {
  it('maps a company to the exact upsert request', () => {
    expect(netsuiteAdapter.buildCreateRequest(company, ctx())).toEqual({
      method: 'PUT',
      url: 'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/customer/eid:CRM-000123',
      headers: { 'Content-Type': 'application/json', 'X-NetSuite-PropertyNameValidation': 'Error' },
      body: {
        externalId: 'CRM-000123',
        isPerson: false,
        companyName: 'Stark Industries',
        email: 'billing@stark.co',
        phone: '+57 300 6003345 ext. 132',
        mobilePhone: '+57 300 1234567',
        url: 'https://stark.co',
        comments: 'Key account',
        isInactive: false,
        // erpFields win over the connection's default subsidiary.
        subsidiary: { id: '3' },
        entityId: 'STARK',
        custentity_segment: 'enterprise',
        addressBook: {
          items: [
            {
              defaultBilling: true,
              defaultShipping: false,
              label: 'Billing',
              addressBookAddress: {
                addressee: 'Stark Industries',
                addr1: 'Cra. 18 #79A - 42',
                addr2: 'Piso 3',
                city: 'Bogotá',
                state: 'Bogotá D.C.',
                zip: '110911',
                country: { id: 'CO' },
              },
            },
            {
              defaultBilling: false,
              defaultShipping: true,
              label: 'Shipping',
              addressBookAddress: {
                addressee: 'Stark Industries',
                addr1: 'Calle 100 #7-33',
                city: 'Bogotá',
                // The DANE code is not a state name (issue 11 §4): the department's name goes.
                state: 'Bogotá, D.C.',
                country: { id: 'CO' },
              },
            },
          ],
        },
      },
    });
  });

  it('maps a person, deriving the external id from the job when the customer has none', () => {
    const req = netsuiteAdapter.buildCreateRequest(person, ctx('7f0c2a8e-1b2c-4d5e-8f90-a1b2c3d4e5f6'));
    expect(req.url).toBe(
      'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/customer/eid:erpb-7f0c2a8e-1b2c-4d5e-8f90-a1b2c3d4e5f6',
    );
    expect(req.body).toEqual({
      externalId: 'erpb-7f0c2a8e-1b2c-4d5e-8f90-a1b2c3d4e5f6',
      isPerson: true,
      firstName: 'Marcos',
      lastName: 'Castillo',
      email: 'marcos@example.com',
      fax: '+57 601 2345678',
      isInactive: true,
      subsidiary: { id: '1' },
      addressBook: {
        items: [
          {
            defaultBilling: true,
            defaultShipping: true,
            label: 'Main',
            addressBookAddress: {
              addressee: 'Marcos Castillo',
              addr1: 'Cra. 18 #79A - 42',
              city: 'Bogotá',
              zip: '110911',
              country: { id: 'CO' },
            },
          },
        ],
      },
    });
  });

  it('keeps the same upsert key for every attempt of one job, and a different one for another job', () => {
    const a = netsuiteAdapter.buildCreateRequest(person, ctx('job-a'));
    expect(netsuiteAdapter.buildCreateRequest(person, ctx('job-a'))).toEqual(a);
    expect(netsuiteAdapter.buildCreateRequest(person, ctx('job-b')).url).not.toBe(a.url);
  });

  it('never lets erpFields replace the upsert key', () => {
    const c = { ...person, externalId: 'K-1', erpFields: { externalId: 'other' } };
    const req = netsuiteAdapter.buildCreateRequest(c, ctx());
    expect((req.body as { externalId: string }).externalId).toBe('K-1');
    expect(req.url.endsWith('/eid:K-1')).toBe(true);
  });

  it('omits the subsidiary when neither the connection nor erpFields give one', () => {
    const { subsidiaryId: _, ...noSubsidiary } = credentials;
    const req = netsuiteAdapter.buildCreateRequest(person, ctx('j', noSubsidiary));
    expect(req.body).not.toHaveProperty('subsidiary');
  });

  it('puts the account host form in the URL, and never a secret in the request', () => {
    const req = netsuiteAdapter.buildCreateRequest(company, ctx());
    expect(new URL(req.url).host).toBe('1234567-sb1.suitetalk.api.netsuite.com');
    const text = JSON.stringify(req);
    for (const s of [
      credentials.consumerSecret,
      credentials.tokenSecret,
      credentials.consumerKey,
      credentials.tokenId,
    ]) {
      expect(text).not.toContain(s);
    }
    expect(Object.keys(req.headers).map((h) => h.toLowerCase())).not.toContain('authorization');
  });
});

describe('NetSuite errorPath → unified pointer', () => {
  const { pointers } = toNetSuiteCustomer(company, { externalId: 'CRM-000123' });
  it.each([
    ['companyName', '/name/company'],
    ['phone', '/phones/0'],
    ['mobilePhone', '/phones/1'],
    ['addressBook.items[0].addressBookAddress.zip', '/billingAddress/postalCode'],
    ['addressBook.items[0].addressBookAddress.addr2', '/billingAddress/lines/1'],
    ['addressBook.items[1].addressBookAddress.state', '/shippingAddress/stateCode'],
    ['addressBook.items[1].addressBookAddress.country.id', '/shippingAddress/country'],
    ['custentity_segment', '/erpFields/custentity_segment'],
    ['subsidiary.id', '/erpFields/subsidiary'],
    ['externalId', '/externalId'],
  ])('%s → %s', (path, pointer) => {
    expect(pointerForErrorPath(pointers, path)).toBe(pointer);
  });
  it('gives no pointer for fields the unified body does not have', () => {
    expect(pointerForErrorPath(pointers, 'terms')).toBeUndefined();
  });
  it('points at erpFields when the caller replaced a whole sublist', () => {
    const c = { ...person, erpFields: { addressBook: { items: [] } } };
    const m = toNetSuiteCustomer(c, { externalId: 'x' });
    expect(pointerForErrorPath(m.pointers, 'addressBook.items[0].addressBookAddress.city')).toBe(
      '/erpFields/addressBook',
    );
  });
});
