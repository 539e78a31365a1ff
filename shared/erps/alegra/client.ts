import type { UpstreamRequest, UpstreamResponse } from '../../http/upstream';
import { outcomeFromNetworkError } from '../outcome';
import type { AdapterContext, FailureOutcome } from '../types';
import type { AlegraCredentials } from './credentials';
import { ERP } from './errors';

/** HTTP Basic with the user's email and API token: the only scheme Alegra's API has. */
export function authorization(creds: AlegraCredentials): string {
  return `Basic ${Buffer.from(`${creds.email}:${creds.token}`, 'utf8').toString('base64')}`;
}

export type Sent = { ok: true; res: UpstreamResponse } | { ok: false; outcome: FailureOutcome };

/**
 * One authenticated call. Alegra tokens are static, so there is no token to refresh; but a 401 may mean the
 * tenant regenerated the token and stored the new one after this connection was cached. So on a 401 the stored
 * credentials are read once more and, if they changed, the call is repeated once (a 401 means nothing was done).
 */
export async function send(
  ctx: AdapterContext<AlegraCredentials>,
  req: UpstreamRequest,
  opts: { reloadOn401?: boolean } = {},
): Promise<Sent> {
  const attempt = async (creds: AlegraCredentials): Promise<Sent> => {
    try {
      const res = await ctx.http.request({
        ...req,
        headers: { ...req.headers, authorization: authorization(creds) },
      });
      return { ok: true, res };
    } catch (err) {
      return { ok: false, outcome: outcomeFromNetworkError(ERP, err) };
    }
  };
  const used = ctx.connection.credentials;
  const first = await attempt(used);
  if (!first.ok || first.res.status !== 401 || opts.reloadOn401 === false) return first;
  let fresh: AlegraCredentials;
  try {
    fresh = await ctx.connection.reloadCredentials();
  } catch {
    return first;
  }
  if (fresh.email === used.email && fresh.token === used.token) return first;
  return attempt(fresh);
}
