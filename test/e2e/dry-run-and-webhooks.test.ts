import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { customerSchema } from '../../shared/customer/schema';
import { resolveEndpoint } from '../../shared/erps/endpoints';
import { getAdapter } from '../../shared/erps/registry';
import type { ErpId } from '../../shared/erps/types';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from '../../shared/webhooks/signature';
import { capture, registerSecrets } from '../helpers/leak-guard';
import { tempDir } from '../helpers/temp';

/** The README's one-call bodies, one per ERP. */
const BODIES: Record<ErpId, Record<string, unknown>> = {
  siigo: {
    personType: 'company',
    name: { company: 'Stark Industries' },
    identification: { type: 'NIT', number: '900373913' },
    email: 'billing@stark.co',
    billingAddress: { lines: ['Cra. 18 #79A - 42'], cityCode: '11001', stateCode: '11', country: 'CO' },
    phones: [{ number: '3006003345' }],
  },
  alegra: {
    personType: 'person',
    name: { first: 'Marcos', last: 'Castillo' },
    identification: { type: 'CC', number: '13832081' },
    email: 'marcos@example.co',
    billingAddress: { lines: ['Calle 10 # 5-51'], city: 'Medellín', country: 'CO' },
  },
  quickbooks: {
    personType: 'company',
    name: { company: 'Stark Industries US' },
    email: 'billing@stark.co',
    billingAddress: {
      lines: ['10880 Malibu Point'],
      city: 'Malibu',
      stateCode: 'CA',
      postalCode: '90265',
      country: 'US',
    },
  },
  netsuite: {
    personType: 'person',
    name: { first: 'Marcos', last: 'Castillo' },
    externalId: 'CRM-000124',
    email: 'marcos@example.com',
    billingAddress: { lines: ['Cra. 18 #79A - 42'], city: 'Bogotá', country: 'CO' },
  },
  chargeover: {
    personType: 'company',
    name: { company: 'Stark Industries' },
    externalId: 'CRM-000123',
    email: 'billing@stark.co',
    billingAddress: { lines: ['Cra. 18 #79A - 42'], country: 'CO' },
  },
  next: {
    personType: 'company',
    name: { company: 'Nordbygg AS' },
    externalId: 'CRM-000125',
    email: 'post@nordbygg.no',
    billingAddress: { lines: ['Storgata 1'], city: 'Oslo', postalCode: '0155', country: 'NO' },
    erpFields: { customertypeid: 1 },
  },
  sage: {
    personType: 'company',
    name: { company: 'Karoo Supplies (Pty) Ltd' },
    externalId: 'CRM-000126',
    email: 'accounts@karoo.co.za',
    billingAddress: { lines: ['1 Main Road'], city: 'Graaff-Reinet', postalCode: '6280', country: 'ZA' },
  },
};

/** Account identifiers that are part of the ERP's URL by design (QuickBooks realm, NetSuite account, …). */
const IDENTIFIERS = new Set([
  'realmId',
  'accountId',
  'companyId',
  'regionHost',
  'instance',
  'databaseNo',
  'subsidiaryId',
]);
const secretsOf = (credentials: unknown) =>
  Object.entries(credentials as Record<string, unknown>)
    .filter(([k, v]) => !IDENTIFIERS.has(k) && typeof v === 'string' && v.length >= 6)
    .map(([, v]) => v as string);

let stack: LocalStack;
beforeAll(async () => {
  const dataDir = tempDir('dryrun-');
  stack = await startLocalStack({ dataDir, apiPort: 0, dynamoPort: 0, sqsPort: 0, randomPorts: true });
  registerSecrets(stack.apiKey);
}, 60_000);
afterAll(() => stack?.stop());

async function call(method: string, p: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.url}${p}`, {
    method,
    headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  capture('response', text);
  return { status: res.status, text, json: text ? JSON.parse(text) : undefined };
}

describe('POST /v1/customers?dry_run=true, per ERP, on the local stack', () => {
  it.each(Object.keys(BODIES) as ErpId[])(
    '%s: the exact request buildCreateRequest gives, no credential',
    async (erp) => {
      const adapter = getAdapter(erp);
      const stored = await stack.connections.get(stack.tenantId, `demo-${erp}`);
      if (!adapter || !stored) throw new Error(`no adapter or demo connection for ${erp}`);
      const secrets = secretsOf(stored.credentials);
      expect(secrets.length).toBeGreaterThan(0);
      registerSecrets(secrets);
      const res = await call('POST', '/v1/customers?dry_run=true', BODIES[erp], {
        'x-erp': erp,
        'x-connection': `demo-${erp}`,
      });
      expect(res.status, res.text).toBe(200);
      const expected = adapter.buildCreateRequest(customerSchema.parse(BODIES[erp]), {
        jobId: '00000000-0000-4000-8000-000000000000',
        endpoint: (name) => resolveEndpoint(adapter, name, stored.environment, process.env),
        connection: {
          environment: stored.environment,
          credentials: adapter.credentialsSchema.parse(stored.credentials),
          tenantId: stack.tenantId,
          connectionId: `demo-${erp}`,
        },
      });
      expect(res.json.request).toEqual(JSON.parse(JSON.stringify(expected)));
      expect(res.json.warnings).toEqual(adapter.warnings?.(customerSchema.parse(BODIES[erp])) ?? []);
      expect(res.json.request.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
      for (const v of secrets) expect(res.text).not.toContain(v);
      // Nothing was queued: the tenant has no job for this body.
      const jobs = await call('GET', `/v1/jobs?erp=${erp}`, undefined);
      expect(jobs.json.items).toEqual([]);
    },
  );
});

describe('warnings on the local stack (issue 11 §4)', () => {
  it('Siigo has no website field: the dry run and the 202 say so, the job keeps it', async () => {
    const body = { ...BODIES.siigo, website: 'https://stark.example' };
    const h = { 'x-erp': 'siigo', 'x-connection': 'demo-siigo' };
    const dry = await call('POST', '/v1/customers?dry_run=true', body, h);
    const expected = [{ pointer: '/website', code: 'not_supported_by_erp', message: expect.any(String) }];
    expect(dry.json.warnings).toEqual(expected);
    const created = await call('POST', '/v1/customers', body, h);
    expect(created.status).toBe(202);
    expect(created.json.warnings).toEqual(expected);
    expect((await call('GET', `/v1/jobs/${created.json.jobId}`, undefined)).json.warnings).toEqual(expected);
  });
});

describe('webhooks on the local stack', () => {
  it('a job with x-callback-url to loopback gets its signed final state, through the webhooks queue', async () => {
    const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
    const server = http.createServer(async (req, res) => {
      let body = '';
      for await (const c of req) body += c;
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const put = await call('PUT', '/v1/webhook', {});
      expect(put.status).toBe(201);
      const secret = put.json.secret as string;
      const created = await call('POST', '/v1/customers', BODIES.siigo, {
        'x-erp': 'siigo',
        'x-connection': 'demo-siigo',
        'x-callback-url': url,
      });
      expect(created.status).toBe(202);
      // Siigo's sandbox is paced at 10 a minute and this job queues behind the file's earlier ones.
      const end = Date.now() + 60_000;
      while (received.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
      expect(received).toHaveLength(1);
      const got = received[0] as { headers: http.IncomingHttpHeaders; body: string };
      expect(JSON.parse(got.body)).toMatchObject({ jobId: created.json.jobId, status: 'succeeded' });
      const ts = got.headers[TIMESTAMP_HEADER] as string;
      const sig = got.headers[SIGNATURE_HEADER] as string;
      expect(
        verifySignature(secret, { timestamp: ts, signature: sig }, got.body, {
          nowSeconds: Date.now() / 1000,
        }),
      ).toBe(true);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  }, 90_000);
});
