import type { UpstreamResponse } from '../../http/upstream';
import { UpstreamNetworkError } from '../../http/upstream';
import { basicClientAuth, connectionApp, tokenErrorOutcome } from '../oauth2';
import { tokenKeyFor } from '../token-cache';
import type { AdapterContext, OAuthApp } from '../types';
import type { QuickBooksCredentials } from './credentials';
import { ERP, QuickBooksFailure } from './failure';

/** Access tokens are replaced this long before they expire (they live 3600 s). */
export const MIN_TOKEN_VALIDITY_MS = 120_000;
/** How long one refresh may hold the connection's lock, and how long another worker waits for it. */
const LOCK = { ttlMs: 30_000, waitMs: 35_000 };

/**
 * The cached access token's key: the company (realm) and the app (its own client, or the stage's: `app`), plus
 * the environment. The refresh token is left out: it rotates on every refresh without naming another company.
 */
export const cacheKey = (ctx: AdapterContext<QuickBooksCredentials>) => {
  const { realmId, clientId, clientSecret, app } = ctx.connection.credentials;
  return tokenKeyFor(ctx.connection, { token: ctx.endpoint('token'), realmId, clientId, clientSecret, app });
};

interface IssuedToken {
  token: string;
  expiresAt: number;
}

/** The stored access token when it is still good for a while and is not the one QuickBooks just refused. */
function usable(c: QuickBooksCredentials, now: number, rejected?: string): IssuedToken | undefined {
  if (!c.accessToken || !c.accessTokenExpiresAt) return undefined;
  if (c.accessToken === rejected) return undefined;
  if (c.accessTokenExpiresAt - MIN_TOKEN_VALIDITY_MS <= now) return undefined;
  return { token: c.accessToken, expiresAt: c.accessTokenExpiresAt };
}

/**
 * An access token for this connection. Refreshes are single-flight across workers: inside the connection's lock
 * the stored credentials are read again, since another worker may have rotated them and left a fresh access token.
 * `rejected` is a token QuickBooks answered 401 to, never to be reused.
 */
export async function obtainAccessToken(
  ctx: AdapterContext<QuickBooksCredentials>,
  rejected?: string,
): Promise<IssuedToken> {
  const known = usable(ctx.connection.credentials, ctx.now(), rejected);
  if (known) return known;
  try {
    return await ctx.locks.withLock(
      `qbo-refresh:${ctx.connection.tenantId}/${ctx.connection.connectionId}`,
      LOCK,
      async () => {
        const fresh = await ctx.connection.reloadCredentials();
        const rotatedByOther = usable(fresh, ctx.now(), rejected);
        if (rotatedByOther) return rotatedByOther;
        return refresh(ctx, fresh);
      },
    );
  } catch (err) {
    if (err instanceof QuickBooksFailure) throw err;
    // The lock was not obtained in time, or the store could not be read: nothing was sent, try again later.
    throw new QuickBooksFailure({
      kind: 'transient',
      upstream: {
        erp: ERP,
        code: 'token_refresh_unavailable',
        message: 'could not refresh the QuickBooks token now',
      },
    });
  }
}

/** A cached access token (per process), obtained as above when missing or about to expire. */
export function accessToken(ctx: AdapterContext<QuickBooksCredentials>): Promise<string> {
  return ctx.tokens.get(cacheKey(ctx), () => obtainAccessToken(ctx), MIN_TOKEN_VALIDITY_MS);
}

/** After a 401: forget the token, get another one (refreshing unless another worker already did). */
export function replaceAccessToken(
  ctx: AdapterContext<QuickBooksCredentials>,
  rejected: string,
): Promise<string> {
  ctx.tokens.invalidate(cacheKey(ctx));
  return ctx.tokens.get(cacheKey(ctx), () => obtainAccessToken(ctx, rejected), MIN_TOKEN_VALIDITY_MS);
}

/**
 * The Intuit app the refresh token belongs to: the connection's own client, or the stage's app
 * (`app: "operator"`, connections made on the connect page) read from the operator's store.
 */
export async function appOf(
  ctx: Pick<AdapterContext<QuickBooksCredentials>, 'apps' | 'connection'>,
  c: QuickBooksCredentials,
): Promise<OAuthApp> {
  const app = await connectionApp(ctx, 'quickbooks', c);
  if (app) return app;
  throw new QuickBooksFailure({
    kind: 'auth',
    upstream: {
      erp: ERP,
      code: 'oauth_app_missing',
      message: `the operator's QuickBooks app (${ctx.connection.environment}) is not configured for this stage`,
    },
  });
}

/**
 * `grant_type=refresh_token` against the token endpoint. The answer may carry a new refresh token (rotation):
 * it is saved to the connection store BEFORE the new access token is handed out, so a crash right after can
 * never leave the connection with only a superseded refresh token.
 */
async function refresh(
  ctx: AdapterContext<QuickBooksCredentials>,
  creds: QuickBooksCredentials,
): Promise<IssuedToken> {
  const app = await appOf(ctx, creds);
  let res: UpstreamResponse;
  try {
    res = await ctx.http.request({
      method: 'POST',
      url: ctx.endpoint('token'),
      headers: {
        Authorization: basicClientAuth(app),
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
      },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: creds.refreshToken,
      }).toString(),
    });
  } catch (err) {
    // A token call creates nothing, and the previous refresh token stays valid for 24 h: simply retry later.
    if (err instanceof UpstreamNetworkError) {
      throw new QuickBooksFailure({
        kind: 'transient',
        upstream: { erp: ERP, code: `token_${err.kind}`, message: `token endpoint: ${err.message}` },
      });
    }
    throw err;
  }
  if (res.status !== 200) throw new QuickBooksFailure(await tokenFailure(ctx, res));

  const body = (res.json ?? {}) as Record<string, unknown>;
  const access = body.access_token;
  if (typeof access !== 'string' || access === '') {
    throw new QuickBooksFailure({
      kind: 'transient',
      upstream: {
        erp: ERP,
        status: 200,
        code: 'token_malformed',
        message: 'token endpoint answered without an access_token',
      },
    });
  }
  const now = ctx.now();
  const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 3600;
  const refreshIn = body.x_refresh_token_expires_in;
  const next: QuickBooksCredentials = {
    ...creds,
    refreshToken:
      typeof body.refresh_token === 'string' && body.refresh_token ? body.refresh_token : creds.refreshToken,
    accessToken: access,
    accessTokenExpiresAt: now + expiresIn * 1000,
    ...(typeof refreshIn === 'number' ? { refreshTokenExpiresAt: now + refreshIn * 1000 } : {}),
  };
  try {
    await ctx.connection.saveCredentials(next);
  } catch {
    // Not saved → not used: the stored refresh token still works (24 h grace), so the next attempt refreshes again.
    throw new QuickBooksFailure({
      kind: 'transient',
      upstream: {
        erp: ERP,
        code: 'credentials_not_saved',
        message: 'the rotated QuickBooks tokens could not be stored',
      },
    });
  }
  return { token: access, expiresAt: next.accessTokenExpiresAt as number };
}

/** OAuth error JSON (`{"error":"invalid_grant"}`) → outcome; `invalid_grant` means the tenant must reconnect. */
async function tokenFailure(ctx: AdapterContext<QuickBooksCredentials>, res: UpstreamResponse) {
  const outcome = tokenErrorOutcome(ERP, res);
  if (outcome.kind === 'auth' && outcome.reauthorize) {
    await ctx.connection
      .markNeedsReauth('QuickBooks rejected the refresh token (invalid_grant): reconnect the app')
      .catch(() => undefined);
  }
  return outcome;
}
