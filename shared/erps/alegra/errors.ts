import type { UnifiedCustomer } from '../../customer/schema';
import { type Issue, toPointer, type UpstreamError } from '../../errors';
import { header, retryAfterMs, type UpstreamResponse } from '../../http/upstream';
import { outcomeFromStatus } from '../outcome';
import type { CreateOutcome, FailureOutcome } from '../types';
import type { AlegraCredentials } from './credentials';
import { UNIFIED_POINTERS } from './fields';

export const ERP = 'alegra';

interface AlegraErrorBody {
  message: string;
  code?: string;
  details?: Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Alegra answers `{message, code, details?}`, sometimes wrapped as `{error: {…}}`; `code` may be a number. */
export function parseAlegraError(json: unknown, text: string): AlegraErrorBody {
  const inner = isObject(json) && isObject(json.error) ? json.error : json;
  if (isObject(inner)) {
    const message = typeof inner.message === 'string' ? inner.message : undefined;
    const code =
      typeof inner.code === 'string' || typeof inner.code === 'number' ? String(inner.code) : undefined;
    const details = isObject(inner.details) ? inner.details : undefined;
    if (message || code) return { message: message ?? '', code, details };
  }
  return { message: text.slice(0, 500) };
}

/** Credentials never travel in an outcome, even if Alegra were to echo them. */
function redact(message: string, creds: AlegraCredentials): string {
  let out = message;
  for (const secret of [creds.token, creds.email]) {
    if (secret) out = out.split(secret).join('***');
  }
  return out;
}

export function upstreamOf(
  res: UpstreamResponse,
  creds: AlegraCredentials,
): UpstreamError & { status: number } {
  const e = parseAlegraError(res.json, res.text);
  const message = redact(e.message || `HTTP ${res.status}`, creds);
  return { erp: ERP, status: res.status, ...(e.code ? { code: e.code } : {}), message };
}

/**
 * Wait hint of a 429: `X-Rate-Limit-Reset` is the seconds until the window resets (AL-RL). A value that looks like
 * an epoch timestamp is read as one, in case Alegra changes it; `Retry-After` is the fallback.
 */
export function alegraRetryAfterMs(res: UpstreamResponse, now = Date.now()): number | undefined {
  const reset = header(res, 'x-rate-limit-reset');
  const secs = reset === undefined ? Number.NaN : Number(reset);
  if (Number.isFinite(secs) && secs >= 0) {
    return secs > 1_000_000_000 ? Math.max(0, secs * 1000 - now) : Math.ceil(secs * 1000);
  }
  return retryAfterMs(header(res, 'retry-after'), now);
}

/**
 * Nothing official documents Alegra's duplicate answer. Seen: a 400 with code 905 for a repeated email (3P), and
 * Spanish "ya existe" messages when the account checks repeated identifications. UNCERTAIN; kept tolerant.
 */
const DUPLICATE_CODES = new Set(['905']);
const DUPLICATE_TEXT = /ya existe|already exists|duplicad|repetid/i;

export function isDuplicate(e: UpstreamError & { status: number }): boolean {
  if (e.status !== 400 && e.status !== 409 && e.status !== 422) return false;
  return (e.code !== undefined && DUPLICATE_CODES.has(e.code)) || DUPLICATE_TEXT.test(e.message);
}

/** Alegra's field names in `details` or in the message → pointers into the unified body that was sent. */
export function detailsFor(
  res: UpstreamResponse,
  customer: UnifiedCustomer,
  upstreamMessage: string,
): Issue[] {
  const e = parseAlegraError(res.json, res.text);
  const erpKeys = new Set(Object.keys(customer.erpFields ?? {}));
  const pointerOf = (field: string) =>
    erpKeys.has(field) ? toPointer(['erpFields', field]) : UNIFIED_POINTERS[field];
  const out: Issue[] = [];
  const seen = new Set<string>();
  const add = (field: string, message: string) => {
    const pointer = pointerOf(field);
    if (!pointer || seen.has(pointer)) return;
    seen.add(pointer);
    out.push({ pointer, code: e.code ? `alegra_${e.code}` : 'rejected', message });
  };
  for (const [field, msg] of Object.entries(e.details ?? {})) {
    add(field, typeof msg === 'string' ? msg : upstreamMessage);
  }
  const known = [...new Set([...erpKeys, ...Object.keys(UNIFIED_POINTERS)])];
  for (const field of known) {
    if (new RegExp(`\\b${field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(e.message)) {
      add(field, upstreamMessage);
    }
  }
  return out;
}

/** Any non-2xx Alegra answer → outcome. `write`: the call was a create (5xx/408 then mean "maybe created"). */
export function classifyFailure(
  res: UpstreamResponse,
  opts: { write: boolean; creds: AlegraCredentials; customer?: UnifiedCustomer; now?: number },
): FailureOutcome | Extract<CreateOutcome, { kind: 'duplicate' }> {
  const upstream = upstreamOf(res, opts.creds);
  const s = res.status;
  // 402: the plan lacks the API or the account is suspended; 403: the user lacks the permission. Both need the tenant.
  // 401: the email/token pair is wrong — only new credentials from the tenant help.
  if (s === 401) return { kind: 'auth', upstream, reauthorize: true };
  if (s === 402 || s === 403) return { kind: 'auth', upstream };
  if (s === 429) return { kind: 'rate_limited', retryAfterMs: alegraRetryAfterMs(res, opts.now), upstream };
  if (opts.write && isDuplicate(upstream)) return { kind: 'duplicate', upstream };
  if (s === 400 || s === 422) {
    const details = opts.customer ? detailsFor(res, opts.customer, upstream.message) : [];
    return details.length ? { kind: 'invalid', upstream, details } : { kind: 'invalid', upstream };
  }
  return outcomeFromStatus(upstream, {
    write: opts.write,
    retryAfterMs: retryAfterMs(header(res, 'retry-after'), opts.now),
  });
}
