import * as z from 'zod';
import { ERP_IDS } from '../erps/types';
import { JOB_ERROR_CODES } from '../jobs/model';
import { jobStatusSchema } from './jobs';

/**
 * Response shapes for the OpenAPI document. Requests are described by the very schemas the handlers parse
 * with; responses are built by plain functions (publicJob, publicSettings, …), so their schemas live here and
 * test/unit/openapi.test.ts parses real handler output with them (strict), which catches drift.
 */

/**
 * Each status, the codes it carries and when (Markdown). The one list: the OpenAPI document's error responses
 * and the README's Errors table (`npm run openapi` writes both) come from it.
 */
export const ERROR_STATUSES: Record<number, { codes: string[]; when: string }> = {
  400: {
    codes: [
      'malformed_json',
      'required',
      'invalid',
      'unsupported_erp',
      'ambiguous_credentials',
      'inline_credentials_not_supported',
      'invalid_callback_url',
      'unknown_header',
      'unknown_query_parameter',
      'invalid_query_parameter',
    ],
    when:
      'the body is not JSON; a header or query parameter is missing, unknown or wrong (`details[].pointer` is ' +
      '`/headers/<name>` or `/query/<name>`)',
  },
  401: {
    codes: ['unauthorized'],
    when:
      'the API was reached without a tenant (on AWS, API Gateway answers a missing key 401 and a malformed, ' +
      'unknown or revoked key 403 itself, without this envelope)',
  },
  404: {
    codes: ['not_found', 'connection_not_found'],
    when: "unknown job, connection or route — another tenant's look exactly the same",
  },
  405: { codes: ['method_not_allowed'], when: 'known path, wrong method' },
  409: {
    codes: [
      'idempotency_conflict',
      'environment_conflict',
      'connection_needs_reauth',
      'connection_not_found',
      'job_not_retryable',
      'job_changed',
      'webhook_secret_missing',
    ],
    when:
      'the request conflicts with stored state: an `Idempotency-Key` used for another request, `x-testing` ' +
      "against the connection's environment, a connection that needs new credentials or is gone (retry), a job " +
      'that is not failed or changed meanwhile (retry), a callback URL before a signing secret exists',
  },
  413: { codes: ['payload_too_large'], when: 'body over 64 KiB (a batch: 5 MiB)' },
  415: { codes: ['unsupported_media_type'], when: 'body not `application/json`' },
  422: {
    codes: ['validation_failed', 'credentials_rejected', 'connection_erp_mismatch', 'invalid_cursor'],
    when:
      "the unified schema or the ERP's requirements (`details` lists every problem with a JSON pointer); " +
      'credentials the ERP refused (`?verify=true`); an `x-connection` stored for another ERP; a forged or ' +
      'altered `cursor`',
  },
  429: {
    codes: ['throttled'],
    when: 'over your per-minute request budget (`Retry-After` says when to come back)',
  },
  500: { codes: ['internal_error'], when: 'our fault; retryable' },
  503: {
    codes: ['queue_unavailable', 'upstream_unavailable', 'webhooks_unavailable', 'connect_unavailable'],
    when: 'retryable; with an `Idempotency-Key` the retry converges on the same job',
  },
};

/** Every error code, once, in status order (derived from ERROR_STATUSES: one list to keep up to date). */
export const ERROR_CODES = [...new Set(Object.values(ERROR_STATUSES).flatMap((s) => s.codes))] as [
  string,
  ...string[],
];

export const issueSchema = z
  .strictObject({
    pointer: z
      .string()
      .meta({ description: 'JSON pointer into the body, or /headers/<name>, /query/<name>' }),
    code: z.string(),
    message: z.string(),
  })
  .meta({ id: 'Issue' });

export const upstreamErrorSchema = z
  .strictObject({
    erp: z.string(),
    status: z.number().int().optional(),
    code: z.string().optional(),
    message: z.string(),
  })
  .meta({ id: 'UpstreamError', description: 'What the ERP said, normalised; never a credential' });

export const errorEnvelopeSchema = z
  .strictObject({
    error: z.strictObject({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      requestId: z.string(),
      retryable: z
        .boolean()
        .meta({ description: 'the same request may succeed later (same Idempotency-Key)' }),
      details: z.array(issueSchema).optional(),
      upstream: upstreamErrorSchema.optional(),
    }),
  })
  .meta({ id: 'ErrorEnvelope', description: 'One envelope for every error' });

/** API Gateway's own answers, before any of our functions runs (the stage throttle, for instance). */
export const gatewayErrorSchema = z.strictObject({ message: z.string() }).meta({
  id: 'GatewayError',
  description: 'API Gateway\'s own answer, e.g. {"message":"Too Many Requests"}',
});

export const fieldWarningSchema = z
  .strictObject({
    pointer: z.string().meta({ description: 'JSON pointer into the unified body' }),
    code: z.literal('not_supported_by_erp'),
    message: z.string(),
  })
  .meta({
    id: 'FieldWarning',
    description:
      'A unified field the target ERP cannot hold: it is not sent, and named here instead of dropped silently',
  });

const warningsSchema = z
  .array(fieldWarningSchema)
  .meta({ description: 'unified fields the ERP cannot hold (not sent); empty when every field is sent' });

export const acceptedSchema = z
  .strictObject({
    jobId: z.uuid(),
    status: jobStatusSchema,
    erp: z.enum(ERP_IDS),
    connectionId: z.string(),
    environment: z.enum(['sandbox', 'production']),
    warnings: warningsSchema,
    links: z.strictObject({ self: z.string() }),
  })
  .meta({ id: 'JobAccepted' });

const JOB_ERROR_CODES_DESCRIPTION = `A final job's code: ${Object.entries(JOB_ERROR_CODES)
  .map(([code, when]) => `\`${code}\` ${when}`)
  .join('; ')}. While a retry is scheduled: the outcome class (rate_limited, transient, unknown).`;

const jobErrorSchema = z.strictObject({
  code: z.string().meta({ description: JOB_ERROR_CODES_DESCRIPTION }),
  message: z.string(),
  retryable: z.boolean(),
  details: z.array(issueSchema).optional(),
  upstream: upstreamErrorSchema.optional(),
  existingId: z.string().optional().meta({
    description:
      "`duplicate_conflict`: the ERP id of the other customer's record that holds the colliding value (details[].pointer)",
  }),
});

const historyEntrySchema = z.strictObject({
  at: z.string(),
  event: z.string(),
  status: jobStatusSchema,
  attempt: z.number().int().optional(),
  outcome: z.string().optional(),
  message: z.string().optional(),
  upstream: upstreamErrorSchema.optional(),
  delayMs: z.number().optional(),
  actor: z.string().optional(),
  omitted: z
    .record(z.string(), z.number().int())
    .optional()
    .meta({ description: 'history_compacted only: older entries dropped, counted by event' }),
});

export const jobSchema = z
  .strictObject({
    jobId: z.uuid(),
    status: jobStatusSchema,
    erp: z.enum(ERP_IDS),
    connectionId: z.string(),
    environment: z.enum(['sandbox', 'production']).optional().meta({
      description:
        "the connection's environment, where the customer is created; absent only when a queue message named a connection that does not exist",
    }),
    erpCustomerId: z.string().optional(),
    reconciled: z.boolean().optional(),
    attempts: z.number().int(),
    maxAttempts: z.number().int(),
    rateLimited: z.number().int().optional().meta({
      description: 'attempts the ERP answered with a rate limit; they do not count against maxAttempts',
    }),
    error: jobErrorSchema.optional(),
    history: z.array(historyEntrySchema),
    warnings: warningsSchema.optional(),
    idempotencyKey: z.string().optional(),
    batchId: z
      .uuid()
      .optional()
      .meta({ description: 'the batch (createCustomerBatch) this job is an item of' }),
    createdAt: z.string(),
    updatedAt: z.string(),
    nextAttemptAt: z.string().optional(),
    links: z.strictObject({ self: z.string() }),
  })
  .meta({ id: 'Job', description: 'A job as GET /v1/jobs/{jobId} returns it, and as a webhook delivers it' });

export const jobListSchema = z
  .strictObject({ items: z.array(jobSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'JobList' });

export const connectionMetadataSchema = z
  .strictObject({
    tenantId: z.string(),
    connectionId: z.string(),
    erp: z.enum(ERP_IDS),
    environment: z.enum(['sandbox', 'production']),
    status: z.enum(['active', 'needs_reauth']),
    statusReason: z.string().optional(),
    inline: z.boolean().optional(),
    limits: z
      .record(z.string(), z.number())
      .optional()
      .meta({ description: "overrides of the ERP's documented rate and concurrency limits" }),
    verified: z.boolean().optional().meta({ description: 'PUT only: the credentials were proven upstream' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Connection', description: 'Connection metadata; never a credential' });

const endUserSchema = z.strictObject({ id: z.string(), email: z.string().optional() });

/** 201 of POST /v1/connect-sessions: the one answer that carries the link (and so its token). */
export const connectSessionCreatedSchema = z
  .strictObject({
    id: z.uuid(),
    url: z
      .url()
      .meta({ description: 'hand this to the end user; it opens once; its token is shown only here' }),
    expiresAt: z.string(),
    status: z.literal('pending'),
  })
  .meta({ id: 'ConnectSessionCreated' });

/** GET /v1/connect-sessions/{id} (shared/connect/session.ts publicSession): never a token, hash or verifier. */
export const connectSessionSchema = z
  .strictObject({
    id: z.uuid(),
    status: z.enum(['pending', 'completed', 'expired', 'failed']),
    endUser: endUserSchema,
    allowedErps: z.array(z.enum(ERP_IDS)),
    environment: z.enum(['sandbox', 'production']),
    reconnect: z.boolean().meta({ description: 'true: replaces the credentials of connectionId in place' }),
    reason: z
      .enum(['reauth_required', 'expiring'])
      .optional()
      .meta({ description: 'made by ERP Bridge for a connection.* notice' }),
    connectionId: z
      .string()
      .optional()
      .meta({ description: 'once completed (from the start for a reconnect)' }),
    erp: z.enum(ERP_IDS).optional().meta({ description: 'the ERP the end user connected (completed)' }),
    returnUrl: z.string().optional(),
    locale: z.enum(['es', 'en']).optional(),
    createdAt: z.string(),
    expiresAt: z.string(),
    openedAt: z.string().optional(),
    completedAt: z.string().optional(),
    failure: z
      .strictObject({ code: z.string(), message: z.string() })
      .optional()
      .meta({ description: 'failed: consent_denied, too_many_attempts or connection_not_found' }),
  })
  .meta({ id: 'ConnectSession' });

/** A connection.* webhook (shared/connect/events.ts ConnectionEvent). */
export const connectionEventSchema = z
  .strictObject({
    type: z.enum([
      'connection.created',
      'connection.updated',
      'connection.reauth_required',
      'connection.expiring',
    ]),
    eventId: z.uuid(),
    occurredAt: z.string(),
    connection: connectionMetadataSchema.omit({ tenantId: true, verified: true }),
    session: z.strictObject({ id: z.uuid(), endUser: endUserSchema }).optional(),
    reason: z.string().optional().meta({ description: "reauth_required: the ERP's refusal in words" }),
    expiresAt: z.string().optional().meta({ description: 'expiring: when the credentials stop working' }),
    reconnect: z
      .strictObject({ sessionId: z.uuid(), url: z.url(), expiresAt: z.string() })
      .optional()
      .meta({ description: 'a ready reconnect session for the end user (reauth_required, expiring)' }),
  })
  .meta({ id: 'ConnectionEvent' });

export const nativeRequestSchema = z
  .strictObject({
    method: z.enum(['POST', 'PUT']),
    url: z.string(),
    headers: z.record(z.string(), z.string()),
    body: z.unknown(),
  })
  .meta({ id: 'NativeRequest', description: 'The exact request the adapter sends; no credentials' });

export const dryRunSchema = z
  .strictObject({
    dryRun: z.literal(true),
    erp: z.enum(ERP_IDS),
    connectionId: z.string(),
    environment: z.enum(['sandbox', 'production']),
    request: nativeRequestSchema,
    warnings: warningsSchema,
  })
  .meta({ id: 'DryRun' });

const rateLimitSchema = z.strictObject({
  requests: z.number(),
  perSeconds: z.number(),
  sandboxRequests: z.number().optional(),
  concurrency: z.number().optional(),
  scope: z.string(),
  note: z.string().optional(),
});

export const erpSchema = z
  .strictObject({
    erp: z.enum(ERP_IDS),
    displayName: z.string(),
    capabilities: z.strictObject({
      upstreamIdempotency: z.enum(['request_id', 'upsert', 'external_key', 'lookup']),
      lookupBy: z.array(z.string()),
      environments: z.array(z.enum(['sandbox', 'production'])),
      inlineCredentials: z.boolean(),
      rateLimit: rateLimitSchema,
    }),
    maxAttempts: z.number().int(),
    credentials: z.record(z.string(), z.unknown()).meta({ description: 'JSON Schema of the credentials' }),
  })
  .meta({ id: 'Erp' });

export const erpListSchema = z.strictObject({ items: z.array(erpSchema) }).meta({ id: 'ErpList' });

export const customerSchemaResponse = z
  .strictObject({
    erp: z.enum(ERP_IDS),
    schema: z
      .record(z.string(), z.unknown())
      .meta({ description: "JSON Schema (2020-12) with the ERP's rules" }),
  })
  .meta({ id: 'CustomerSchemaForErp' });

export const webhookSettingsSchema = z
  .strictObject({
    url: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    secretCreatedAt: z.string(),
    secret: z
      .string()
      .optional()
      .meta({ description: 'the HMAC signing secret; only in the answer that created or rotated it' }),
  })
  .meta({ id: 'WebhookSettings' });

const issueList = z.array(issueSchema);
const batchItemErrorSchema = z.strictObject({
  code: z.string(),
  message: z.string(),
  retryable: z.boolean(),
  details: issueList.optional(),
});

const batchItemBase = {
  index: z.number().int().meta({ description: 'position in the request' }),
  itemId: z.string(),
  jobId: z.uuid().optional().meta({ description: 'the job of a queued item (GET /v1/jobs/{jobId})' }),
  error: batchItemErrorSchema
    .optional()
    .meta({ description: 'a rejected item: why, with pointers /items/<i>/…' }),
  warnings: z.array(fieldWarningSchema).optional(),
};

export const batchAcceptedSchema = z
  .strictObject({
    batchId: z.uuid(),
    accepted: z.number().int(),
    rejected: z.number().int(),
    items: z.array(z.strictObject({ ...batchItemBase, status: z.enum(['queued', 'rejected']) })),
    links: z.strictObject({ self: z.string() }),
  })
  .meta({ id: 'BatchAccepted' });

export const batchDryRunSchema = z
  .strictObject({
    dryRun: z.literal(true),
    valid: z.number().int(),
    rejected: z.number().int(),
    items: z.array(z.strictObject({ ...batchItemBase, status: z.enum(['valid', 'rejected']) })),
  })
  .meta({ id: 'BatchDryRun' });

const batchCountsSchema = z.strictObject({
  items: z.number().int(),
  accepted: z.number().int(),
  rejected: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  dead_lettered: z.number().int(),
  pending: z.number().int().meta({ description: 'accepted items whose job is not final yet' }),
});

const batchSummaryShape = {
  batchId: z.uuid(),
  erp: z.enum(ERP_IDS),
  connectionId: z.string(),
  environment: z.enum(['sandbox', 'production']),
  idempotencyKey: z.string().optional(),
  createdAt: z.string(),
  finishedAt: z
    .string()
    .optional()
    .meta({ description: 'when every accepted item was final (batch.finished sent)' }),
  counts: batchCountsSchema,
  links: z.strictObject({ self: z.string() }),
};

export const batchSchema = z
  .strictObject({
    ...batchSummaryShape,
    items: z.array(
      z.strictObject({
        ...batchItemBase,
        status: z.enum(['queued', 'rejected']),
        jobStatus: z
          .enum(['succeeded', 'failed', 'dead_lettered', 'pending'])
          .optional()
          .meta({ description: "a queued item's job: its final status, or pending" }),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'Batch' });

export const batchFinishedSchema = z
  .strictObject({ ...batchSummaryShape, event: z.literal('batch.finished') })
  .meta({ id: 'BatchFinished', description: 'POSTed once every accepted item of a batch is final' });

export const connectionOptionsSchema = z
  .strictObject({
    erp: z.enum(ERP_IDS),
    connectionId: z.string(),
    fetchedAt: z.string(),
    expiresAt: z
      .string()
      .meta({ description: 'served from the cache until then (?refresh=true reads the ERP now)' }),
    etag: z.string(),
    fields: z.array(
      z.strictObject({
        pointer: z
          .string()
          .meta({ description: 'JSON pointer into the unified customer, e.g. /erpFields/customertypeid' }),
        label: z.string(),
        required: z.boolean(),
        multiple: z
          .boolean()
          .optional()
          .meta({ description: 'the pointer names an array; each element is checked' }),
        values: z.array(z.strictObject({ value: z.string(), label: z.string() })),
      }),
    ),
  })
  .meta({ id: 'ConnectionOptions' });
