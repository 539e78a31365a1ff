import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ApiDeps } from '../../shared/api/deps';
import { customerSchemaFor, listErps } from '../../shared/api/erps';
import { errorResponse } from '../../shared/api/http';
import { openApiDocument, renderErrorTable, renderOpenApi, withErrorTable } from '../../shared/api/openapi';
import {
  customerSchemaResponse,
  ERROR_CODES,
  erpListSchema,
  errorEnvelopeSchema,
  jobSchema,
  webhookSettingsSchema,
} from '../../shared/api/openapi-schemas';
import { getAdapter, listAdapters } from '../../shared/erps/registry';
import { ApiError } from '../../shared/errors';
import { type Job, publicJob } from '../../shared/jobs/model';
import { publicSettings } from '../../shared/webhooks/settings';

type Operation = {
  operationId?: string;
  security?: unknown[];
  parameters?: { name: string; in: string; deprecated?: boolean }[];
  responses: Record<string, object>;
};
type Doc = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  webhooks: Record<string, unknown>;
  components: { schemas: Record<string, unknown> };
};
const doc = openApiDocument() as Doc;

describe('openapi.json', () => {
  it('the committed file is what the schemas generate (run `npm run openapi` after changing a schema)', () => {
    const committed = fs.readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8');
    expect(committed).toBe(renderOpenApi());
  });

  it('is OpenAPI 3.1 and every $ref resolves', () => {
    expect(doc.openapi).toBe('3.1.0');
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(
      (m) => m[1],
    );
    expect(refs.length).toBeGreaterThan(10);
    for (const r of refs) expect(doc.components.schemas, r).toHaveProperty(r as string);
  });

  it('has every route of DESIGN.md and the webhook routes', () => {
    const routes = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(routes.sort()).toEqual(
      [
        'POST /v1/customers',
        'POST /v1/customers/dry-run',
        'GET /v1/jobs',
        'GET /v1/jobs/{jobId}',
        'POST /v1/jobs/{jobId}/retry',
        'PUT /v1/connections/{connectionId}',
        'GET /v1/connections',
        'GET /v1/connections/{connectionId}',
        'DELETE /v1/connections/{connectionId}',
        'GET /v1/erps',
        'GET /v1/erps/{erp}/customer-schema',
        'GET /openapi.json',
        'GET /health',
        'GET /docs',
        'PUT /v1/webhook',
        'GET /v1/webhook',
        'DELETE /v1/webhook',
        'POST /v1/webhook/secret',
        'POST /v1/connect-sessions',
        'GET /v1/connect-sessions/{sessionId}',
      ].sort(),
    );
    expect(Object.keys(doc.webhooks).sort()).toEqual(['connectionEvent', 'jobFinished']);
  });

  it('documents every header of POST /v1/customers and the dry_run query', () => {
    const params = doc.paths['/v1/customers']?.post?.parameters ?? [];
    expect(params.map((p) => `${p.in}:${p.name.toLowerCase()}`).sort()).toEqual(
      [
        'header:x-erp',
        'header:x-connection',
        'header:username',
        'header:apikey',
        'header:x-testing',
        'header:idempotency-key',
        'header:x-callback-url',
        'query:dry_run',
      ].sort(),
    );
  });

  it('every operation has the stable operationId generators name their methods after', () => {
    const ids = Object.fromEntries(
      Object.entries(doc.paths).flatMap(([p, ops]) =>
        Object.entries(ops).map(([m, o]) => [`${m.toUpperCase()} ${p}`, o.operationId]),
      ),
    );
    expect(ids).toEqual({
      'GET /health': 'getHealth',
      'GET /openapi.json': 'getOpenApiDocument',
      'GET /docs': 'getDocsPage',
      'POST /v1/customers': 'createCustomer',
      'POST /v1/customers/dry-run': 'dryRunCustomer',
      'GET /v1/jobs': 'listJobs',
      'GET /v1/jobs/{jobId}': 'getJob',
      'POST /v1/jobs/{jobId}/retry': 'retryJob',
      'PUT /v1/connections/{connectionId}': 'putConnection',
      'GET /v1/connections': 'listConnections',
      'GET /v1/connections/{connectionId}': 'getConnection',
      'DELETE /v1/connections/{connectionId}': 'deleteConnection',
      'GET /v1/erps': 'listErps',
      'GET /v1/erps/{erp}/customer-schema': 'getCustomerSchema',
      'PUT /v1/webhook': 'putWebhook',
      'GET /v1/webhook': 'getWebhook',
      'DELETE /v1/webhook': 'deleteWebhook',
      'POST /v1/webhook/secret': 'rotateWebhookSecret',
      'POST /v1/connect-sessions': 'createConnectSession',
      'GET /v1/connect-sessions/{sessionId}': 'getConnectSession',
    });
  });

  it('public routes say security: [] (no API key); every other route needs the tenant key', () => {
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [m, o] of Object.entries(ops)) {
        const isPublic = ['/health', '/openapi.json', '/docs'].includes(p);
        expect(o.security, `${m} ${p}`).toEqual(isPublic ? [] : [{ tenantKey: [] }]);
        expect(
          Object.keys(o.responses).some((s) => s.startsWith('4')),
          `${m} ${p} lists a 4xx`,
        ).toBe(true);
      }
    }
  });

  it('createCustomer and dryRunCustomer each have one success shape (a generated client needs no type guard)', () => {
    const success = (o: Operation | undefined) =>
      Object.keys(o?.responses ?? {}).filter((s) => s.startsWith('2'));
    expect(success(doc.paths['/v1/customers']?.post)).toEqual(['202']);
    expect(success(doc.paths['/v1/customers/dry-run']?.post)).toEqual(['200']);
    const dryRunQuery = doc.paths['/v1/customers']?.post?.parameters?.find((p) => p.name === 'dry_run');
    expect(dryRunQuery?.deprecated).toBe(true);
  });

  it("README's Errors table is generated from the one error list (run `npm run openapi` after adding a code)", () => {
    const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toBe(withErrorTable(readme));
    for (const code of ['connection_erp_mismatch', 'job_changed', 'ambiguous_credentials']) {
      expect(renderErrorTable()).toContain(`\`${code}\``);
    }
  });

  it("lists every error code of the README's Errors table, under its status", () => {
    const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const table = readme.slice(readme.indexOf('### Errors'), readme.indexOf('### Job states'));
    const rows = [...table.matchAll(/^\| (\d{3}) \| ([^|]+) \|/gm)];
    expect(rows.length).toBeGreaterThan(8);
    const text = JSON.stringify(doc.paths['/v1/customers']);
    for (const [, status, codes] of rows) {
      for (const [, code] of (codes as string).matchAll(/`([a-z_]+)`/g)) {
        expect(ERROR_CODES).toContain(code);
        const response = JSON.stringify(
          Object.values(doc.paths).flatMap((ops) =>
            Object.values(ops).map((o) => (o.responses as never)[status as string]),
          ),
        );
        expect(response, `${status} ${code}`).toContain(`\`${code}\``);
      }
    }
    expect(text).toContain('validation_failed');
  });

  it('the unified customer schema is the one the handlers parse with (examples validate)', () => {
    const body = JSON.stringify(doc.paths['/v1/customers']?.post);
    expect(body).toContain('"#/components/schemas/UnifiedCustomer"');
    const customer = doc.components.schemas.UnifiedCustomer as { properties: Record<string, unknown> };
    expect(Object.keys(customer.properties)).toContain('erpFields');
    expect(JSON.stringify(customer)).toContain('"additionalProperties":false');
  });
});

describe('response schemas match what the handlers return', () => {
  const job: Job = {
    jobId: '0b4c3f2e-8a1d-4e6f-9b7a-2c5d8e1f3a64',
    tenantId: 't',
    erp: 'siigo',
    connectionId: 'c',
    environment: 'sandbox',
    status: 'failed',
    customer: {} as Job['customer'],
    requestHash: 'h',
    idempotencyKey: 'k',
    callbackUrl: 'https://hooks.example.com/x',
    source: 'api',
    attempts: 2,
    maxAttempts: 8,
    error: {
      code: 'upstream_rejected',
      message: 'm',
      retryable: false,
      details: [{ pointer: '/email', code: 'invalid', message: 'bad' }],
      upstream: { erp: 'siigo', status: 400, code: 'invalid', message: 'bad' },
    },
    history: [{ at: 'now', event: 'failed', status: 'failed', attempt: 2, outcome: 'invalid', delayMs: 1 }],
    createdAt: 'a',
    updatedAt: 'b',
    nextAttemptAt: 'c',
    leaseToken: 'secret-ish',
  };

  it('Job (strict: a new field in publicJob fails here until the schema documents it)', () => {
    expect(jobSchema.safeParse(JSON.parse(JSON.stringify(publicJob(job)))).error).toBeUndefined();
  });

  it('ErrorEnvelope', () => {
    const err = new ApiError(422, 'validation_failed', 'x', {
      details: [{ pointer: '/a', code: 'required', message: 'm' }],
      upstream: { erp: 'siigo', message: 'm' },
    });
    expect(errorEnvelopeSchema.safeParse(JSON.parse(errorResponse(err, 'r').body)).error).toBeUndefined();
  });

  it('ErpList and CustomerSchemaForErp, for every registered ERP', () => {
    const deps = { adapters: { get: getAdapter, list: listAdapters } } as unknown as ApiDeps;
    expect(erpListSchema.safeParse(JSON.parse(listErps(deps).body)).error).toBeUndefined();
    for (const a of listAdapters()) {
      const body = JSON.parse(customerSchemaFor(a.id, deps).body);
      expect(customerSchemaResponse.safeParse(body).error, a.id).toBeUndefined();
    }
  });

  it('WebhookSettings, with and without the secret', () => {
    const s = { tenantId: 't', secret: 'whsec_x', createdAt: 'a', updatedAt: 'b', secretCreatedAt: 'c' };
    expect(webhookSettingsSchema.safeParse(publicSettings(s, { withSecret: true })).error).toBeUndefined();
    expect(publicSettings(s, { withSecret: false })).not.toHaveProperty('secret');
  });
});
