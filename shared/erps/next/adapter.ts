import type { UnifiedCustomer } from '../../customer/schema';
import { outcomeFromNetworkError } from '../outcome';
import type { AdapterContext, ErpAdapter, LookupOutcome, NativeRequest, RequestContext } from '../types';
import { mergeWarnings } from '../warnings';
import { baseUrl, bearer, COMMON_HEADERS, exchangeOneTimeKey, tokenOf } from './client';
import { type NextCredentials, nextCredentialsSchema } from './credentials';
import { customerNumberFor } from './customer-number';
import { CUSTOMER_PATH, NEXT_ENDPOINTS } from './endpoints';
import { NEXT_CATALOG } from './fields';
import { toNextCustomer } from './mapper';
import { nextNotHeld } from './not-held';
import { createOutcome, failureFromResponse, lookupOutcome } from './outcomes';
import { nextRequirements } from './requirements';
import { ERP } from './responses';
import { nextWarnings } from './warnings';

/** Reads never create anything, so a lost answer is simply worth retrying. */
function readFailure(err: unknown) {
  const o = outcomeFromNetworkError(ERP, err);
  return o.kind === 'unknown' ? { ...o, kind: 'transient' as const } : o;
}

/** Finds the customer by the `customerno` the adapter controls (externalId, or the job-derived number). */
async function lookup(
  customer: UnifiedCustomer,
  ctx: AdapterContext<NextCredentials>,
): Promise<LookupOutcome> {
  const token = tokenOf(ctx.connection.credentials);
  if (typeof token !== 'string') return token;
  const customerNo = customerNumberFor(customer, ctx.jobId);
  try {
    const res = await ctx.http.request({
      method: 'GET',
      url: lookupUrl(baseUrl(ctx), customerNo),
      headers: { ...COMMON_HEADERS, ...bearer(token) },
    });
    return lookupOutcome(res, toNextCustomer(customer, ctx.jobId).body);
  } catch (err) {
    return readFailure(err);
  }
}

function buildCreateRequest(customer: UnifiedCustomer, ctx: RequestContext<NextCredentials>): NativeRequest {
  return {
    method: 'POST',
    url: `${baseUrl(ctx)}${CUSTOMER_PATH}`,
    headers: { ...COMMON_HEADERS, 'Content-Type': 'application/json' },
    body: toNextCustomer(customer, ctx.jobId).body,
  };
}

/**
 * `GET /customer/?filter_str=…`: exact `customerno`, inactive customers included (lists return only
 * active ones unless `active` is filtered). A customer deactivated since its create is still ours.
 */
export function lookupUrl(base: string, customerNo: string): string {
  const query = new URLSearchParams({
    filter_str: JSON.stringify({ customerno: customerNo, active__in: ['true', 'false'] }),
    page: '1',
    size: '50',
  });
  return `${base}${CUSTOMER_PATH}?${query}`;
}

export const nextAdapter: ErpAdapter<NextCredentials> = {
  id: 'next',
  displayName: 'NEXT (Next Project)',
  credentialsSchema: nextCredentialsSchema,
  // The connect page's form is rendered from the same schema the API checks.
  connect: { form: nextCredentialsSchema },
  companyOf: (c) => c.databaseNo,
  schemaHints: {
    erpFields: NEXT_CATALOG,
    required: ['/erpFields/customertypeid'],
    maxLength: { '/name/company': 50, '/externalId': 50 },
    notes: { '/erpFields/customertypeid': 'the NEXT customer type id (integer)' },
  },
  capabilities: {
    upstreamIdempotency: 'lookup',
    // customerno = externalId, or `EB-<hash of the job id>` when the caller gives none.
    lookupBy: ['externalId'],
    environments: ['sandbox', 'production'],
    inlineCredentials: false,
    rateLimit: {
      requests: 10,
      perSeconds: 1,
      scope: 'company',
      note: 'per integrator client id and NEXT database; /token is limited per caller IP',
    },
  },
  worker: {
    maxAttempts: 8,
    timeoutMs: 30_000,
    baseDelayMs: 2_000,
    maxDelayMs: 300_000,
    // 10 calls/s per database is shared by every tenant job of that database.
    maxConcurrency: 5,
    batchSize: 1,
  },
  endpoints: NEXT_ENDPOINTS,
  requirements: nextRequirements,
  warnings: (c) => mergeWarnings(nextWarnings(c), nextNotHeld(c)),
  buildCreateRequest,
  // A known externalId is looked up before the create (below): two requests against NEXT's 10/s.
  createRequests: (customer) => (customer.externalId ? 2 : 1),

  async create(customer, ctx) {
    const token = tokenOf(ctx.connection.credentials);
    if (typeof token !== 'string') return token;
    // NEXT refuses no reused customerno: an externalId already stored is this customer, sent by an earlier job
    // (or, holding another organisation number, someone else's: a conflict, never a twin with the same number).
    if (customer.externalId) {
      const existing = await lookup(customer, ctx);
      if (existing.kind === 'found' || existing.kind === 'conflict') {
        return {
          kind: 'duplicate',
          resolved: existing,
          upstream: {
            erp: ERP,
            code: 'customerno_exists',
            message: `NEXT customer ${existing.kind === 'found' ? existing.erpCustomerId : existing.existingId} already has customerno = externalId ${customer.externalId}`,
          },
        };
      }
      if (existing.kind !== 'not_found') return existing;
    }
    const req = buildCreateRequest(customer, ctx);
    try {
      const res = await ctx.http.request({ ...req, headers: { ...req.headers, ...bearer(token) } });
      return createOutcome(res, toNextCustomer(customer, ctx.jobId).sources);
    } catch (err) {
      return outcomeFromNetworkError(ERP, err);
    }
  },

  lookup,

  async verify(ctx) {
    const creds = ctx.connection.credentials;
    const token = tokenOf(creds);
    if (typeof token !== 'string') return token;
    try {
      const res = await ctx.http.request({
        method: 'GET',
        url: `${baseUrl(ctx)}${CUSTOMER_PATH}?page=1&size=1`,
        headers: { ...COMMON_HEADERS, ...bearer(token) },
      });
      if (res.status >= 200 && res.status < 300)
        return { kind: 'ok', detail: `NEXT database ${creds.databaseNo}` };
      return failureFromResponse(res, { write: false });
    } catch (err) {
      return readFailure(err);
    }
  },

  /**
   * Spends the one-time API key: exchanges it for the never-expiring token and returns the credentials to
   * keep (the key is dropped). Credentials that already hold a token are kept as they are.
   */
  async prepareConnection(ctx) {
    const creds = ctx.connection.credentials;
    if (!creds.apiKey) return { kind: 'ok', credentials: creds };
    const apiKey = creds.apiKey;
    try {
      const exchanged = await exchangeOneTimeKey(ctx, { ...creds, apiKey });
      if (exchanged.kind !== 'ok') return exchanged;
      const { apiKey: _spent, ...rest } = creds;
      return { kind: 'ok', credentials: { ...rest, accessToken: exchanged.token } };
    } catch (err) {
      // A lost answer may have spent the key: say so, the tenant may need a new one.
      const o = outcomeFromNetworkError(ERP, err);
      return {
        ...o,
        upstream: {
          ...o.upstream,
          message: `${o.upstream.message} (the one-time API key may have been spent)`,
        },
      };
    }
  },
};
