import type { UnifiedCustomer } from '../../customer/schema';
import { header, type UpstreamResponse } from '../../http/upstream';
import { currencyByIdWarnings, foreignCityCodeWarnings } from '../geo-currency';
import { judgeHit } from '../identity';
import type {
  AdapterContext,
  ErpAdapter,
  FailureOutcome,
  LookupOutcome,
  NativeRequest,
  RequestContext,
} from '../types';
import { mergeWarnings } from '../warnings';
import { baseUrl, CUSTOMER_PATH, createHeaders, customerByExternalIdUrl, netsuiteCall } from './client';
import { EXPIRY_NOTICE_MS, netsuiteConsent } from './consent';
import { type NetSuiteCredentials, netsuiteCredentialsSchema, netsuiteTbaSchema } from './credentials';
import { ERP, failureFromResponse, upstreamError } from './errors';
import { netsuiteExternalId } from './external-id';
import { NETSUITE_CATALOG, NETSUITE_MAX } from './fields';
import { toNetSuiteCustomer } from './mapper';
import { netsuiteNotHeld } from './not-held';
import { netsuiteRequirements } from './requirements';

function mapping(customer: UnifiedCustomer, ctx: RequestContext<NetSuiteCredentials>) {
  const externalId = netsuiteExternalId(customer, ctx.jobId);
  const { body, pointers } = toNetSuiteCustomer(customer, {
    externalId,
    subsidiaryId: ctx.connection.credentials.subsidiaryId,
  });
  const request: NativeRequest = {
    // Upsert by external id: a retry of the same job updates the record the first attempt created.
    method: 'PUT',
    url: customerByExternalIdUrl(ctx, externalId),
    headers: createHeaders(),
    body,
  };
  return { request, pointers };
}

/** The record's internal id: the last segment of `Location: …/record/v1/customer/647`. */
export function idFromLocation(location: string | undefined): string | undefined {
  if (!location) return undefined;
  const path = location.split(/[?#]/)[0] ?? '';
  const last = decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
  return /^\d+$/.test(last) ? last : undefined;
}

function idFromRecord(json: unknown): string | undefined {
  const id = (json as { id?: unknown } | undefined)?.id;
  if (typeof id === 'string' && /^\d+$/.test(id)) return id;
  if (typeof id === 'number' && Number.isInteger(id)) return String(id);
  return undefined;
}

const notFound = (res: UpstreamResponse) =>
  res.status === 404 ||
  (res.status === 400 && /^(NONEXISTENT_ID|INVALID_ID)$/.test(upstreamError(res).code ?? ''));

/** A read's failure: a duplicate answer to a read is nonsense, so it is `invalid`. */
function readFailure(res: UpstreamResponse): FailureOutcome {
  const f = failureFromResponse(res, { write: false });
  return f.kind === 'duplicate' ? { kind: 'invalid', upstream: f.upstream } : f;
}

type NetSuiteRecord = { id: string; json: Record<string, unknown> };

/** `GET …/customer/{id | eid:<externalId>}` → the record with its internal id. */
async function getRecord(
  ctx: AdapterContext<NetSuiteCredentials>,
  url: string,
): Promise<NetSuiteRecord | { kind: 'not_found' } | FailureOutcome> {
  const r = await netsuiteCall(ctx, { method: 'GET', url });
  if ('failure' in r) return r.failure;
  const { res } = r;
  if (res.status === 200) {
    const id = idFromRecord(res.json);
    if (id) return { id, json: res.json as Record<string, unknown> };
    return {
      kind: 'transient',
      upstream: {
        erp: ERP,
        status: 200,
        code: 'missing_id',
        message: 'NetSuite returned a record without an id',
      },
    };
  }
  return notFound(res) ? { kind: 'not_found' } : readFailure(res);
}

/**
 * The q language's string literal: `"…"` with `\` and `"` escaped by a backslash, the backslash first (an
 * unescaped one would swallow the next character, or the closing quote). NetSuite documents no escape; this is
 * N/query's JavaScript-string reading [UNCERTAIN], enforced as strictly by the simulator.
 */
export function qString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `GET …/customer?q=entityId IS "<entityId>"`: the internal id of the record holding the entityId (ids only). */
async function findByEntityId(
  ctx: AdapterContext<NetSuiteCredentials>,
  entityId: string,
): Promise<{ id: string } | { kind: 'not_found' } | FailureOutcome> {
  const q = `entityId IS ${qString(entityId)}`;
  const url = `${baseUrl(ctx)}${CUSTOMER_PATH}?q=${encodeURIComponent(q)}&limit=2`;
  const r = await netsuiteCall(ctx, { method: 'GET', url });
  if ('failure' in r) return r.failure;
  const { res } = r;
  if (res.status !== 200) return readFailure(res);
  const items = (res.json as { items?: { id?: unknown }[] } | undefined)?.items ?? [];
  const id = items[0]?.id;
  return typeof id === 'string' && id ? { id } : { kind: 'not_found' };
}

/**
 * This job's customer: the record with its external id (the upsert key, so it is this customer by construction).
 * Failing that, a taken `erpFields.entityId` names the record NetSuite refused to duplicate: it is adopted only
 * when it carries this job's external id or e-mail — never for the entityId alone, which another customer may
 * hold (issue 11 §1); otherwise `conflict` at /erpFields/entityId.
 */
async function lookup(
  customer: UnifiedCustomer,
  ctx: AdapterContext<NetSuiteCredentials>,
): Promise<LookupOutcome> {
  const externalId = netsuiteExternalId(customer, ctx.jobId);
  const own = await getRecord(ctx, customerByExternalIdUrl(ctx, externalId));
  if ('json' in own) return { kind: 'found', erpCustomerId: own.id, provenBy: 'externalId' };
  // Exactly the entityId the create sent: a trimmed or otherwise changed one would find another record.
  const sent = mapping(customer, ctx).request.body as Record<string, unknown>;
  const entityId = sent.entityId;
  if (own.kind !== 'not_found' || typeof entityId !== 'string' || !entityId.trim()) return own;
  const holder = await findByEntityId(ctx, entityId);
  if (!('id' in holder)) return holder;
  const record = await getRecord(ctx, `${baseUrl(ctx)}${CUSTOMER_PATH}/${encodeURIComponent(holder.id)}`);
  if (!('json' in record)) return record;
  return judgeHit({ erp: 'NetSuite', id: record.id, pointer: '/erpFields/entityId', keyField: 'entityId' }, [
    { kind: 'key', field: 'externalId', sent: externalId, stored: record.json.externalId },
    { kind: 'email', field: 'email', sent: sent.email, stored: record.json.email },
  ]);
}

export const netsuiteAdapter: ErpAdapter<NetSuiteCredentials> = {
  id: 'netsuite',
  displayName: 'Oracle NetSuite',
  credentialsSchema: netsuiteCredentialsSchema,
  schemaHints: {
    erpFields: NETSUITE_CATALOG,
    maxLength: {
      '/name/company': NETSUITE_MAX.companyName,
      '/website': NETSUITE_MAX.url,
      '/billingAddress/city': NETSUITE_MAX.city,
    },
    notes: { '/externalId': 'the upsert key: PUT /customer/eid:{externalId}' },
  },
  capabilities: {
    upstreamIdempotency: 'upsert',
    lookupBy: ['externalId', 'erpFields.entityId'],
    // A sandbox is a separate account (`1234567_SB1`) with its own host: the account id decides, not a host switch.
    environments: ['sandbox', 'production'],
    inlineCredentials: false,
    rateLimit: {
      // Concurrency-governed, no per-minute quota: `requests` is the concurrency per second as a stand-in.
      requests: 5,
      perSeconds: 1,
      concurrency: 5,
      scope: 'account',
      note: 'Concurrent requests per account: 5 on the shared tier, 15 on Tier 1, +10 per SuiteCloud Plus licence, shared by SOAP, REST and RESTlets; over it → 429.',
    },
  },
  worker: {
    maxAttempts: 8,
    // Customer creates run user-event scripts and workflows and often take several seconds; the upsert makes
    // a timed-out attempt harmless, so a generous but bounded wait is the better trade.
    timeoutMs: 60_000,
    baseDelayMs: 2_000,
    // A 429 is a concurrency slot, freed within seconds; long waits buy nothing.
    maxDelayMs: 60_000,
    // The shared-tier account limit is 5 concurrent requests for every integration together.
    maxConcurrency: 2,
    batchSize: 5,
  },
  endpoints: {
    base: {
      env: 'NETSUITE_BASE_URL',
      production: 'https://{accountId}.suitetalk.api.netsuite.com',
      sandbox: 'https://{accountId}.suitetalk.api.netsuite.com',
    },
    /** The OAuth 2.0 consent page (authorization code), in the account's own UI domain. */
    authorize: {
      env: 'NETSUITE_AUTHORIZE_URL',
      production: 'https://{accountId}.app.netsuite.com/app/login/oauth2/authorize.nl',
      sandbox: 'https://{accountId}.app.netsuite.com/app/login/oauth2/authorize.nl',
    },
  },
  // TBA by form (existing integrations); OAuth 2.0 authorization code with PKCE for new ones (TBA closes in 2027.1).
  connect: { form: netsuiteTbaSchema, oauth: netsuiteConsent },
  companyOf: (c) => c.accountId,
  credentialsExpiry: (c) =>
    c.auth === 'oauth2' && c.refreshTokenExpiresAt
      ? { expiresAt: c.refreshTokenExpiresAt, noticeBeforeMs: EXPIRY_NOTICE_MS }
      : undefined,

  requirements: netsuiteRequirements,
  warnings: (c) =>
    mergeWarnings(
      currencyByIdWarnings(c, 'currency'),
      foreignCityCodeWarnings(c, 'NetSuite'),
      netsuiteNotHeld(c),
    ),

  buildCreateRequest(customer, ctx) {
    return mapping(customer, ctx).request;
  },

  async create(customer, ctx) {
    const { request, pointers } = mapping(customer, ctx);
    const r = await netsuiteCall(ctx, request);
    if ('failure' in r) return r.failure;
    const { res } = r;
    if (res.status >= 200 && res.status < 300) {
      const id = idFromLocation(header(res, 'location'));
      if (id) return { kind: 'created', erpCustomerId: id };
      // Applied but no id to keep: the upsert key finds it, so look up rather than guess.
      return {
        kind: 'unknown',
        upstream: {
          erp: ERP,
          status: res.status,
          code: 'missing_location',
          message: 'NetSuite answered without a Location header',
        },
      };
    }
    return failureFromResponse(res, { write: true, pointers });
  },

  lookup,

  async verify(ctx) {
    const r = await netsuiteCall(ctx, { method: 'GET', url: `${baseUrl(ctx)}${CUSTOMER_PATH}?limit=1` });
    if ('failure' in r) return r.failure;
    const { res } = r;
    if (res.status === 200) {
      return { kind: 'ok', detail: `account ${ctx.connection.credentials.accountId} accepted the token` };
    }
    return readFailure(res);
  },
};
