import type { EndpointSpec } from '../types';

/** Every ChargeOver account has its own sub-domain; there is no separate sandbox host (a second instance is the sandbox). */
const REAL_BASE = 'https://{instance}.chargeover.com/api/v3';

export const CHARGEOVER_ENDPOINTS: Record<string, EndpointSpec> = {
  api: { env: 'CHARGEOVER_BASE_URL', production: REAL_BASE, sandbox: REAL_BASE },
};

/** The API base URL for one instance: `{instance}` filled in, no trailing slash. */
export function apiBase(resolved: string, instance: string): string {
  return resolved.replaceAll('{instance}', encodeURIComponent(instance)).replace(/\/+$/, '');
}
