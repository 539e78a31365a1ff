import type { UpstreamRequest, UpstreamResponse } from '../../http/upstream';
import type { AdapterContext } from '../types';
import type { ChargeOverCredentials } from './credentials';
import { apiBase } from './endpoints';

/** The API base URL of the connection's instance (`CHARGEOVER_BASE_URL` may hold `{instance}`). */
export function baseUrl(ctx: { endpoint(name: string): string }, creds: ChargeOverCredentials): string {
  return apiBase(ctx.endpoint('api'), creds.instance);
}

function basicAuth(creds: ChargeOverCredentials): string {
  return `Basic ${Buffer.from(`${creds.username}:${creds.privateKey}`).toString('base64')}`;
}

const sameCredentials = (a: ChargeOverCredentials, b: ChargeOverCredentials) =>
  a.instance === b.instance && a.username === b.username && a.privateKey === b.privateKey;

/**
 * Sends one call with HTTP Basic auth. ChargeOver has no token to refresh, so the "re-authenticate once" step is:
 * on a 401, read the stored credentials again (the tenant may have just replaced the key) and, if they changed,
 * send once more with them. A 401 means ChargeOver did nothing, so repeating a create here is safe.
 */
export async function send(
  ctx: AdapterContext<ChargeOverCredentials>,
  build: (creds: ChargeOverCredentials) => UpstreamRequest,
): Promise<UpstreamResponse> {
  const creds = ctx.connection.credentials;
  const call = (c: ChargeOverCredentials) => {
    const req = build(c);
    return ctx.http.request({ ...req, headers: { ...req.headers, Authorization: basicAuth(c) } });
  };
  const res = await call(creds);
  if (res.status !== 401) return res;
  let fresh: ChargeOverCredentials;
  try {
    fresh = await ctx.connection.reloadCredentials();
  } catch {
    // The connection is gone or unreadable: ChargeOver's 401 is the honest answer.
    return res;
  }
  return sameCredentials(fresh, creds) ? res : call(fresh);
}
