import type { EndpointSpec } from '../types';

/**
 * `base`: the Accounting API host (sandbox companies live on their own host).
 * `authorize`: Intuit's consent page; `token`: the full OAuth 2.0 token URL; both the same for both environments.
 */
export const QUICKBOOKS_ENDPOINTS: Record<string, EndpointSpec> = {
  base: {
    env: 'QUICKBOOKS_BASE_URL',
    production: 'https://quickbooks.api.intuit.com',
    sandbox: 'https://sandbox-quickbooks.api.intuit.com',
  },
  /** Intuit's consent page (authorization code), the same for both environments. */
  authorize: {
    env: 'QUICKBOOKS_AUTHORIZE_URL',
    production: 'https://appcenter.intuit.com/connect/oauth2',
    sandbox: 'https://appcenter.intuit.com/connect/oauth2',
  },
  token: {
    env: 'QUICKBOOKS_TOKEN_URL',
    production: 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer',
    sandbox: 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer',
  },
};

/** Minor version 75 is the baseline since 1 Aug 2025 (1–74 discontinued); sent explicitly so behaviour never drifts. */
export const MINOR_VERSION = '75';

/** `/v3/company/{realmId}` under the resolved base URL, without a trailing slash. */
export function companyUrl(base: string, realmId: string): string {
  return `${base.replace(/\/+$/, '')}/v3/company/${encodeURIComponent(realmId)}`;
}
