import type { UpstreamRequest, UpstreamResponse } from '../../http/upstream';
import { outcomeFromNetworkError } from '../outcome';
import { tokenKeyFor } from '../token-cache';
import type { AdapterContext, FailureOutcome } from '../types';
import { type SiigoCredentials, siigoPartnerId } from './credentials';
import { ERP, failureFromResponse, upstreamError } from './errors';

/** Re-authenticate this long before Siigo's 24 h token expires, so no call races the expiry. */
const TOKEN_MARGIN_MS = 60_000;

export const baseUrl = (ctx: { endpoint(name: string): string }) => ctx.endpoint('base').replace(/\/+$/, '');

/** Headers every Siigo call carries besides Authorization. */
export function siigoHeaders(): Record<string, string> {
  return { 'Partner-Id': siigoPartnerId(), 'Content-Type': 'application/json' };
}

/** Thrown from inside the token fetch so the caller can return the outcome (the cache only sees a failure). */
class AuthFailure extends Error {
  constructor(readonly outcome: FailureOutcome) {
    super(outcome.upstream.message);
  }
}

/** A network failure on a call that changes nothing upstream (auth, reads): never `unknown`. */
function readFailure(err: unknown): FailureOutcome {
  const o = outcomeFromNetworkError(ERP, err);
  return o.kind === 'unknown' ? { ...o, kind: 'transient' } : o;
}

/** POST /auth → access token. Accepts 200 and 201 (the blueprint says 201; which production sends is unconfirmed). */
async function fetchToken(
  ctx: AdapterContext<SiigoCredentials>,
): Promise<{ token: string; expiresAt: number }> {
  const { username, accessKey } = ctx.connection.credentials;
  let res: UpstreamResponse;
  try {
    res = await ctx.http.request({
      method: 'POST',
      url: `${baseUrl(ctx)}/auth`,
      headers: siigoHeaders(),
      body: { username, access_key: accessKey },
    });
  } catch (err) {
    throw new AuthFailure(readFailure(err));
  }
  if (res.status === 200 || res.status === 201) {
    const body = res.json as { access_token?: unknown; expires_in?: unknown } | undefined;
    if (typeof body?.access_token !== 'string' || !body.access_token) {
      throw new AuthFailure({
        kind: 'transient',
        upstream: {
          erp: ERP,
          status: res.status,
          code: 'invalid_token_response',
          message: 'Siigo /auth answered without an access_token',
        },
      });
    }
    // expires_in is seconds (86400 = the documented 24 h), despite the field note saying milliseconds.
    const seconds = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 86_400;
    return { token: body.access_token, expiresAt: ctx.now() + seconds * 1000 };
  }
  if (res.status === 400 || res.status === 401 || res.status === 403) {
    // Wrong user/key (401/403) needs new credentials from the tenant; a 400 is a bad Partner-Id or body.
    throw new AuthFailure({ kind: 'auth', upstream: upstreamError(res), reauthorize: res.status !== 400 });
  }
  throw new AuthFailure(failureFromResponse(res, { write: false }));
}

/** The company and API user the token belongs to (a replaced user or key is another token). */
const tokenKey = (ctx: AdapterContext<SiigoCredentials>) => {
  const { username, accessKey } = ctx.connection.credentials;
  return tokenKeyFor(ctx.connection, { base: baseUrl(ctx), username, accessKey });
};

async function token(ctx: AdapterContext<SiigoCredentials>): Promise<string> {
  return ctx.tokens.get(tokenKey(ctx), () => fetchToken(ctx), TOKEN_MARGIN_MS);
}

/** Drops the cached token and proves the credentials with a fresh /auth. */
export async function freshToken(ctx: AdapterContext<SiigoCredentials>): Promise<FailureOutcome | undefined> {
  ctx.tokens.invalidate(tokenKey(ctx));
  try {
    await token(ctx);
    return undefined;
  } catch (err) {
    if (err instanceof AuthFailure) return err.outcome;
    throw err;
  }
}

/**
 * One authorised call. A 401 means the cached token was refused (expired early, revoked), and Siigo did not
 * act on the call, so it re-authenticates once and repeats it. `write`: a create, whose network failures
 * after sending are `unknown` (the customer may exist).
 */
export async function siigoCall(
  ctx: AdapterContext<SiigoCredentials>,
  req: Omit<UpstreamRequest, 'timeoutMs'>,
  write: boolean,
): Promise<{ res: UpstreamResponse } | { failure: FailureOutcome }> {
  for (let attempt = 0; ; attempt++) {
    let bearer: string;
    try {
      bearer = await token(ctx);
    } catch (err) {
      if (err instanceof AuthFailure) return { failure: err.outcome };
      throw err;
    }
    let res: UpstreamResponse;
    try {
      res = await ctx.http.request({
        ...req,
        headers: { ...req.headers, Authorization: `Bearer ${bearer}` },
      });
    } catch (err) {
      return { failure: write ? outcomeFromNetworkError(ERP, err) : readFailure(err) };
    }
    if (res.status === 401 && attempt === 0) {
      ctx.tokens.invalidate(tokenKey(ctx));
      continue;
    }
    return { res };
  }
}
