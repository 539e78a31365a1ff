import { createHash, randomBytes } from 'node:crypto';
import {
  type HttpClient,
  header,
  retryAfterMs,
  UpstreamNetworkError,
  type UpstreamResponse,
} from '../http/upstream';
import type { Environment, ErpId, FailureOutcome, OAuthApp, OAuthApps } from './types';

/**
 * OAuth 2.0 token-endpoint plumbing shared by the ERPs that use it (QuickBooks, NetSuite): client
 * authentication, the form POST, the RFC 6749 §5.2 error answer as an outcome, and PKCE (RFC 7636).
 */

/** `Authorization: Basic base64(client_id:client_secret)` (RFC 6749 §2.3.1, as Intuit and NetSuite require). */
/**
 * The OAuth app a connection's tokens belong to: the connection's own client, or the stage's app
 * (`app: "operator"`, connections made on the connect page) from the operator's store; undefined when neither.
 */
export async function connectionApp(
  ctx: { apps?: OAuthApps; connection: { environment: Environment } },
  erp: ErpId,
  c: { app?: 'operator'; clientId?: string; clientSecret?: string },
): Promise<OAuthApp | undefined> {
  if (!c.app && c.clientId && c.clientSecret) return { clientId: c.clientId, clientSecret: c.clientSecret };
  return ctx.apps?.get(erp, ctx.connection.environment).catch(() => undefined);
}

export function basicClientAuth(app: OAuthApp): string {
  return `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`;
}

/** A token request: `application/x-www-form-urlencoded`, JSON answer. Network failures are outcomes (nothing created). */
export async function postTokenForm(
  http: HttpClient,
  erp: string,
  url: string,
  form: Record<string, string>,
  authorization?: string,
): Promise<{ res: UpstreamResponse } | { failure: FailureOutcome }> {
  try {
    const res = await http.request({
      method: 'POST',
      url,
      headers: {
        ...(authorization ? { Authorization: authorization } : {}),
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
      },
      body: new URLSearchParams(form).toString(),
    });
    return { res };
  } catch (err) {
    if (!(err instanceof UpstreamNetworkError)) throw err;
    // A token call creates nothing: a later try is always safe.
    return {
      failure: {
        kind: 'transient',
        upstream: { erp, code: `token_${err.kind}`, message: `token endpoint: ${err.message}` },
      },
    };
  }
}

/** A token answer's access token and lifetime, or a failure when it carries none. */
export function issuedToken(
  erp: string,
  res: UpstreamResponse,
  now: number,
): { body: Record<string, unknown>; accessToken: string; expiresAt: number } | { failure: FailureOutcome } {
  const body = (res.json ?? {}) as Record<string, unknown>;
  const access = body.access_token;
  if (res.status !== 200) return { failure: tokenErrorOutcome(erp, res) };
  if (typeof access !== 'string' || access === '') {
    return {
      failure: {
        kind: 'transient',
        upstream: {
          erp,
          status: 200,
          code: 'token_malformed',
          message: 'token endpoint answered without an access_token',
        },
      },
    };
  }
  const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in) || 3600;
  return { body, accessToken: access, expiresAt: now + expiresIn * 1000 };
}

/**
 * The token endpoint's error answer (`{"error":"invalid_grant","error_description":…}`) → outcome.
 * `invalid_grant`: the grant (refresh token, code) is expired, revoked or was used — only the end user can fix
 * that by consenting again (`reauthorize`). Other 4xx: our client or request is refused (`auth`).
 */
export function tokenErrorOutcome(erp: string, res: UpstreamResponse): FailureOutcome {
  const body = (res.json ?? {}) as Record<string, unknown>;
  const code = typeof body.error === 'string' ? body.error : `http_${res.status}`;
  const description = typeof body.error_description === 'string' ? `: ${body.error_description}` : '';
  const upstream = {
    erp,
    status: res.status,
    code,
    message: `token endpoint: ${code}${description}`.slice(0, 300),
  };
  if (code === 'invalid_grant') return { kind: 'auth', reauthorize: true, upstream };
  if (res.status === 429) {
    return {
      kind: 'rate_limited',
      retryAfterMs: retryAfterMs(header(res, 'retry-after')) ?? 60_000,
      upstream,
    };
  }
  if (res.status >= 400 && res.status < 500) return { kind: 'auth', upstream };
  return { kind: 'transient', retryAfterMs: retryAfterMs(header(res, 'retry-after')), upstream };
}

/** A PKCE pair (RFC 7636 §4.1-4.2): a 43-character verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: pkceChallenge(verifier) };
}

export const pkceChallenge = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');
