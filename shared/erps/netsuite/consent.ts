import { decodeJwt } from 'jose';
import * as z from 'zod';
import { basicClientAuth, issuedToken, postTokenForm } from '../oauth2';
import type { FailureOutcome, OAuthConsent } from '../types';
import {
  accountHostId,
  accountIdSchema,
  canonicalAccountId,
  type NetSuiteCredentials,
  subsidiaryId,
} from './credentials';
import { ERP } from './errors';
import { accountTokenUrl, SCOPE } from './oauth2';

/** NetSuite's default refresh-token life when the token itself does not say (Oracle: 7 days, configurable). */
export const DEFAULT_REFRESH_TOKEN_MS = 7 * 86_400_000;
/** A 7-day token is announced two days ahead (connection.expiring); 30 days would be before it was issued. */
export const EXPIRY_NOTICE_MS = 2 * 86_400_000;

/** What the page asks before the redirect (the account names the consent host), labelled as in the TBA form. */
const startFields = z.strictObject({ accountId: accountIdSchema, subsidiaryId });

const failure = (code: string, message: string): FailureOutcome => ({
  kind: 'auth',
  upstream: { erp: ERP, code, message },
});

/** When the refresh token (a JWT) says it expires; NetSuite's default life when it cannot be read. */
function refreshTokenExpiresAt(token: string, now: number): number {
  try {
    const exp = decodeJwt(token).exp;
    if (typeof exp === 'number' && exp * 1000 > now) return exp * 1000;
  } catch {
    // Not a JWT: fall back to the documented default.
  }
  return now + DEFAULT_REFRESH_TOKEN_MS;
}

/**
 * NetSuite OAuth 2.0 authorization code with PKCE (Oracle, "Step One GET Request to the Authorization Endpoint",
 * section_158081944642, and "Step Two POST Request to the Token Endpoint", section_158081952044): the end user
 * consents at `https://<account>.app.netsuite.com/app/login/oauth2/authorize.nl` (scope rest_webservices, state of
 * 22–1024 printable characters, S256 only: NetSuite refuses `plain`); the code is exchanged with the same
 * redirect_uri, the code_verifier and the integration's client id and secret (HTTP Basic). The redirect names the
 * account in `company` [inferred from the TBA flow's redirect]: a consent for another account is refused.
 */
export const netsuiteConsent: OAuthConsent<NetSuiteCredentials> = {
  startFields,
  pkce: true,
  authorizeUrl({ endpoint, app, redirectUri, state, codeChallenge, start }) {
    const host = accountHostId(start.accountId ?? '');
    const url = new URL(endpoint('authorize').replaceAll('{accountId}', host));
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: app.clientId,
      redirect_uri: redirectUri,
      scope: SCOPE,
      state,
      code_challenge: codeChallenge ?? '',
      code_challenge_method: 'S256',
    }).toString();
    return url.href;
  },
  async exchange({ http, endpoint, now, app, code, redirectUri, codeVerifier, callback, start }) {
    const accountId = start.accountId ?? '';
    const company = callback.get('company');
    if (company && canonicalAccountId(company) !== accountId) {
      return failure(
        'account_mismatch',
        `the consent was given in NetSuite account ${company.slice(0, 40)}, not ${accountId}`,
      );
    }
    const sent = await postTokenForm(
      http,
      ERP,
      accountTokenUrl(endpoint, accountId),
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        code_verifier: codeVerifier ?? '',
      },
      basicClientAuth(app),
    );
    if ('failure' in sent) return sent.failure;
    const issued = issuedToken(ERP, sent.res, now());
    if ('failure' in issued) return issued.failure;
    const refresh = issued.body.refresh_token;
    if (typeof refresh !== 'string' || !refresh) {
      return failure('token_malformed', 'NetSuite answered the code exchange without a refresh token');
    }
    return {
      kind: 'ok',
      credentials: {
        auth: 'oauth2',
        accountId,
        app: 'operator',
        refreshToken: refresh,
        refreshTokenExpiresAt: refreshTokenExpiresAt(refresh, now()),
        ...(start.subsidiaryId ? { subsidiaryId: start.subsidiaryId } : {}),
      },
    };
  },
};
