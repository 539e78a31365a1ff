import { createHash } from 'node:crypto';
import type { UnifiedCustomer } from '../../customer/schema';
import { UpstreamNetworkError } from '../../http/upstream';
import { foreignCityCodeWarnings } from '../geo-currency';
import { outcomeFromNetworkError } from '../outcome';
import type { CreateOutcome, ErpAdapter, FailureOutcome, NativeRequest, RequestContext } from '../types';
import { mergeWarnings } from '../warnings';
import { send } from './client';
import { EXPIRY_NOTICE_MS, quickbooksConsent } from './consent';
import { type QuickBooksCredentials, quickbooksCredentialsSchema } from './credentials';
import { companyUrl, MINOR_VERSION, QUICKBOOKS_ENDPOINTS } from './endpoints';
import { ERP, QuickBooksFailure } from './failure';
import { hasCode, parseFault } from './faults';
import { QUICKBOOKS_CATALOG } from './fields';
import { resolveDisplayName } from './lookup';
import { toQuickBooksCustomer } from './mapper';
import { quickbooksNotHeld } from './not-held';
import { accessToken } from './oauth';
import { quickbooksOptions } from './options';
import { failureFromResponse, upstreamOf } from './outcomes';
import { quickbooksRequirements } from './requirements';

/**
 * `requestid` makes QuickBooks replay the first answer instead of creating twice. It is the job id, so every
 * attempt of one job carries the same one; Intuit caps it at 50 characters, so a longer id is hashed.
 */
export function requestIdFor(jobId: string): string {
  return jobId.length <= 50 ? jobId : createHash('sha256').update(jobId).digest('hex').slice(0, 50);
}

function buildCreateRequest(
  customer: UnifiedCustomer,
  ctx: RequestContext<QuickBooksCredentials>,
): NativeRequest {
  const query = new URLSearchParams({ minorversion: MINOR_VERSION, requestid: requestIdFor(ctx.jobId) });
  return {
    method: 'POST',
    url: `${companyUrl(ctx.endpoint('base'), ctx.connection.credentials.realmId)}/customer?${query}`,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: toQuickBooksCustomer(customer).body,
  };
}

/** Token failures carry their outcome; network errors are classified (`read`: nothing was created, so transient). */
function failureOf(err: unknown, read: boolean): FailureOutcome {
  if (err instanceof QuickBooksFailure) return err.outcome;
  if (err instanceof UpstreamNetworkError) {
    const o = outcomeFromNetworkError(ERP, err);
    return read && o.kind === 'unknown' ? { ...o, kind: 'transient' } : o;
  }
  throw err;
}

const customerIdOf = (json: unknown): string | undefined => {
  const id = (json as { Customer?: { Id?: unknown } } | undefined)?.Customer?.Id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
};

export const quickbooksAdapter: ErpAdapter<QuickBooksCredentials> = {
  options: quickbooksOptions,
  id: 'quickbooks',
  displayName: 'QuickBooks Online',
  credentialsSchema: quickbooksCredentialsSchema,
  schemaHints: {
    erpFields: QUICKBOOKS_CATALOG,
    notes: {
      '/name/company':
        'no : in names (QuickBooks uses it for sub-customers); names are unique across customers, vendors and employees',
    },
  },
  capabilities: {
    upstreamIdempotency: 'request_id',
    // DisplayName is unique across customers, vendors and employees of a company.
    lookupBy: ['name.company', 'name.first', 'name.last', 'erpFields.DisplayName'],
    environments: ['sandbox', 'production'],
    inlineCredentials: false,
    rateLimit: {
      requests: 500,
      perSeconds: 60,
      concurrency: 10,
      scope: 'realm',
      note: 'Also 10 requests/second per realm per app. Over the limit: 429 Fault 3001, no Retry-After; Intuit says wait 60 s.',
    },
  },
  worker: {
    maxAttempts: 8,
    // Intuit times requests out after ~120 s; a create answers in well under 30 s.
    timeoutMs: 30_000,
    baseDelayMs: 2_000,
    maxDelayMs: 300_000,
    // 10 concurrent requests per realm per app; leave room for look-ups and other apps of the same realm.
    maxConcurrency: 5,
    batchSize: 1,
  },
  endpoints: QUICKBOOKS_ENDPOINTS,
  // Each refresh returns a new refresh token that must be stored before the old one stops working.
  rotatesCredentials: true,
  // The end user consents at Intuit with the stage's own app; no credentials form.
  connect: { oauth: quickbooksConsent },
  companyOf: (c) => c.realmId,
  credentialsExpiry: (c) =>
    c.refreshTokenExpiresAt
      ? { expiresAt: c.refreshTokenExpiresAt, noticeBeforeMs: EXPIRY_NOTICE_MS }
      : undefined,
  requirements: quickbooksRequirements,
  warnings: (c) => mergeWarnings(foreignCityCodeWarnings(c, 'QuickBooks'), quickbooksNotHeld(c)),
  buildCreateRequest,

  async create(customer, ctx): Promise<CreateOutcome> {
    const req = buildCreateRequest(customer, ctx);
    try {
      const res = await send(ctx, req);
      const id = res.status === 200 ? customerIdOf(res.json) : undefined;
      if (id) return { kind: 'created', erpCustomerId: id };
      const fault = parseFault(res);
      if (hasCode(fault, '6240')) {
        // The DisplayName is taken (by a customer, vendor or employee). Whose record it is decides: this
        // customer's (same identity) is adopted, anyone else's is a conflict. This answer is the one QuickBooks
        // keeps for this job's requestid, so asking it again proves nothing. Unresolved, the worker looks up.
        const upstream = upstreamOf(res, fault);
        const resolved = await resolveDisplayName(customer, ctx, { fault }).catch(() => undefined);
        return resolved?.kind === 'found' || resolved?.kind === 'conflict'
          ? { kind: 'duplicate', upstream, resolved }
          : { kind: 'duplicate', upstream };
      }
      const native = toQuickBooksCustomer(customer);
      return failureFromResponse(res, {
        write: true,
        sources: native.sources,
        body: native.body,
        now: ctx.now(),
      });
    } catch (err) {
      return failureOf(err, false);
    }
  },

  async lookup(customer, ctx) {
    try {
      // After a lost answer or a crash, this job's own requestid tells whether its create made the record.
      const replay = () => send(ctx, buildCreateRequest(customer, ctx));
      return await resolveDisplayName(customer, ctx, { replay });
    } catch (err) {
      return failureOf(err, true);
    }
  },

  async authenticate(ctx) {
    await accessToken(ctx);
  },

  async verify(ctx) {
    const { realmId } = ctx.connection.credentials;
    try {
      const res = await send(ctx, {
        method: 'GET',
        url: `${companyUrl(ctx.endpoint('base'), realmId)}/companyinfo/${encodeURIComponent(realmId)}?minorversion=${MINOR_VERSION}`,
        headers: { Accept: 'application/json' },
      });
      if (res.status !== 200) return failureFromResponse(res, { write: false, now: ctx.now() });
      const name = (res.json as { CompanyInfo?: { CompanyName?: unknown } } | undefined)?.CompanyInfo
        ?.CompanyName;
      return {
        kind: 'ok',
        detail: typeof name === 'string' ? `QuickBooks company "${name}"` : 'QuickBooks company reachable',
      };
    } catch (err) {
      return failureOf(err, true);
    }
  },
};
