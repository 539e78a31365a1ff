import type { HttpClient, UpstreamResponse } from '../../http/upstream';
import { outcomeFromNetworkError } from '../outcome';
import type { AdapterContext, FailureOutcome, RequestContext } from '../types';
import { accountHostId, isTba, type NetSuiteCredentials } from './credentials';
import { ERP, upstreamError } from './errors';
import { authorizationHeader } from './oauth1';
import { bearerToken, NetSuiteTokenFailure } from './oauth2';

export const CUSTOMER_PATH = '/services/rest/record/v1/customer';

/** The account's REST host; `{accountId}` in the endpoint (NETSUITE_BASE_URL) becomes `1234567-sb1`. */
export function baseUrl(ctx: Pick<RequestContext<NetSuiteCredentials>, 'endpoint' | 'connection'>): string {
  const host = accountHostId(ctx.connection.credentials.accountId);
  return ctx.endpoint('base').replaceAll('{accountId}', host).replace(/\/+$/, '');
}

/** `…/customer/eid:<externalId>`, normalised the way the signer and the server see it. */
export function customerByExternalIdUrl(
  ctx: Pick<RequestContext<NetSuiteCredentials>, 'endpoint' | 'connection'>,
  externalId: string,
): string {
  return new URL(`${baseUrl(ctx)}${CUSTOMER_PATH}/eid:${encodeURIComponent(externalId)}`).href;
}

/** Non-secret headers of the create: unknown field names are errors, not silently dropped (default Warning). */
export function createHeaders(): Record<string, string> {
  return { 'Content-Type': 'application/json', 'X-NetSuite-PropertyNameValidation': 'Error' };
}

export interface NetSuiteCall {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * One call with the credentials' own authorization: TBA signs this very request (fresh nonce and timestamp);
 * OAuth 2.0 sends the cached Bearer token, a new one when `renew` (the last one was answered 401).
 */
async function send(
  ctx: AdapterContext<NetSuiteCredentials>,
  http: HttpClient,
  call: NetSuiteCall,
  creds: NetSuiteCredentials,
  renew = false,
): Promise<UpstreamResponse> {
  const authorization = isTba(creds)
    ? authorizationHeader(call.method, call.url, creds, { realm: creds.accountId })
    : `Bearer ${await bearerToken(ctx, creds, renew)}`;
  return http.request({
    method: call.method,
    url: call.url,
    headers: { ...call.headers, Authorization: authorization },
    body: call.body,
  });
}

/**
 * NetSuite answers 401 `INVALID_LOGIN` both for bad credentials and, under concurrency, for requests it refuses
 * (julbrs/netsuite-api-client#26; salto-io/salto#6465: a delayed, re-sent request must be signed afresh).
 * So a 401 is re-signed and retried a few times with growing waits before it counts as `auth`.
 */
export const INVALID_LOGIN_RETRY_DELAYS_MS = [0, 250, 750];
/** A connection that made a successful call this recently has working credentials: its 401s are transient. */
export const RECENT_SUCCESS_MS = 10 * 60_000;
/** How soon a job whose working connection was refused comes back (the worker's backoff may add more). */
const REFUSED_RETRY_MS = 5_000;

/** Last successful call per connection and token, in this process (a cold start knows none: then `auth`). */
const lastSuccess = new Map<string, number>();
const successKey = (ctx: AdapterContext<NetSuiteCredentials>, creds: NetSuiteCredentials) =>
  `${ctx.connection.tenantId}/${ctx.connection.connectionId}/${creds.accountId}/${isTba(creds) ? creds.tokenId : creds.auth === 'oauth2_m2m' ? `${creds.clientId}/${creds.certificateId}` : creds.auth}`;

/** Forgets every remembered success (tests). */
export function clearNetSuiteSuccesses(): void {
  lastSuccess.clear();
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * One signed call. TBA has no token to refresh, but a 401 can come from credentials replaced since this
 * worker loaded them, a clock/nonce hiccup, or NetSuite refusing a concurrent request as `INVALID_LOGIN`: the
 * stored credentials are re-read and the call is signed afresh and repeated after each delay of
 * INVALID_LOGIN_RETRY_DELAYS_MS (a 401 means NetSuite processed nothing, so repeating a create is safe). Still
 * refused: `auth`, unless these credentials made a successful call within RECENT_SUCCESS_MS — then it is
 * NetSuite's concurrency refusal and the job is retried later (`transient`), not failed for bad credentials.
 */
export async function netsuiteCall(
  ctx: AdapterContext<NetSuiteCredentials>,
  call: NetSuiteCall,
): Promise<{ res: UpstreamResponse } | { failure: FailureOutcome }> {
  try {
    let creds = ctx.connection.credentials;
    let res = await send(ctx, ctx.http, call, creds);
    for (const delay of INVALID_LOGIN_RETRY_DELAYS_MS) {
      if (res.status !== 401) break;
      if (delay) await sleep(delay + Math.floor(Math.random() * delay));
      creds = await ctx.connection.reloadCredentials().catch(() => creds);
      res = await send(ctx, ctx.http, call, creds, true);
    }
    const key = successKey(ctx, creds);
    if (res.status !== 401) {
      lastSuccess.set(key, ctx.now());
      return { res };
    }
    const since = ctx.now() - (lastSuccess.get(key) ?? Number.NEGATIVE_INFINITY);
    if (since <= RECENT_SUCCESS_MS) {
      const upstream = upstreamError(res);
      return {
        failure: {
          kind: 'transient',
          retryAfterMs: REFUSED_RETRY_MS,
          upstream: {
            ...upstream,
            message:
              `${upstream.message} (refused although this connection's token worked ${Math.round(since / 1000)} s ago: retried as NetSuite's concurrency refusal)`.slice(
                0,
                1000,
              ),
          },
        },
      };
    }
    return { res };
  } catch (e) {
    if (e instanceof NetSuiteTokenFailure) return { failure: e.outcome };
    return { failure: outcomeFromNetworkError(ERP, e) };
  }
}
