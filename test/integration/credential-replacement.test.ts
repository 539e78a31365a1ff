import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QuickBooksSimulator } from '../../local/simulators/quickbooks';
import { startQuickBooksSimulator } from '../../local/simulators/quickbooks';
import {
  SIIGO_DEMO_CREDENTIALS,
  type SiigoSimulator,
  startSiigoSimulator,
} from '../../local/simulators/siigo';
import { startErpHarness } from '../helpers/erp-harness';

/**
 * Issue 12 §2: credentials replaced under the same connection id never keep writing to the old company. The
 * workers read credentials through their cache (CREDENTIALS_CACHE_TTL_SECONDS, 300 s by default); the first
 * job after that period must authenticate with the new credentials, and a deleted connection's jobs fail
 * `connection_not_found` without any upstream call.
 */

const T = 'tenant-replace';
const CACHE_MS = 300_000;
const OTHER_COMPANY = {
  username: 'api@otra-empresa.co',
  accessKey: 'b3RyYS1lbXByZXNhLWFjY2Vzcy1rZXk=',
  company: 'otra-empresa',
  test: true,
};

let h: Awaited<ReturnType<typeof startErpHarness>>;
let siigo: SiigoSimulator;
let qbo: QuickBooksSimulator;

beforeAll(async () => {
  h = await startErpHarness({
    erps: ['siigo', 'quickbooks'],
    credentialsCacheMs: CACHE_MS,
    simulator: {
      siigo: async () => {
        siigo = await startSiigoSimulator(
          { port: 0 },
          { users: [OTHER_COMPANY], testRequestsPerMinute: 10_000 },
        );
        return siigo;
      },
      quickbooks: async () => {
        qbo = await startQuickBooksSimulator({ port: 0 });
        return qbo;
      },
    },
  });
});
afterAll(() => h?.close());

let n = 0;
const siigoCustomer = () => ({
  personType: 'company',
  name: { company: `Replaced ${++n}` },
  identification: { type: 'NIT', number: String(900_100_000 + n * 7919) },
  billingAddress: { lines: ['Cra. 18 #79A - 42'], cityCode: '11001', stateCode: '11', country: 'CO' },
});
const qboCustomer = () => ({
  personType: 'company',
  name: { company: `Replaced QBO ${++n}` },
  billingAddress: {
    lines: ['1 Main St'],
    city: 'Austin',
    stateCode: 'TX',
    postalCode: '78701',
    country: 'US',
  },
});

async function accept(erp: 'siigo' | 'quickbooks', body: unknown) {
  const r = await h.call(T, 'POST', '/v1/customers', {
    headers: { 'x-erp': erp, 'x-connection': `c-${erp}` },
    body,
  });
  expect(r.status, JSON.stringify(r.json)).toBe(202);
  return r.json.jobId as string;
}

const store = (erp: string, credentials: unknown) =>
  h.call(T, 'PUT', `/v1/connections/c-${erp}?verify=true`, {
    body: { erp, environment: 'sandbox', credentials },
  });

describe('replaced credentials (issue 12 §2)', () => {
  it('Siigo: after the credentials cache period the next job authenticates as the new API user, in the new company', async () => {
    expect((await store('siigo', SIIGO_DEMO_CREDENTIALS)).status).toBe(201);
    const first = await h.runToFinal('siigo', T, await accept('siigo', siigoCustomer()));
    expect(first.status).toBe('succeeded');
    expect(siigo.creatorOf(first.erpCustomerId as string)).toBe(SIIGO_DEMO_CREDENTIALS.username);

    const { company: _c, test: _t, ...credentials } = OTHER_COMPANY;
    expect((await store('siigo', credentials)).status).toBe(200);
    h.advance(CACHE_MS + 1_000);
    const second = await h.runToFinal('siigo', T, await accept('siigo', siigoCustomer()));
    expect(second.status).toBe('succeeded');
    expect(siigo.creatorOf(second.erpCustomerId as string)).toBe(OTHER_COMPANY.username);
  });

  it('QuickBooks: the access token of the old company (realm) is not used for the new one', async () => {
    const oldGrant = qbo.authorize();
    expect((await store('quickbooks', oldGrant)).status).toBe(201);
    const first = await h.runToFinal('quickbooks', T, await accept('quickbooks', qboCustomer()));
    expect(first.status).toBe('succeeded');
    expect(qbo.customers(oldGrant.realmId)).toHaveLength(1);

    const newGrant = qbo.authorize();
    expect((await store('quickbooks', newGrant)).status).toBe(200);
    h.advance(CACHE_MS + 1_000);
    const second = await h.runToFinal('quickbooks', T, await accept('quickbooks', qboCustomer()));
    expect(second.error?.upstream?.message ?? '').toBe('');
    expect(second.status).toBe('succeeded');
    expect(qbo.customers(newGrant.realmId)).toHaveLength(1);
    expect(qbo.customers(oldGrant.realmId)).toHaveLength(1);
  });

  it('deleted: after the same period its queued jobs fail connection_not_found, with no upstream call', async () => {
    const jobId = await accept('siigo', siigoCustomer());
    expect((await h.call(T, 'DELETE', '/v1/connections/c-siigo')).status).toBe(204);
    h.advance(CACHE_MS + 1_000);
    const before = h.calls('siigo');
    const done = await h.runToFinal('siigo', T, jobId);
    expect(done).toMatchObject({ status: 'failed', error: { code: 'connection_not_found' } });
    expect(h.calls('siigo')).toBe(before);
  });

  it('inline credentials Siigo refused are not sent to Siigo again (it blocks users past 80 % errors)', async () => {
    const wrong = {
      'x-erp': 'siigo',
      username: SIIGO_DEMO_CREDENTIALS.username,
      apikey: 'd3Jvbmcta2V5LWd1ZXNz',
    };
    const first = await h.call(T, 'POST', '/v1/customers', { headers: wrong, body: siigoCustomer() });
    expect(first.status).toBe(202);
    const done = await h.runToFinal('siigo', T, first.json.jobId);
    expect(done).toMatchObject({ status: 'failed', error: { code: 'auth_failed' } });
    expect(await h.connections.get(T, first.json.connectionId)).toBeUndefined();
    const before = h.calls('siigo');
    const again = await h.call(T, 'POST', '/v1/customers', { headers: wrong, body: siigoCustomer() });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('connection_needs_reauth');
    expect(h.calls('siigo')).toBe(before);
  });
});
