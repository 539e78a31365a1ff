import type { EndpointSpec } from '../types';

/**
 * One host for every Alegra company; the country comes from the account, not the URL. Alegra documents no sandbox
 * for the accounting API: a trial/demo company with its own email and token is the usual "sandbox", on the same host.
 */
const REAL_BASE = 'https://api.alegra.com/api/v1';

export const ALEGRA_ENDPOINTS: Record<string, EndpointSpec> = {
  base: { env: 'ALEGRA_BASE_URL', production: REAL_BASE, sandbox: REAL_BASE },
};

/** `{base}/contacts` with the trailing slash of an override tolerated. */
export function contactsUrl(base: string): string {
  return `${base.replace(/\/+$/, '')}/contacts`;
}
