import type { EndpointSpec } from '../types';

/**
 * One host for everything: a test environment is another database number on the same API
 * (UNVERIFIED: no separate test host is documented). The base includes `/v1`.
 */
const REAL_BASE = 'https://api.next-tech.com/v1';

export const NEXT_ENDPOINTS: Record<string, EndpointSpec> = {
  api: { env: 'NEXT_BASE_URL', production: REAL_BASE, sandbox: REAL_BASE },
};

/** The resolved base without a trailing slash. */
export function apiBase(resolved: string): string {
  return resolved.replace(/\/+$/, '');
}

/** Collection paths end in `/` in NEXT's docs (`/v1/customer/`); FastAPI redirects the other spelling. */
export const CUSTOMER_PATH = '/customer/';
export const TOKEN_PATH = '/token';

/** Cloudflare in front of the API is reported to block default library agents (UNVERIFIED), so name ourselves. */
export const USER_AGENT = 'ERPBridge/1.0 (+https://github.com/erp-bridge)';
