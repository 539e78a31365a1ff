import type { UpstreamRequest, UpstreamResponse } from '../../http/upstream';
import type { AdapterContext } from '../types';
import type { QuickBooksCredentials } from './credentials';
import { accessToken, replaceAccessToken } from './oauth';

/**
 * One Accounting API call with a Bearer token. A 401 (expired or revoked token, Fault 3200) gets exactly one
 * more try with a replaced token; QuickBooks did nothing on a 401, so repeating a create is safe (and it carries
 * the same `requestid` anyway). Token problems throw `QuickBooksFailure`, network problems `UpstreamNetworkError`.
 */
export async function send(
  ctx: AdapterContext<QuickBooksCredentials>,
  req: UpstreamRequest,
): Promise<UpstreamResponse> {
  const call = (token: string) =>
    ctx.http.request({ ...req, headers: { ...req.headers, Authorization: `Bearer ${token}` } });
  const token = await accessToken(ctx);
  const res = await call(token);
  if (res.status !== 401) return res;
  return call(await replaceAccessToken(ctx, token));
}
