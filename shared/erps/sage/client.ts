import type { UpstreamError } from '../../errors';
import { header, retryAfterMs, type UpstreamResponse } from '../../http/upstream';
import { outcomeFromNetworkError, outcomeFromStatus } from '../outcome';
import type { AdapterContext, FailureOutcome, RequestContext } from '../types';
import { recordBlock, remainingBlockMs } from './block';
import { blockScope, type SageCredentials, secretsOf } from './credentials';
import { blockDurationMs, parseSageError, redact } from './errors';

const ERP = 'sage';

/** Margin past the announced block: our clock and Sage's differ, and calling a second early extends it. */
const BLOCK_MARGIN_MS = 60_000;

/** `SAGE_BASE_URL` replaces the whole base; the default is built from the connection's region host. */
export function baseUrl(ctx: Pick<RequestContext<SageCredentials>, 'endpoint' | 'connection'>): string {
  return ctx.endpoint('api').replace('{host}', ctx.connection.credentials.regionHost).replace(/\/+$/, '');
}

/** A company-scoped URL without the API key (the key is a secret: it is added only when sending). */
export function companyUrl(
  ctx: Pick<RequestContext<SageCredentials>, 'endpoint' | 'connection'>,
  path: string,
  query: Record<string, string> = {},
): string {
  const url = new URL(`${baseUrl(ctx)}/${path}`);
  url.searchParams.set('companyid', String(ctx.connection.credentials.companyId));
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url.toString();
}

function authorize(url: string, c: SageCredentials): { url: string; authorization: string } {
  const u = new URL(url);
  // URLSearchParams percent-encodes the braces Sage prints around keys.
  u.searchParams.set('apikey', c.apiKey);
  const basic = Buffer.from(`${c.username}:${c.password}`).toString('base64');
  return { url: u.toString(), authorization: `Basic ${basic}` };
}

export function upstreamError(
  res: UpstreamResponse,
  code: string,
  c: SageCredentials,
): UpstreamError & { status: number } {
  const parsed = parseSageError(res.json, res.text);
  return { erp: ERP, status: res.status, code, message: redact(parsed.message, secretsOf(c)).slice(0, 1000) };
}

const CODES: Record<number, string> = {
  400: 'validation_failed',
  401: 'unauthorized',
  402: 'payment_required',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'request_timeout',
  409: 'conflict',
  415: 'unsupported_media_type',
  429: 'request_limit_reached',
  500: 'server_error',
  503: 'maintenance',
};
export const codeFor = (status: number) => CODES[status] ?? `http_${status}`;

/**
 * Statuses that mean the connection cannot be used as configured, whatever the customer: bad login or
 * key (401), an expired Sage subscription (402), an invited user without rights to the method (405),
 * and a company the login cannot see (404 on a company-scoped call).
 */
export function connectionFailure(res: UpstreamResponse, c: SageCredentials): FailureOutcome | undefined {
  if ([401, 402, 403, 404, 405].includes(res.status)) {
    const upstream = upstreamError(res, res.status === 404 ? 'company_not_found' : codeFor(res.status), c);
    if (res.status === 404)
      upstream.message = `company ${c.companyId} not found for this login: ${upstream.message}`;
    return { kind: 'auth', upstream };
  }
  return undefined;
}

/** Any other non-2xx answer. `write`: a create, where 5xx/408 leave the outcome unknown. */
export function genericFailure(res: UpstreamResponse, c: SageCredentials, write: boolean): FailureOutcome {
  return (
    connectionFailure(res, c) ??
    outcomeFromStatus(upstreamError(res, codeFor(res.status), c), {
      write,
      retryAfterMs: retryAfterMs(header(res, 'retry-after')),
    })
  );
}

/**
 * The rest of a block on `scope`: this process's memory first, then the shared state (another worker or an
 * earlier Lambda may have met the 429). Unreadable shared state → `transient`: calling a company that may be
 * blocked would extend its block by an hour.
 */
async function remainingMs(
  ctx: AdapterContext<SageCredentials>,
  scope: string,
): Promise<number | FailureOutcome> {
  const now = ctx.now();
  const local = remainingBlockMs(scope, now);
  if (local > 0 || !ctx.blocks) return local;
  try {
    const until = await ctx.blocks.blockedUntil(scope, now);
    if (until === undefined) return 0;
    recordBlock(scope, until);
    return until - now;
  } catch (e) {
    return {
      kind: 'transient',
      upstream: {
        erp: ERP,
        code: 'block_state_unavailable',
        message: `could not read whether Sage blocked this company: ${(e as Error).message}`.slice(0, 300),
      },
    };
  }
}

/**
 * One authenticated call. Answers locally while the company is blocked (in this process or, through
 * `ctx.blocks`, anywhere), records a block from a 429 in both, and turns network errors into outcomes
 * (`unknown` only for a write that may have arrived).
 */
export async function sageCall(
  ctx: AdapterContext<SageCredentials>,
  req: { method: 'GET' | 'POST' | 'PUT'; url: string; headers?: Record<string, string>; body?: unknown },
  write: boolean,
): Promise<UpstreamResponse | FailureOutcome> {
  const c = ctx.connection.credentials;
  const scope = blockScope(c);
  const blocked = await remainingMs(ctx, scope);
  if (typeof blocked !== 'number') return blocked;
  if (blocked > 0) {
    return {
      kind: 'rate_limited',
      retryAfterMs: blocked,
      upstream: {
        erp: ERP,
        code: 'blocked',
        message: `Sage blocked this company after a request limit; not calling for another ${Math.ceil(blocked / 60_000)} min`,
      },
    };
  }
  const { url, authorization } = authorize(req.url, c);
  let res: UpstreamResponse;
  try {
    res = await ctx.http.request({
      method: req.method,
      url,
      headers: { ...req.headers, Authorization: authorization },
      body: req.body,
    });
  } catch (e) {
    const out = outcomeFromNetworkError(ERP, e);
    out.upstream.message = redact(out.upstream.message, secretsOf(c));
    return !write && out.kind === 'unknown' ? { kind: 'transient', upstream: out.upstream } : out;
  }
  if (res.status === 429) {
    const upstream = upstreamError(res, 'request_limit_reached', c);
    const ms = blockDurationMs(upstream.message, retryAfterMs(header(res, 'retry-after'))) + BLOCK_MARGIN_MS;
    recordBlock(scope, ctx.now() + ms);
    // Every worker and cold start must see it too; this process honours it even if the write fails.
    await ctx.blocks?.block(scope, ctx.now() + ms).catch(() => undefined);
    return { kind: 'rate_limited', retryAfterMs: ms, upstream };
  }
  return res;
}

export function isFailure(x: UpstreamResponse | FailureOutcome): x is FailureOutcome {
  return 'kind' in x;
}
