import { createPrivateKey, type KeyObject, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { basicClientAuth, connectionApp, issuedToken, postTokenForm } from '../oauth2';
import { tokenKeyFor } from '../token-cache';
import type { AdapterContext, FailureOutcome, OAuthApp, RequestContext, TokenKey } from '../types';
import type { NetSuiteCredentials, NetSuiteM2mCredentials, NetSuiteOAuth2Credentials } from './credentials';
import { accountHostId } from './credentials';
import { ERP } from './errors';

/**
 * NetSuite OAuth 2.0 (../shared/erp/netsuite.md §4.2 B; Oracle, "OAuth 2.0 Client Credentials (M2M) Setup" and
 * "Refresh Token POST Request to the Token Endpoint"): both grants end in a one-hour Bearer access token from
 * `…/services/rest/auth/oauth2/v1/token`, cached per process per credential fingerprint.
 * - Client credentials: a JWT client assertion signed with the certificate's private key (PS256 or ES256,
 *   `kid` = certificate id, `iss` = client id, `aud` = the token endpoint, `scope` = rest_webservices).
 * - Authorization code: the stored refresh token (7 days by default) with the app's client id and secret as HTTP
 *   Basic; NetSuite answers a confidential client with an access token only, so nothing is written back.
 */
export const TOKEN_PATH = '/services/rest/auth/oauth2/v1/token';
/** Replace an access token this long before it expires (they live 3600 s). */
export const MIN_TOKEN_VALIDITY_MS = 120_000;
/** The assertion is used at once: a short life narrows any replay (NetSuite allows at most an hour). */
export const ASSERTION_TTL_SECONDS = 300;
export const SCOPE = 'rest_webservices';
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** A failure decided before the REST call was sent (the token): carried to the adapter as an outcome. */
export class NetSuiteTokenFailure extends Error {
  constructor(readonly outcome: FailureOutcome) {
    super(outcome.upstream.message);
    this.name = 'NetSuiteTokenFailure';
  }
}

/** The token endpoint of an account: `https://<account host>.suitetalk.api.netsuite.com/…/token`. */
export function accountTokenUrl(endpoint: (name: string) => string, accountId: string): string {
  const host = accountHostId(accountId);
  return `${endpoint('base').replaceAll('{accountId}', host).replace(/\/+$/, '')}${TOKEN_PATH}`;
}

const tokenUrl = (ctx: Pick<RequestContext<NetSuiteCredentials>, 'endpoint' | 'connection'>) =>
  accountTokenUrl(ctx.endpoint, ctx.connection.credentials.accountId);

/** The private key as Node reads it: PKCS#8, PKCS#1 (RSA) and SEC1 (EC) PEM all work. */
export function m2mKey(c: NetSuiteM2mCredentials): { key: KeyObject; alg: 'PS256' | 'ES256' } {
  const key = createPrivateKey(c.privateKey);
  const alg = c.algorithm ?? (key.asymmetricKeyType === 'ec' ? 'ES256' : 'PS256');
  return { key, alg };
}

/** The signed JWT client assertion of a client-credentials token request (RFC 7523 §2.2). */
export async function clientAssertion(c: NetSuiteM2mCredentials, audience: string, nowMs: number) {
  const { key, alg } = m2mKey(c);
  const iat = Math.floor(nowMs / 1000);
  return new SignJWT({ scope: [SCOPE] })
    .setProtectedHeader({ alg, kid: c.certificateId, typ: 'JWT' })
    .setIssuer(c.clientId)
    .setAudience(audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ASSERTION_TTL_SECONDS)
    .setJti(randomUUID())
    .sign(key);
}

/** The app of an authorization-code connection: its own client, or the stage's integration (`app: "operator"`). */
async function appOf(
  ctx: AdapterContext<NetSuiteCredentials>,
  c: NetSuiteOAuth2Credentials,
): Promise<OAuthApp> {
  const app = await connectionApp(ctx, 'netsuite', c);
  if (app) return app;
  throw new NetSuiteTokenFailure({
    kind: 'auth',
    upstream: {
      erp: ERP,
      code: 'oauth_app_missing',
      message: `the operator's NetSuite integration (${ctx.connection.environment}) is not configured for this stage`,
    },
  });
}

async function fetchToken(
  ctx: AdapterContext<NetSuiteCredentials>,
  c: NetSuiteM2mCredentials | NetSuiteOAuth2Credentials,
): Promise<{ token: string; expiresAt: number }> {
  const url = tokenUrl(ctx);
  let sent: Awaited<ReturnType<typeof postTokenForm>>;
  if (c.auth === 'oauth2_m2m') {
    let assertion: string;
    try {
      assertion = await clientAssertion(c, url, ctx.now());
    } catch {
      throw new NetSuiteTokenFailure({
        kind: 'auth',
        upstream: {
          erp: ERP,
          code: 'invalid_private_key',
          message: 'the private key cannot sign a PS256 or ES256 client assertion',
        },
      });
    }
    sent = await postTokenForm(ctx.http, ERP, url, {
      grant_type: 'client_credentials',
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: assertion,
    });
  } else {
    const app = await appOf(ctx, c);
    sent = await postTokenForm(
      ctx.http,
      ERP,
      url,
      { grant_type: 'refresh_token', refresh_token: c.refreshToken },
      basicClientAuth(app),
    );
  }
  if ('failure' in sent) throw new NetSuiteTokenFailure(sent.failure);
  const issued = issuedToken(ERP, sent.res, ctx.now());
  if ('failure' in issued) {
    if (issued.failure.kind === 'auth' && issued.failure.reauthorize) {
      await ctx.connection
        .markNeedsReauth(
          'NetSuite refused the refresh token (invalid_grant): the end user must consent again',
        )
        .catch(() => undefined);
    }
    throw new NetSuiteTokenFailure(issued.failure);
  }
  return { token: issued.accessToken, expiresAt: issued.expiresAt };
}

/**
 * The cache key of a connection's access token: the connection and a fingerprint of what obtained it (never the
 * secret itself), so replaced credentials never reuse a token of the old ones.
 */
export function bearerKey(
  ctx: AdapterContext<NetSuiteCredentials>,
  c: NetSuiteM2mCredentials | NetSuiteOAuth2Credentials,
): TokenKey {
  const identity =
    c.auth === 'oauth2_m2m'
      ? {
          auth: c.auth,
          accountId: c.accountId,
          clientId: c.clientId,
          certificateId: c.certificateId,
          privateKey: c.privateKey,
        }
      : {
          auth: c.auth,
          accountId: c.accountId,
          app: c.app,
          clientId: c.clientId,
          clientSecret: c.clientSecret,
          refreshToken: c.refreshToken,
        };
  return tokenKeyFor(ctx.connection, identity);
}

/** A Bearer token for this call; `renew` after a 401 (the cached one was refused). */
export async function bearerToken(
  ctx: AdapterContext<NetSuiteCredentials>,
  c: NetSuiteM2mCredentials | NetSuiteOAuth2Credentials,
  renew: boolean,
): Promise<string> {
  const key = bearerKey(ctx, c);
  if (renew) ctx.tokens.invalidate(key);
  return ctx.tokens.get(key, () => fetchToken(ctx, c), MIN_TOKEN_VALIDITY_MS);
}
