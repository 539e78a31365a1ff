import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import { MAX_WAIT_SECONDS, waitQueryValue } from '../answers/prefer';
import { batchBodySchema } from '../batches/model';
import { createSessionBody } from '../connect/session-body';
import { customerSchema } from '../customer/schema';
import { ERP_IDS } from '../erps/types';
import { jobMessageSchema } from '../queue/message';
import { putWebhookBody } from '../webhooks/settings';
import {
  EVENT_ID_HEADER,
  EVENT_TYPE_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
} from '../webhooks/signature';
import { batchPageQuery } from './batches';
import { putBody as putConnectionBody } from './connections';
import { jobIdSchema, listJobsQuery } from './jobs';
import {
  acceptedSchema,
  batchAcceptedSchema,
  batchDryRunSchema,
  batchFinishedSchema,
  batchSchema,
  connectionEventSchema,
  connectionMetadataSchema,
  connectionOptionsSchema,
  connectSessionCreatedSchema,
  connectSessionSchema,
  customerSchemaResponse,
  dryRunSchema,
  ERROR_STATUSES,
  erpListSchema,
  errorEnvelopeSchema,
  gatewayErrorSchema,
  jobListSchema,
  jobSchema,
  webhookSettingsSchema,
} from './openapi-schemas';
import { optionsQuery } from './options';

/** Examples from DESIGN.md §1 and the README walk-through. */
const STARK = {
  personType: 'company',
  name: { company: 'Stark Industries' },
  identification: { type: 'NIT', number: '900373913' },
  email: 'billing@stark.co',
  billingAddress: { lines: ['Cra. 18 #79A - 42'], cityCode: '11001', stateCode: '11', country: 'CO' },
  phones: [{ number: '3006003345' }],
};
const FULL_CUSTOMER = {
  type: 'customer',
  personType: 'company',
  name: { company: 'Stark Industries' },
  commercialName: 'Stark',
  identification: { type: 'NIT', number: '900373913', checkDigit: '4', country: 'CO' },
  email: 'billing@stark.co',
  phones: [{ kind: 'primary', countryCode: '57', number: '3006003345', extension: '132' }],
  website: 'https://stark.co',
  billingAddress: {
    lines: ['Cra. 18 #79A - 42'],
    city: 'Bogotá',
    cityCode: '11001',
    state: 'Bogotá D.C.',
    stateCode: '11',
    postalCode: '110911',
    country: 'CO',
  },
  contacts: [
    {
      firstName: 'Marcos',
      lastName: 'Castillo',
      email: 'marcos@stark.co',
      phone: { countryCode: '57', number: '3006003345' },
    },
  ],
  currency: 'COP',
  language: 'es',
  tax: { vatResponsible: false, fiscalResponsibilities: ['R-99-PN'], exempt: false },
  notes: 'Key account',
  active: true,
  externalId: 'CRM-000123',
  branchOffice: 0,
  erpFields: {},
};
const PERSON = {
  personType: 'person',
  name: { first: 'Marcos', last: 'Castillo' },
  identification: { type: 'CC', number: '13832081' },
  email: 'marcos@example.co',
  billingAddress: { lines: ['Calle 10 # 5-51'], city: 'Medellín', country: 'CO' },
};
const JOB_ID = '0b4c3f2e-8a1d-4e6f-9b7a-2c5d8e1f3a64';
const WARNINGS = [
  {
    pointer: '/website',
    code: 'not_supported_by_erp',
    message: 'Siigo has no website field; it is not sent',
  },
];
const ACCEPTED = {
  jobId: JOB_ID,
  status: 'queued',
  erp: 'siigo',
  connectionId: 'demo-siigo',
  environment: 'sandbox',
  warnings: WARNINGS,
  links: { self: `/v1/jobs/${JOB_ID}` },
};
const SUCCEEDED_JOB = {
  ...ACCEPTED,
  status: 'succeeded',
  erpCustomerId: '6b6ceb28-9b1e-4b7e-8f5e-2a3c4d5e6f70',
  attempts: 1,
  maxAttempts: 8,
  history: [
    { at: '2025-01-01T12:00:00.000Z', event: 'accepted', status: 'queued', actor: 'api' },
    { at: '2025-01-01T12:00:00.200Z', event: 'claimed', status: 'in_progress', attempt: 1, actor: 'worker' },
    { at: '2025-01-01T12:00:00.900Z', event: 'created', status: 'succeeded', attempt: 1, outcome: 'created' },
  ],
  createdAt: '2025-01-01T12:00:00.000Z',
  updatedAt: '2025-01-01T12:00:00.900Z',
};
const VALIDATION_ERROR = {
  error: {
    code: 'validation_failed',
    message: "the customer does not meet Siigo Nube's requirements",
    requestId: 'c0a8012e-6f1d-4a2b-9c3d-4e5f6a7b8c9d',
    retryable: false,
    details: [
      { pointer: '/billingAddress/cityCode', code: 'required', message: 'Siigo needs the DANE city code' },
    ],
  },
};

function errorResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => {
      const s = ERROR_STATUSES[status] as { codes: string[]; when: string };
      const code = s.codes[0] as string;
      const example =
        code === 'validation_failed'
          ? VALIDATION_ERROR
          : {
              error: {
                code,
                message: s.when,
                requestId: 'c0a8012e-6f1d-4a2b-9c3d-4e5f6a7b8c9d',
                retryable: status === 429 || status >= 500,
              },
            };
      return [
        String(status),
        {
          description: `${s.codes.map((c) => `\`${c}\``).join(', ')}: ${s.when}`,
          ...(status === 429 || status === 503
            ? { headers: z.object({ 'retry-after': z.string().meta({ description: 'seconds' }) }) }
            : {}),
          content: { 'application/json': { schema: errorEnvelopeSchema, example } },
        },
      ];
    }),
  );
}

const jsonContent = (schema: z.ZodType, example?: unknown) => ({
  'application/json': { schema, ...(example === undefined ? {} : { example }) },
});

const AUTH = [{ tenantKey: [] }];
/** Public routes: no credentials (an empty requirement list, so generators send no Authorization header). */
const PUBLIC: { [name: string]: string[] }[] = [];
/** Every authenticated route: a bad query string (400), no tenant (401), throttled, our fault. */
const COMMON = [400, 401, 429, 500] as const;

/** Public routes meet only API Gateway's stage throttle (every route shares it) before our function runs. */
const GATEWAY_THROTTLED = {
  429: {
    description: "API Gateway's stage throttle (requests per second across the API); retry with backoff",
    content: jsonContent(gatewayErrorSchema, { message: 'Too Many Requests' }),
  },
};

const connectionHeaders = z.object({
  'x-erp': z
    .string()
    .meta({ description: `target ERP, case-insensitive: ${ERP_IDS.join(', ')}`, example: 'siigo' }),
  'x-connection': z.string().optional().meta({
    description: 'a stored connection of the tenant (or send username + apikey)',
    example: 'demo-siigo',
  }),
  username: z.string().optional().meta({ description: 'inline credentials (Siigo, Alegra), with apikey' }),
  apikey: z.string().optional().meta({ description: 'inline credentials (Siigo, Alegra), with username' }),
  'x-testing': z.enum(['true', 'false']).optional().meta({
    description: 'true sandbox / false production; a contradicting connection is 409 environment_conflict',
  }),
});
const preferHeader = z.object({
  Prefer: z
    .string()
    .optional()
    .meta({
      description:
        `RFC 7240. \`wait=<seconds>\` (capped at ${MAX_WAIT_SECONDS}): answer when the job is final — 201 succeeded, 200 ` +
        'failed or dead_lettered — or with the usual 202 when the time runs out; `respond-async`: 202 at once (the ' +
        'default). Preference-Applied says what was honoured.',
      example: 'wait=20',
    }),
});
const waitedHeaders = z.object({
  location: z.string().meta({ description: '/v1/jobs/{jobId}' }),
  'preference-applied': z
    .string()
    .optional()
    .meta({ description: 'e.g. wait=20 (the wait actually applied)' }),
});

/** The queued create also takes these two; a dry run queues nothing, so it has no use for them. */
const createOnlyHeaders = z.object({
  'Idempotency-Key': z.string().optional().meta({
    description: '1-255 printable ASCII characters; same key + same request → same job (kept 90 days)',
    example: 'crm-000123',
  }),
  'x-callback-url': z.string().optional().meta({
    description:
      'https URL on a public host that receives the final job (overrides the tenant default; see the jobFinished webhook)',
    example: 'https://hooks.example.com/erp-bridge',
  }),
});

function buildRegistry(): OpenAPIRegistry {
  const r = new OpenAPIRegistry();
  r.registerComponent('securitySchemes', 'tenantKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'Authorization: Bearer <tenant API key>. The key decides the tenant; nothing else does.',
  });
  // .meta returns a copy: the handlers' own schema objects are not touched.
  const customer = customerSchema.meta({
    id: 'UnifiedCustomer',
    description: 'The unified customer (shared/customer/schema.ts); unknown fields are errors',
  });
  r.registerComponent('schemas', 'JobMessage', {
    ...(z.toJSONSchema(jobMessageSchema, { io: 'input', unrepresentable: 'any' }) as object),
    description:
      'SQS message contract for producers that skip the API (one queue per ERP); never a credential',
  });

  r.registerPath({
    method: 'get',
    path: '/health',
    operationId: 'getHealth',
    summary: 'Liveness',
    tags: ['meta'],
    security: PUBLIC,
    responses: {
      200: { description: 'up', content: jsonContent(z.object({ status: z.literal('ok') })) },
      ...GATEWAY_THROTTLED,
    },
  });
  r.registerPath({
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This document (OpenAPI 3.1, generated from the zod schemas)',
    tags: ['meta'],
    security: PUBLIC,
    responses: {
      200: { description: 'the OpenAPI document', content: jsonContent(z.record(z.string(), z.unknown())) },
      ...GATEWAY_THROTTLED,
    },
  });
  r.registerPath({
    method: 'get',
    path: '/docs',
    operationId: 'getDocsPage',
    summary: 'This reference, rendered (Swagger UI, every asset served by us; no CDN)',
    description: '`/docs/` redirects here; an unknown `/docs/<file>` is a 404 in the error envelope.',
    tags: ['meta'],
    security: PUBLIC,
    responses: {
      200: { description: 'HTML page', content: { 'text/html': { schema: z.string() } } },
      ...GATEWAY_THROTTLED,
    },
  });

  const customerBody = {
    required: true,
    description: 'The unified customer (at most 64 KiB; unknown fields are errors naming the field)',
    content: {
      'application/json': {
        schema: customer,
        examples: {
          company: { summary: 'Siigo company (NIT)', value: STARK },
          person: { summary: 'Alegra person (CC)', value: PERSON },
          everyField: { summary: 'every unified field', value: FULL_CUSTOMER },
        },
      },
    },
  };
  r.registerPath({
    method: 'post',
    path: '/v1/customers',
    operationId: 'createCustomer',
    summary: 'Create a customer in an ERP (queued; Prefer: wait answers with the result)',
    description:
      "Validates the unified customer against the schema and the ERP's requirements (and the connection's cached " +
      'options), records a job and queues it (202). Poll `links.self` (getJob) or wait for the jobFinished webhook. ' +
      `With \`Prefer: wait=N\` the request then waits up to N seconds (at most ${MAX_WAIT_SECONDS}) for the job: 201 ` +
      'with the succeeded job, 200 with a failed one, else the same 202. Every success body has jobId, status and ' +
      'links.self. To preview the native request without queueing, use dryRunCustomer (`POST /v1/customers/dry-run`).',
    tags: ['customers'],
    security: AUTH,
    request: {
      headers: connectionHeaders.extend(createOnlyHeaders.shape).extend(preferHeader.shape),
      query: z.object({
        dry_run: z
          .enum(['true', 'false'])
          .optional()
          .meta({
            param: { deprecated: true },
            description:
              'Konvex spelling of dryRunCustomer: `true` answers 200 with the DryRun body of ' +
              '`POST /v1/customers/dry-run` instead of queueing. Typed clients call dryRunCustomer, which has ' +
              'one success shape.',
          }),
      }),
      body: customerBody,
    },
    responses: {
      202: {
        description:
          'queued, or an Idempotency-Key replay (idempotent-replayed: true) answered with the job as it is ' +
          'now: `status` may already be in_progress, succeeded or failed',
        headers: waitedHeaders.extend({
          'idempotent-replayed': z
            .literal('true')
            .optional()
            .meta({ description: 'an Idempotency-Key replay' }),
          'retry-after': z
            .string()
            .optional()
            .meta({ description: 'seconds; when a Prefer: wait ran out before the job was final' }),
        }),
        content: jsonContent(acceptedSchema, ACCEPTED),
      },
      201: {
        description:
          'only with Prefer: wait — the job succeeded within the wait: the final job with its erpCustomerId',
        headers: waitedHeaders,
        content: jsonContent(jobSchema, SUCCEEDED_JOB),
      },
      200: {
        description:
          'only with Prefer: wait — the job failed (or was dead-lettered) within the wait: the final job, its normalized error under `error`',
        headers: waitedHeaders,
        content: jsonContent(jobSchema),
      },
      ...errorResponses(400, 401, 404, 405, 409, 413, 415, 422, 429, 500, 503),
    },
  });
  r.registerPath({
    method: 'post',
    path: '/v1/customers/dry-run',
    operationId: 'dryRunCustomer',
    summary: 'Preview the native request a create would send (nothing stored or queued)',
    description:
      'Validates exactly like createCustomer and answers with the request the adapter would send: method, URL, ' +
      'headers and body, never a credential. The same as `POST /v1/customers?dry_run=true`, with its own ' +
      'operation so a generated client gets one success type per call.',
    tags: ['customers'],
    security: AUTH,
    request: { headers: connectionHeaders, body: customerBody },
    responses: {
      200: {
        description: 'the native request that would be sent',
        content: jsonContent(dryRunSchema, {
          dryRun: true,
          erp: 'siigo',
          connectionId: 'demo-siigo',
          environment: 'sandbox',
          request: {
            method: 'POST',
            url: 'https://api.siigo.com/v1/customers',
            headers: { 'Content-Type': 'application/json', 'Partner-Id': 'ERPBridge' },
            body: { type: 'Customer', person_type: 'Company', id_type: '31', identification: '900373913' },
          },
          warnings: WARNINGS,
        }),
      },
      ...errorResponses(400, 401, 404, 409, 413, 415, 422, 429, 500, 503),
    },
  });

  const batchExample = {
    items: [
      { itemId: 'row-2', customer: STARK },
      {
        itemId: 'row-3',
        idempotencyKey: 'crm-000124',
        customer: { ...STARK, identification: { type: 'NIT', number: '860034313' } },
      },
    ],
  };
  const batchBody = {
    required: true,
    description:
      'At most 500 items and 5 MiB. Each `customer` is a UnifiedCustomer, checked on its own (a bad item never rejects the others).',
    content: jsonContent(batchBodySchema, batchExample),
  };
  r.registerPath({
    method: 'post',
    path: '/v1/customers/batch',
    operationId: 'createCustomerBatch',
    summary: 'Create up to 500 customers in one request (each an ordinary job)',
    description:
      'The headers of createCustomer. Every item is validated independently; each valid one becomes a job (idempotent ' +
      'per item key, paced per connection), queued ten per SendMessageBatch. 202 when at least one item was queued, ' +
      '422 when none (details point at /items/<i>/…). An item without its own idempotencyKey gets `<Idempotency-Key> <itemId>`, ' +
      'so a retried batch creates no second job. getBatch follows it; batch.finished goes to the webhook when every ' +
      'accepted item is final.',
    tags: ['batches'],
    security: AUTH,
    request: { headers: connectionHeaders.extend(createOnlyHeaders.shape), body: batchBody },
    responses: {
      202: {
        description: 'at least one item queued (idempotent-replayed: true for a retried batch)',
        headers: z.object({
          location: z.string().meta({ description: '/v1/batches/{batchId}' }),
          'idempotent-replayed': z.literal('true').optional(),
        }),
        content: jsonContent(batchAcceptedSchema),
      },
      ...errorResponses(400, 401, 404, 409, 413, 415, 422, 429, 500, 503),
    },
  });
  r.registerPath({
    method: 'post',
    path: '/v1/customers/batch/dry-run',
    operationId: 'dryRunCustomerBatch',
    summary: 'Check a batch exactly as createCustomerBatch would, queueing nothing',
    tags: ['batches'],
    security: AUTH,
    request: { headers: connectionHeaders, body: batchBody },
    responses: {
      200: {
        description: 'every item: valid or rejected (with pointers)',
        content: jsonContent(batchDryRunSchema),
      },
      ...errorResponses(400, 401, 404, 409, 413, 415, 422, 429, 500, 503),
    },
  });
  r.registerPath({
    method: 'get',
    path: '/v1/batches/{batchId}',
    operationId: 'getBatch',
    summary: 'A batch: counts by status, and its items in request order, a page at a time',
    tags: ['batches'],
    security: AUTH,
    request: { params: z.object({ batchId: z.uuid() }), query: batchPageQuery },
    responses: {
      200: { description: 'the batch; nextCursor pages on', content: jsonContent(batchSchema) },
      ...errorResponses(404, 422, ...COMMON),
    },
  });
  r.registerPath({
    method: 'get',
    path: '/v1/jobs',
    operationId: 'listJobs',
    summary: "The tenant's jobs, newest first",
    tags: ['jobs'],
    security: AUTH,
    request: { query: listJobsQuery },
    responses: {
      200: { description: 'one page; nextCursor pages on', content: jsonContent(jobListSchema) },
      ...errorResponses(422, ...COMMON),
    },
  });
  const jobParams = z.object({ jobId: jobIdSchema });
  r.registerPath({
    method: 'get',
    path: '/v1/jobs/{jobId}',
    operationId: 'getJob',
    summary: 'A job: status, attempts, ERP customer id, error, history (?wait=N answers once it is final)',
    tags: ['jobs'],
    security: AUTH,
    request: {
      params: jobParams,
      query: z.object({
        wait: waitQueryValue.optional().meta({
          description: `seconds (0-${MAX_WAIT_SECONDS}) to wait for the job to be final before answering; also as Prefer: wait=N`,
          example: '20',
        }),
      }),
      headers: preferHeader,
    },
    responses: {
      200: {
        description:
          'the job (with ?wait: once final, or as it is when the wait ends, then with Retry-After)',
        headers: z.object({
          'preference-applied': z.string().optional(),
          'retry-after': z
            .string()
            .optional()
            .meta({ description: 'seconds; the wait ended before the job was final' }),
        }),
        content: jsonContent(jobSchema, SUCCEEDED_JOB),
      },
      ...errorResponses(400, 404, 422, ...COMMON),
    },
  });
  r.registerPath({
    method: 'post',
    path: '/v1/jobs/{jobId}/retry',
    operationId: 'retryJob',
    summary: 'Re-queue a failed or dead_lettered job (looked up first if it may exist upstream)',
    tags: ['jobs'],
    security: AUTH,
    request: { params: jobParams },
    responses: {
      202: { description: 're-queued', content: jsonContent(jobSchema) },
      ...errorResponses(404, 409, 422, ...COMMON),
    },
  });

  const connParams = z.object({ connectionId: z.string().meta({ example: 'my-siigo' }) });
  r.registerPath({
    method: 'put',
    path: '/v1/connections/{connectionId}',
    operationId: 'putConnection',
    summary: 'Store a connection (credentials go to Secrets Manager)',
    tags: ['connections'],
    security: AUTH,
    request: {
      params: connParams,
      query: z.object({
        verify: z
          .enum(['true', 'false'])
          .optional()
          .meta({ description: 'true: prove the credentials upstream first' }),
      }),
      body: {
        required: true,
        content: jsonContent(putConnectionBody, {
          erp: 'siigo',
          environment: 'sandbox',
          credentials: { username: 'sandbox@siigoapi.com', accessKey: 'c2lpZ28tZGVtby1rZXk=' },
        }),
      },
    },
    responses: {
      201: { description: 'created', content: jsonContent(connectionMetadataSchema) },
      200: { description: 'replaced', content: jsonContent(connectionMetadataSchema) },
      ...errorResponses(400, 413, 415, 422, 503, 401, 429, 500),
    },
  });
  r.registerPath({
    method: 'get',
    path: '/v1/connections',
    operationId: 'listConnections',
    summary: "The tenant's connections (metadata only)",
    tags: ['connections'],
    security: AUTH,
    responses: {
      200: {
        description: 'list',
        content: jsonContent(z.object({ items: z.array(connectionMetadataSchema) })),
      },
      ...errorResponses(...COMMON),
    },
  });
  r.registerPath({
    method: 'get',
    path: '/v1/connections/{connectionId}',
    operationId: 'getConnection',
    summary: 'One connection (metadata only, never a secret)',
    tags: ['connections'],
    security: AUTH,
    request: { params: connParams },
    responses: {
      200: { description: 'the connection', content: jsonContent(connectionMetadataSchema) },
      ...errorResponses(404, 422, ...COMMON),
    },
  });
  r.registerPath({
    method: 'get',
    path: '/v1/connections/{connectionId}/options',
    operationId: 'getConnectionOptions',
    summary:
      "The connection's tenant-specific values, live from its ERP (customer types, subsidiaries, sellers…)",
    description:
      'Per field pointer into the unified customer: label, required, and the values the ERP has. Read with the ' +
      "connection's credentials through the same pacer as the workers, cached an hour (`?refresh=true` reads now). " +
      'Creates, dry runs and batches check values against the cached list (never calling the ERP): a value not in it ' +
      'is a 422 naming the valid ones.',
    tags: ['connections'],
    security: AUTH,
    request: {
      params: connParams,
      query: optionsQuery,
      headers: z.object({
        'If-None-Match': z
          .string()
          .optional()
          .meta({ description: 'an ETag of an earlier answer: 304 when unchanged' }),
      }),
    },
    responses: {
      200: {
        description: 'the options',
        headers: z.object({
          etag: z.string(),
          'cache-control': z.string().meta({ description: 'private, max-age=<seconds until expiresAt>' }),
        }),
        content: jsonContent(connectionOptionsSchema),
      },
      304: { description: 'not modified (If-None-Match matched)' },
      ...errorResponses(404, 409, 422, 503, ...COMMON),
    },
  });
  r.registerPath({
    method: 'delete',
    path: '/v1/connections/{connectionId}',
    operationId: 'deleteConnection',
    summary: 'Delete a connection and its secret',
    tags: ['connections'],
    security: AUTH,
    request: { params: connParams },
    responses: { 204: { description: 'deleted' }, ...errorResponses(404, 422, ...COMMON) },
  });

  r.registerPath({
    method: 'get',
    path: '/v1/erps',
    operationId: 'listErps',
    summary:
      'Supported ERPs: capabilities (idempotency, look-up, environments, rate limits, inline credentials)',
    tags: ['erps'],
    security: AUTH,
    responses: {
      200: { description: 'every ERP', content: jsonContent(erpListSchema) },
      ...errorResponses(...COMMON),
    },
  });
  r.registerPath({
    method: 'get',
    path: '/v1/erps/{erp}/customer-schema',
    operationId: 'getCustomerSchema',
    summary: "JSON Schema of the unified body with that ERP's requirements folded in",
    tags: ['erps'],
    security: AUTH,
    request: { params: z.object({ erp: z.enum(ERP_IDS) }) },
    responses: {
      200: { description: 'the schema', content: jsonContent(customerSchemaResponse) },
      ...errorResponses(404, ...COMMON),
    },
  });

  const sessionExample = {
    id: '3f0c2b9e-7a4d-4f1e-9c3b-5d6e7f8a9b0c',
    status: 'completed',
    endUser: { id: 'acct_8842', email: 'finance@stark.co' },
    allowedErps: ['quickbooks'],
    environment: 'sandbox',
    reconnect: false,
    connectionId: 'cs-Xk2pQ9rT4vWz',
    erp: 'quickbooks',
    returnUrl: 'https://app.example.com/erp/done',
    createdAt: '2025-01-01T12:00:00.000Z',
    expiresAt: '2025-01-01T12:30:00.000Z',
    openedAt: '2025-01-01T12:01:10.000Z',
    completedAt: '2025-01-01T12:02:03.000Z',
  };
  r.registerPath({
    method: 'post',
    path: '/v1/connect-sessions',
    operationId: 'createConnectSession',
    summary:
      "A single-use link where the tenant's end user connects an ERP (OAuth consent or its credential form)",
    description:
      'The end user opens `url`, signs in to the ERP (QuickBooks, NetSuite OAuth 2.0) or fills its credential form ' +
      '(the others), and is sent to `returnUrl?session=<id>&status=completed|failed`. The connection is stored as ' +
      'PUT /v1/connections?verify=true stores it, and `connection.created` (or `connection.updated` for a reconnect) ' +
      'goes to the webhook. With `connectionId` the session reconnects that connection in place.',
    tags: ['connections'],
    security: AUTH,
    request: {
      body: {
        required: true,
        content: jsonContent(createSessionBody, {
          endUser: { id: 'acct_8842', email: 'finance@stark.co' },
          allowedErps: ['quickbooks'],
          environment: 'sandbox',
          returnUrl: 'https://app.example.com/erp/done',
        }),
      },
    },
    responses: {
      201: {
        description: 'created: the only answer that shows the link (its token is kept only as a hash)',
        content: jsonContent(connectSessionCreatedSchema, {
          id: sessionExample.id,
          url: `https://api.example.com/connect/${sessionExample.id}?token=q9Zt3Vb0XkLm7Rw2Hc5Jd8Fn1Gp4Ys6Ae0Ui3Oo7Kx2`,
          expiresAt: sessionExample.expiresAt,
          status: 'pending',
        }),
      },
      ...errorResponses(400, 413, 415, 422, 503, ...COMMON),
    },
  });
  r.registerPath({
    method: 'get',
    path: '/v1/connect-sessions/{sessionId}',
    operationId: 'getConnectSession',
    summary: 'Where a connect session is: pending, completed (with its connection), expired or failed',
    tags: ['connections'],
    security: AUTH,
    request: { params: z.object({ sessionId: z.uuid() }) },
    responses: {
      200: { description: 'the session', content: jsonContent(connectSessionSchema, sessionExample) },
      ...errorResponses(404, 503, ...COMMON),
    },
  });

  const settingsExample = {
    url: 'https://hooks.example.com/erp-bridge',
    createdAt: '2025-01-01T12:00:00.000Z',
    updatedAt: '2025-01-01T12:00:00.000Z',
    secretCreatedAt: '2025-01-01T12:00:00.000Z',
  };
  r.registerPath({
    method: 'put',
    path: '/v1/webhook',
    operationId: 'putWebhook',
    summary: "Set the tenant's default callback URL; the first call creates the signing secret",
    tags: ['webhooks'],
    security: AUTH,
    request: {
      body: {
        required: true,
        content: jsonContent(putWebhookBody, { url: 'https://hooks.example.com/erp-bridge' }),
      },
    },
    responses: {
      201: {
        description: 'created: the only answer that shows the secret (besides a rotation)',
        content: jsonContent(webhookSettingsSchema, { ...settingsExample, secret: 'whsec_…' }),
      },
      200: { description: 'updated', content: jsonContent(webhookSettingsSchema, settingsExample) },
      ...errorResponses(400, 413, 415, 422, ...COMMON),
    },
  });
  r.registerPath({
    method: 'get',
    path: '/v1/webhook',
    operationId: 'getWebhook',
    summary: "The tenant's webhook settings (never the secret)",
    tags: ['webhooks'],
    security: AUTH,
    responses: {
      200: { description: 'settings', content: jsonContent(webhookSettingsSchema, settingsExample) },
      ...errorResponses(404, ...COMMON),
    },
  });
  r.registerPath({
    method: 'delete',
    path: '/v1/webhook',
    operationId: 'deleteWebhook',
    summary: 'Remove the default URL and the signing secret',
    tags: ['webhooks'],
    security: AUTH,
    responses: { 204: { description: 'deleted' }, ...errorResponses(404, ...COMMON) },
  });
  r.registerPath({
    method: 'post',
    path: '/v1/webhook/secret',
    operationId: 'rotateWebhookSecret',
    summary: 'Rotate the signing secret (shown once in this answer)',
    tags: ['webhooks'],
    security: AUTH,
    responses: {
      200: { description: 'rotated', content: jsonContent(webhookSettingsSchema) },
      201: { description: 'created', content: jsonContent(webhookSettingsSchema) },
      ...errorResponses(...COMMON),
    },
  });

  r.registerWebhook({
    method: 'post',
    path: 'jobFinished',
    operationId: 'jobFinished',
    summary: 'A job reached a final state (succeeded, failed, dead_lettered)',
    description:
      "POSTed to the request's x-callback-url, else the tenant default. Verify: HMAC-SHA256 with your secret over " +
      '`<timestamp>.<raw body>`, compare to the hex after `v1=` in constant time, and refuse old timestamps. ' +
      'Answer 2xx; anything else is retried with backoff (8 attempts), then dead-lettered. De-duplicate on the event id.',
    // Authenticated by the signature header (HMAC), which OpenAPI security schemes cannot express.
    security: PUBLIC,
    request: {
      headers: z.object({
        [EVENT_TYPE_HEADER]: z.literal('job.finished'),
        [EVENT_ID_HEADER]: z.uuid().meta({ description: 'the same for every redelivery of this event' }),
        [TIMESTAMP_HEADER]: z.string().meta({ description: 'Unix seconds when this attempt was signed' }),
        [SIGNATURE_HEADER]: z
          .string()
          .meta({ description: 'v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>' }),
      }),
      body: { required: true, content: jsonContent(jobSchema, SUCCEEDED_JOB) },
    },
    responses: { 200: { description: 'any 2xx acknowledges the delivery' } },
  });
  r.registerWebhook({
    method: 'post',
    path: 'connectionEvent',
    operationId: 'connectionEvent',
    summary: 'A connection was created or reconnected, needs its end user again, or expires soon',
    description:
      'POSTed to the tenant default URL, signed and retried like jobFinished. `connection.reauth_required` and ' +
      '`connection.expiring` carry a ready reconnect session (`reconnect.url`) to hand the end user.',
    security: PUBLIC,
    request: {
      headers: z.object({
        [EVENT_ID_HEADER]: z.uuid().meta({ description: 'the same for every redelivery of this event' }),
        [EVENT_TYPE_HEADER]: z.string().meta({ description: 'the event type (connection.created, …)' }),
        [TIMESTAMP_HEADER]: z.string().meta({ description: 'Unix seconds when this attempt was signed' }),
        [SIGNATURE_HEADER]: z
          .string()
          .meta({ description: 'v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>' }),
      }),
      body: { required: true, content: jsonContent(connectionEventSchema) },
    },
    responses: { 200: { description: 'any 2xx acknowledges the delivery' } },
  });
  r.registerWebhook({
    method: 'post',
    path: 'batchFinished',
    operationId: 'batchFinished',
    summary: 'Every accepted item of a batch is final',
    description:
      "Sent once per batch, to the batch's x-callback-url, else the tenant default; signed and retried like jobFinished " +
      '(the same event id on every redelivery). Each item also sends its own jobFinished.',
    security: PUBLIC,
    request: {
      headers: z.object({
        [EVENT_TYPE_HEADER]: z.literal('batch.finished'),
        [EVENT_ID_HEADER]: z.uuid(),
        [TIMESTAMP_HEADER]: z.string(),
        [SIGNATURE_HEADER]: z.string(),
      }),
      body: { required: true, content: jsonContent(batchFinishedSchema) },
    },
    responses: { 200: { description: 'any 2xx acknowledges the delivery' } },
  });
  return r;
}

let cached: object | undefined;

/** The OpenAPI 3.1 document, built once per process from the schemas the handlers use. */
export function openApiDocument(): object {
  cached ??= new OpenApiGeneratorV31(buildRegistry().definitions, {
    sortComponents: 'alphabetically',
  }).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'ERP Bridge',
      version: '1',
      // No open-source licence is granted (package.json is private); generators and catalogues read this field.
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
      description:
        'One HTTPS API that creates customers in Siigo, Alegra, QuickBooks Online, NetSuite, ChargeOver, NEXT and ' +
        'Sage Business Cloud Accounting. Errors share one envelope (ErrorEnvelope); every write is a job.',
    },
    servers: [{ url: '/', description: 'this deployment' }],
    tags: [
      {
        name: 'customers',
        description: 'Create a customer in an ERP (a queued job), or preview the native request',
      },
      {
        name: 'batches',
        description: 'Up to 500 customers per request, each an ordinary job; followed as a batch',
      },
      { name: 'jobs', description: 'Every create is a job: poll it, list them, retry a failed one' },
      {
        name: 'connections',
        description:
          "A tenant's stored ERP credentials (kept in Secrets Manager; answers carry metadata only), and connect " +
          'sessions: links where end users connect an ERP themselves',
      },
      { name: 'erps', description: 'Supported ERPs, their capabilities and per-ERP customer schema' },
      { name: 'webhooks', description: "The tenant's default callback URL and signing secret" },
      { name: 'meta', description: 'Liveness, this document and its rendered page (public, no API key)' },
    ],
  });
  return cached;
}

/** The committed openapi.json: two-space JSON and a final newline (so `npm run openapi` is diff-friendly). */
export const renderOpenApi = () => `${JSON.stringify(openApiDocument(), null, 2)}\n`;

const ERRORS_START =
  '<!-- errors: written by `npm run openapi` from ERROR_STATUSES (shared/api/openapi-schemas.ts) -->';
const ERRORS_END = '<!-- /errors -->';

/** The README's Errors table, from the same list as the document's error responses. */
export function renderErrorTable(): string {
  const rows = Object.entries(ERROR_STATUSES).map(
    ([status, s]) => `| ${status} | ${s.codes.map((c) => `\`${c}\``).join(', ')} | ${s.when} |`,
  );
  return ['| status | codes | when |', '|---|---|---|', ...rows].join('\n');
}

/** The README with its Errors table (between the two markers) rewritten. */
export function withErrorTable(readme: string): string {
  const start = readme.indexOf(ERRORS_START);
  const end = readme.indexOf(ERRORS_END);
  if (start < 0 || end < start)
    throw new Error(`README.md lacks the ${ERRORS_START} … ${ERRORS_END} markers`);
  return `${readme.slice(0, start + ERRORS_START.length)}\n${renderErrorTable()}\n${readme.slice(end)}`;
}
