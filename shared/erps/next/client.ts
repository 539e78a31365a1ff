import { header, retryAfterMs, type UpstreamResponse } from '../../http/upstream';
import type { AdapterContext, FailureOutcome, RequestContext } from '../types';
import type { NextCredentials } from './credentials';
import { apiBase, TOKEN_PATH, USER_AGENT } from './endpoints';
import { ERP, upstreamFrom } from './responses';

export function baseUrl(ctx: Pick<RequestContext<NextCredentials>, 'endpoint'>): string {
  return apiBase(ctx.endpoint('api'));
}

/** Headers every call carries besides Authorization. */
export const COMMON_HEADERS: Readonly<Record<string, string>> = { 'User-Agent': USER_AGENT };

/**
 * The stored token, or the outcome to return when there is none. The token never expires and cannot be
 * refreshed (no refresh token; the one-time key is spent), so there is nothing to re-authenticate with.
 */
export function tokenOf(creds: NextCredentials): string | FailureOutcome {
  if (creds.accessToken) return creds.accessToken;
  return {
    kind: 'auth',
    reauthorize: true,
    upstream: {
      erp: ERP,
      code: 'no_token',
      message: 'the connection holds no NEXT token; store it again with a new one-time API key',
    },
  };
}

export function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

/**
 * `POST /v1/token`: the OAuth2 password form NEXT documents (username = database number, password = the
 * one-time key, empty scope). The key is spent by this call whatever happens next.
 */
export async function exchangeOneTimeKey(
  ctx: AdapterContext<NextCredentials>,
  creds: NextCredentials & { apiKey: string },
): Promise<{ kind: 'ok'; token: string } | FailureOutcome> {
  const form = new URLSearchParams({
    grant_type: 'password',
    username: creds.databaseNo,
    password: creds.apiKey,
    scope: '',
    client_id: creds.clientId,
    client_secret: creds.clientSecret,
  });
  const res: UpstreamResponse = await ctx.http.request({
    method: 'POST',
    url: `${baseUrl(ctx)}${TOKEN_PATH}`,
    headers: { ...COMMON_HEADERS, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  const token = (res.json as { access_token?: unknown } | undefined)?.access_token;
  if (res.status === 200 && typeof token === 'string' && token.length > 0) return { kind: 'ok', token };
  const upstream = upstreamFrom(res, `token exchange answered HTTP ${res.status}`);
  if (res.status >= 200 && res.status < 300) {
    return {
      kind: 'transient',
      upstream: { ...upstream, message: 'NEXT answered the token exchange without a token' },
    };
  }
  if (res.status === 400 || res.status === 401 || res.status === 403) {
    return {
      kind: 'auth',
      upstream: {
        ...upstream,
        message: `NEXT refused the client id/secret, database number or one-time API key (a one-time key works once): ${upstream.message}`,
      },
    };
  }
  if (res.status === 422) return { kind: 'invalid', upstream };
  if (res.status === 429) {
    return {
      kind: 'rate_limited',
      retryAfterMs: retryAfterMs(header(res, 'retry-after')) ?? 1_000,
      upstream,
    };
  }
  return { kind: 'transient', upstream };
}
