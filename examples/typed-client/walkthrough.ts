/**
 * The README walk-through with a client generated from openapi.json (openapi-typescript + openapi-fetch):
 *
 *   npx openapi-typescript openapi.json -o examples/typed-client/erp-bridge.d.ts --default-non-nullable false
 *   npx tsx examples/typed-client/walkthrough.ts
 *
 * Against `npm start` by default; ERP_BRIDGE_URL and ERP_BRIDGE_API_KEY point it elsewhere. Prints one JSON
 * line with what it saw. test/e2e/typed-client.test.ts generates the types, type-checks this file and runs it.
 */
import fs from 'node:fs';
import createClient from 'openapi-fetch';
import type { components, paths } from './erp-bridge';

type Customer = components['schemas']['UnifiedCustomer'];

const baseUrl = process.env.ERP_BRIDGE_URL ?? 'http://127.0.0.1:3000';
const apiKey = process.env.ERP_BRIDGE_API_KEY ?? fs.readFileSync('.data/local-api-key', 'utf8').trim();
const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${apiKey}` } });

function fail(step: string, error: unknown): never {
  throw new Error(`${step}: ${JSON.stringify(error)}`);
}

// 1. Store a connection of our own (putConnection); ?verify=true proves the credentials upstream first.
const stored = await client.PUT('/v1/connections/{connectionId}', {
  params: { path: { connectionId: 'typed-client-siigo' }, query: { verify: 'true' } },
  body: {
    erp: 'siigo',
    environment: 'sandbox',
    credentials: { username: 'sandbox@siigoapi.com', accessKey: 'c2lpZ28tZGVtby1rZXk=' },
  },
});
if (!stored.data) fail('putConnection', stored.error);

// `type` has a default in the schema: with --default-non-nullable false it stays optional in request bodies.
const nit = String(900_000_000 + Math.floor(Math.random() * 99_999_999));
const customer: Customer = {
  personType: 'company',
  name: { company: 'Typed Client Industries' },
  identification: { type: 'NIT', number: nit },
  email: 'billing@typed-client.co',
  billingAddress: { lines: ['Cra. 18 #79A - 42'], cityCode: '11001', stateCode: '11', country: 'CO' },
  phones: [{ number: '3006003345' }],
};
const connection = { 'x-erp': 'siigo', 'x-connection': 'typed-client-siigo' };

// 2. Preview the native request (dryRunCustomer): one success shape, read without a type guard.
const preview = await client.POST('/v1/customers/dry-run', {
  params: { header: connection },
  body: customer,
});
if (!preview.data) fail('dryRunCustomer', preview.error);
const previewUrl: string = preview.data.request.url;
// @ts-expect-error a dry run queues nothing, so its answer has no jobId
preview.data.jobId;

// 3. Create it (createCustomer): the 202's jobId, again without a type guard.
const accepted = await client.POST('/v1/customers', {
  params: { header: { ...connection, 'Idempotency-Key': `typed-client-${nit}` } },
  body: customer,
});
if (!accepted.data) fail('createCustomer', accepted.error);
const jobId: string = accepted.data.jobId;
// @ts-expect-error the queued answer is not a dry run
accepted.data.request;

// 4. Poll the job (getJob) until it is final.
const deadline = Date.now() + 60_000;
let job = (await client.GET('/v1/jobs/{jobId}', { params: { path: { jobId } } })).data;
while (job && !['succeeded', 'failed', 'dead_lettered'].includes(job.status) && Date.now() < deadline) {
  await new Promise((r) => setTimeout(r, 300));
  job = (await client.GET('/v1/jobs/{jobId}', { params: { path: { jobId } } })).data;
}
if (!job) fail('getJob', 'no job');

// 5. The ERPs (listErps) and 6. the customer schema with Siigo's rules folded in (getCustomerSchema).
const erps = await client.GET('/v1/erps');
if (!erps.data) fail('listErps', erps.error);
const schema = await client.GET('/v1/erps/{erp}/customer-schema', { params: { path: { erp: 'siigo' } } });
if (!schema.data) fail('getCustomerSchema', schema.error);

// Errors are typed too: an unknown job is the ErrorEnvelope.
const missing = await client.GET('/v1/jobs/{jobId}', {
  params: { path: { jobId: '00000000-0000-4000-8000-000000000000' } },
});
const missingCode: string | undefined = missing.error?.error.code;

console.log(
  JSON.stringify({
    connection: stored.data.connectionId,
    verified: stored.data.verified,
    previewUrl,
    jobId,
    status: job.status,
    erpCustomerId: job.erpCustomerId,
    erps: erps.data.items.map((e) => e.erp),
    schemaErp: schema.data.erp,
    missingCode,
  }),
);
