import { createHash, createPublicKey, randomBytes } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import { consentError, consentPage, redirectTo } from './consent-page';
import { basicAuth, type Route, type SimRequest, type SimResponse } from './kit';

/**
 * NetSuite OAuth 2.0, as Oracle documents it (../shared/erp/netsuite.md §4.2 B; NetSuite Help sections 158081944642,
 * 158081952044, 160855594402 and "OAuth 2.0 Client Credentials (M2M) Setup"), written with `jose` and node:crypto
 * on the verifying side only:
 * - `GET /{account}/app/login/oauth2/authorize.nl`: `response_type=code`, a client id of an integration of that
 *   account, its registered `redirect_uri`, `scope` with rest_webservices, a `state` of 22–1024 printable
 *   characters, and PKCE with `code_challenge_method=S256` (NetSuite refuses `plain`; required for new
 *   integrations from 2027.1). Allow → `redirect_uri?state&role&entity&company&code`, deny → `error=access_denied`.
 * - `POST /{account}/services/rest/auth/oauth2/v1/token`:
 *   `authorization_code` (Basic client auth, the code once and within 10 minutes, the same redirect_uri, a
 *   `code_verifier` whose S256 is the challenge — else 400 `invalid_grant`) → access token (3600 s) + refresh
 *   token (a JWT, 7 days by default); `refresh_token` → an access token only (confidential clients);
 *   `client_credentials` with a JWT client assertion: `kid` must name a certificate of the account, the signature
 *   must verify with its public key (PS256/384/512 or ES256/384/512), `iss` the client id the certificate is mapped
 *   to, `aud` the token URL as addressed, `exp` in the future and at most an hour after `iat`, and `scope` must
 *   include rest_webservices — else 401 `invalid_client` (400 `invalid_grant` for a bad scope).
 * - Every REST call may carry `Authorization: Bearer <access token>` of that account instead of a TBA signature.
 */
export interface NetSuiteIntegration {
  /** Canonical account id (`1234567_SB1`). */
  accountId: string;
  clientId: string;
  clientSecret: string;
  redirectUris?: string[];
  /** M2M certificates mapped to this integration: id → public key (PEM, or an X.509 certificate). */
  certificates?: { certificateId: string; publicKey: string }[];
}

export interface NetSuiteOAuth2Options {
  now: () => number;
  integrations: NetSuiteIntegration[];
  /** The addressed account's host form (`1234567-sb1`), from the path or Host header. */
  accountOf: (req: SimRequest) => string | undefined;
  refreshTokenTtlMs?: number;
  accessTokenTtlSeconds?: number;
}

const CODE_TTL_MS = 10 * 60_000;
const SCOPE = 'rest_webservices';
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const ALGORITHMS = ['PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];
const hostForm = (accountId: string) => accountId.toLowerCase().replace(/_/g, '-');
const rand = (prefix: string) => `${prefix}${randomBytes(24).toString('base64url')}`;
const oauthError = (status: number, error: string, description?: string): SimResponse => ({
  status,
  body: { error, ...(description ? { error_description: description } : {}) },
});

interface Code {
  integration: string;
  accountId: string;
  redirectUri: string;
  challenge: string;
  expiresAt: number;
  used?: boolean;
}

export function netsuiteOAuth2(o: NetSuiteOAuth2Options) {
  const accessTtl = (o.accessTokenTtlSeconds ?? 3600) * 1000;
  const refreshTtl = o.refreshTokenTtlMs ?? 7 * 86_400_000;
  const signingKey = randomBytes(32);
  let codes = new Map<string, Code>();
  let accessTokens = new Map<string, { accountId: string; expiresAt: number }>();
  let refreshTokens = new Map<string, { clientId: string; accountId: string; expiresAt: number }>();
  let grants = { authorizationCode: 0, refresh: 0, clientCredentials: 0 };

  const integrationOf = (clientId: string, account: string | undefined) =>
    o.integrations.find((i) => i.clientId === clientId && hostForm(i.accountId) === account);

  const issueAccess = (accountId: string) => {
    const token = rand('ns-at-');
    accessTokens.set(token, { accountId, expiresAt: o.now() + accessTtl });
    return token;
  };

  /** The authorize request checked before any page is shown; a problem is shown, not redirected. */
  const authorizeProblem = (q: URLSearchParams, account: string | undefined) => {
    const integration = integrationOf(q.get('client_id') ?? '', account);
    if (!integration) return { problem: 'Invalid client_id for this account.' };
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!(integration.redirectUris ?? []).includes(redirectUri)) {
      return { problem: 'The redirect_uri does not match the redirect URI of the integration record.' };
    }
    if (q.get('response_type') !== 'code') return { problem: 'response_type must be code.' };
    if (!(q.get('scope') ?? '').split(/\s+/).includes(SCOPE))
      return { problem: `scope must include ${SCOPE}.` };
    const state = q.get('state') ?? '';
    if (!/^[\x20-\x7e]{22,1024}$/.test(state)) {
      return {
        problem: 'The length of the state parameter must be between 22 and 1024 printable characters.',
      };
    }
    if (
      q.get('code_challenge_method') !== 'S256' ||
      !/^[A-Za-z0-9_-]{43,128}$/.test(q.get('code_challenge') ?? '')
    ) {
      return { problem: 'PKCE is required: code_challenge with code_challenge_method=S256.' };
    }
    return { integration, redirectUri, state };
  };

  const carried = [
    'response_type',
    'client_id',
    'redirect_uri',
    'scope',
    'state',
    'code_challenge',
    'code_challenge_method',
  ];

  const authorize = (req: SimRequest): SimResponse => {
    const account = o.accountOf(req);
    const checked = authorizeProblem(req.query, account);
    if ('problem' in checked) return consentError(checked.problem as string);
    return consentPage({
      title: `NetSuite — ${checked.integration.accountId}`,
      request:
        'This application asks for access to your NetSuite account through REST web services (rest_webservices).',
      action: `/${account}/app/login/oauth2/consent.nl`,
      carry: Object.fromEntries(carried.map((k) => [k, req.query.get(k) ?? ''])),
    });
  };

  const decide = (req: SimRequest): SimResponse => {
    const account = o.accountOf(req);
    const form = new URLSearchParams((req.body ?? {}) as Record<string, string>);
    const checked = authorizeProblem(form, account);
    if ('problem' in checked) return consentError(checked.problem as string);
    if (form.get('decision') !== 'allow') {
      return redirectTo(checked.redirectUri, { error: 'access_denied', state: checked.state });
    }
    const code = rand('ns-code-');
    codes.set(code, {
      integration: checked.integration.clientId,
      accountId: checked.integration.accountId,
      redirectUri: checked.redirectUri,
      challenge: form.get('code_challenge') as string,
      expiresAt: o.now() + CODE_TTL_MS,
    });
    return redirectTo(checked.redirectUri, {
      state: checked.state,
      role: '3',
      entity: '-5',
      company: checked.integration.accountId,
      code,
    });
  };

  const authorizationCode = async (form: Record<string, string>, integration: NetSuiteIntegration) => {
    const c = codes.get(form.code ?? '');
    if (!c || c.used || c.expiresAt <= o.now() || c.integration !== integration.clientId) {
      return oauthError(400, 'invalid_grant', 'The authorization code is invalid or expired.');
    }
    c.used = true;
    if (form.redirect_uri !== c.redirectUri)
      return oauthError(400, 'invalid_grant', 'redirect_uri mismatch.');
    const verifier = form.code_verifier ?? '';
    if (createHash('sha256').update(verifier).digest('base64url') !== c.challenge) {
      return oauthError(400, 'invalid_grant', 'The code_verifier does not match the code_challenge.');
    }
    const iat = Math.floor(o.now() / 1000);
    const exp = Math.floor((o.now() + refreshTtl) / 1000);
    const refresh = await new SignJWT({ scope: [SCOPE] })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer('https://system.netsuite.com')
      .setSubject(c.accountId)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(rand(''))
      .sign(signingKey);
    refreshTokens.set(refresh, {
      clientId: integration.clientId,
      accountId: c.accountId,
      expiresAt: exp * 1000,
    });
    grants.authorizationCode++;
    return {
      status: 200,
      body: {
        access_token: issueAccess(c.accountId),
        refresh_token: refresh,
        expires_in: accessTtl / 1000,
        token_type: 'bearer',
      },
    };
  };

  const refreshGrant = (form: Record<string, string>, integration: NetSuiteIntegration): SimResponse => {
    const r = refreshTokens.get(form.refresh_token ?? '');
    if (!r || r.clientId !== integration.clientId || r.expiresAt <= o.now()) {
      return oauthError(400, 'invalid_grant', 'The refresh token is invalid or expired.');
    }
    grants.refresh++;
    return {
      status: 200,
      body: { access_token: issueAccess(r.accountId), expires_in: accessTtl / 1000, token_type: 'bearer' },
    };
  };

  const clientCredentials = async (req: SimRequest, form: Record<string, string>): Promise<SimResponse> => {
    const account = o.accountOf(req);
    if (form.client_assertion_type !== ASSERTION_TYPE) {
      return oauthError(400, 'invalid_request', `client_assertion_type must be ${ASSERTION_TYPE}`);
    }
    const assertion = form.client_assertion ?? '';
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(assertion).kid;
    } catch {
      return oauthError(401, 'invalid_client', 'The client assertion is not a JWT.');
    }
    const mapped = o.integrations
      .filter((i) => hostForm(i.accountId) === account)
      .flatMap((i) => (i.certificates ?? []).map((c) => ({ integration: i, cert: c })))
      .find((m) => m.cert.certificateId === kid);
    if (!mapped)
      return oauthError(401, 'invalid_client', 'No certificate with this kid is mapped in the account.');
    try {
      const { payload } = await jwtVerify(assertion, createPublicKey(mapped.cert.publicKey), {
        algorithms: ALGORITHMS,
        issuer: mapped.integration.clientId,
        audience: `http://${String(req.headers.host ?? '')}${req.path}`,
        currentDate: new Date(o.now()),
        requiredClaims: ['exp', 'iat'],
      });
      if ((payload.exp as number) - (payload.iat as number) > 3600) {
        return oauthError(401, 'invalid_client', 'exp must be at most one hour after iat.');
      }
      const scope = Array.isArray(payload.scope)
        ? payload.scope
        : String(payload.scope ?? '').split(/[\s,]+/);
      if (!scope.includes(SCOPE)) return oauthError(400, 'invalid_grant', `scope must include ${SCOPE}.`);
    } catch (e) {
      return oauthError(401, 'invalid_client', `The client assertion is not valid: ${(e as Error).message}`);
    }
    grants.clientCredentials++;
    return {
      status: 200,
      body: {
        access_token: issueAccess(mapped.integration.accountId),
        expires_in: accessTtl / 1000,
        token_type: 'bearer',
      },
    };
  };

  const token = async (req: SimRequest): Promise<SimResponse> => {
    const form = (req.body ?? {}) as Record<string, string>;
    if (form.grant_type === 'client_credentials') return clientCredentials(req, form);
    const client = basicAuth(req.headers);
    const integration = client ? integrationOf(client[0], o.accountOf(req)) : undefined;
    if (!client || !integration || integration.clientSecret !== client[1]) {
      return oauthError(401, 'invalid_client', 'Invalid client credentials.');
    }
    if (form.grant_type === 'authorization_code') return authorizationCode(form, integration);
    if (form.grant_type === 'refresh_token') return refreshGrant(form, integration);
    return oauthError(400, 'unsupported_grant_type');
  };

  const account = '(?:/(?<account>[a-z0-9-]+))?';
  const routes: Route[] = [
    { method: 'GET', path: new RegExp(`^${account}/app/login/oauth2/authorize\\.nl$`), handler: authorize },
    { method: 'POST', path: new RegExp(`^${account}/app/login/oauth2/consent\\.nl$`), handler: decide },
    { method: 'POST', path: new RegExp(`^${account}/services/rest/auth/oauth2/v1/token$`), handler: token },
  ];

  return {
    routes,
    /** The account a live Bearer access token belongs to, or undefined. */
    bearerAccount(token: string): string | undefined {
      const t = accessTokens.get(token);
      return t && t.expiresAt > o.now() ? t.accountId : undefined;
    },
    grants: () => ({ ...grants }),
    /** Ends every refresh token now (the next refresh answers invalid_grant). */
    expireRefreshTokens() {
      for (const r of refreshTokens.values()) r.expiresAt = Math.min(r.expiresAt, o.now());
    },
    expireAccessTokens() {
      for (const t of accessTokens.values()) t.expiresAt = Math.min(t.expiresAt, o.now());
    },
    reset() {
      codes = new Map();
      accessTokens = new Map();
      refreshTokens = new Map();
      grants = { authorizationCode: 0, refresh: 0, clientCredentials: 0 };
    },
  };
}
