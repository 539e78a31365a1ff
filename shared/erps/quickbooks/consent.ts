import { basicClientAuth, issuedToken, postTokenForm } from '../oauth2';
import type { OAuthConsent } from '../types';
import type { QuickBooksCredentials } from './credentials';
import { ERP } from './failure';

/** The Accounting API scope (Intuit's `oauthclient.properties`: ACCOUNTING). */
export const ACCOUNTING_SCOPE = 'com.intuit.quickbooks.accounting';
/** Intuit asks apps to prompt a reconnect well before the refresh token's end: 30 days ahead. */
export const EXPIRY_NOTICE_MS = 30 * 86_400_000;

/**
 * QuickBooks Online authorization code (../shared/erp/quickbooks.md §3.2; intuit/oauth-jsclient): the end user
 * picks a company and consents at `https://appcenter.intuit.com/connect/oauth2`; Intuit redirects with `code`,
 * `state` and the company's `realmId`; the code is exchanged at the token endpoint with the app's client id and
 * secret (HTTP Basic) and the same redirect_uri. The answer's `x_refresh_token_expires_in` dates the refresh
 * token. The stored connection names the stage's app (`app: "operator"`), never its secret.
 */
export const quickbooksConsent: OAuthConsent<QuickBooksCredentials> = {
  pkce: false,
  authorizeUrl({ endpoint, app, redirectUri, state }) {
    const url = new URL(endpoint('authorize'));
    url.search = new URLSearchParams({
      client_id: app.clientId,
      response_type: 'code',
      scope: ACCOUNTING_SCOPE,
      redirect_uri: redirectUri,
      state,
    }).toString();
    return url.href;
  },
  async exchange({ http, endpoint, now, app, code, redirectUri, callback }) {
    const realmId = callback.get('realmId') ?? '';
    if (!/^\d{1,32}$/.test(realmId)) {
      return {
        kind: 'invalid',
        upstream: {
          erp: ERP,
          code: 'missing_realm',
          message: 'Intuit sent no company (realmId) with the consent',
        },
      };
    }
    const sent = await postTokenForm(
      http,
      ERP,
      endpoint('token'),
      { grant_type: 'authorization_code', code, redirect_uri: redirectUri },
      basicClientAuth(app),
    );
    if ('failure' in sent) return sent.failure;
    const t = now();
    const issued = issuedToken(ERP, sent.res, t);
    if ('failure' in issued) return issued.failure;
    const { body } = issued;
    const refresh = body.refresh_token;
    if (typeof refresh !== 'string' || !refresh) {
      return {
        kind: 'transient',
        upstream: { erp: ERP, code: 'token_malformed', message: 'Intuit answered without a refresh token' },
      };
    }
    const refreshIn = Number(body.x_refresh_token_expires_in);
    return {
      kind: 'ok',
      credentials: {
        realmId,
        app: 'operator',
        refreshToken: refresh,
        accessToken: issued.accessToken,
        accessTokenExpiresAt: issued.expiresAt,
        ...(refreshIn > 0 ? { refreshTokenExpiresAt: t + refreshIn * 1000 } : {}),
      },
    };
  },
};
