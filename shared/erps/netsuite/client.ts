import type { HttpClient, UpstreamResponse } from '../../http/upstream';
import { outcomeFromNetworkError } from '../outcome';
import type { AdapterContext, FailureOutcome, RequestContext } from '../types';
import { accountHostId, type NetSuiteCredentials } from './credentials';
import { ERP } from './errors';
import { authorizationHeader } from './oauth1';

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

async function send(
  http: HttpClient,
  call: NetSuiteCall,
  creds: NetSuiteCredentials,
): Promise<UpstreamResponse> {
  const authorization = authorizationHeader(call.method, call.url, creds, { realm: creds.accountId });
  return http.request({
    method: call.method,
    url: call.url,
    headers: { ...call.headers, Authorization: authorization },
    body: call.body,
  });
}

/**
 * One signed call. TBA has no token to refresh, but a 401 can come from credentials replaced since this
 * worker loaded them (or a clock/nonce hiccup): reload them and sign afresh once before reporting `auth`.
 * A 401 means NetSuite did not process the request, so repeating a create here is safe.
 */
export async function netsuiteCall(
  ctx: AdapterContext<NetSuiteCredentials>,
  call: NetSuiteCall,
): Promise<{ res: UpstreamResponse } | { failure: FailureOutcome }> {
  try {
    let res = await send(ctx.http, call, ctx.connection.credentials);
    if (res.status === 401) {
      const fresh = await ctx.connection.reloadCredentials().catch(() => ctx.connection.credentials);
      res = await send(ctx.http, call, fresh);
    }
    return { res };
  } catch (e) {
    return { failure: outcomeFromNetworkError(ERP, e) };
  }
}
