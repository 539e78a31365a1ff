import type { Issue } from '../../errors';
import { header, retryAfterMs as parseRetryAfter, type UpstreamResponse } from '../../http/upstream';
import { pointerForNativePath } from '../native-fields';
import { outcomeFromStatus } from '../outcome';
import type { FailureOutcome } from '../types';
import { ERP } from './failure';
import { type Fault, faultSummary, hasCode, parseFault } from './faults';

/** Intuit publishes no Retry-After for throttling; its advice is to wait a minute. */
export const THROTTLE_WAIT_MS = 60_000;

export function upstreamOf(res: UpstreamResponse, fault: Fault | undefined) {
  const { code, message } = faultSummary(fault);
  const tid = header(res, 'intuit_tid');
  const text = message ?? (res.text.slice(0, 200) || `HTTP ${res.status}`);
  return {
    erp: ERP,
    status: res.status,
    code: code ?? fault?.type,
    message: (tid ? `${text} (intuit_tid ${tid})` : text).slice(0, 1000),
  };
}

/**
 * "String length specified does not match the supported length. Min:0 Max:4,000 supported. Supplied length: 4,006"
 * (Intuit's 2050 Detail; numbers may carry thousands separators) → the two lengths.
 */
export function lengthFault(text: string): { max: number; supplied: number } | undefined {
  const num = (s: string | undefined) => (s === undefined ? Number.NaN : Number(s.replace(/[,.\s]/g, '')));
  const max = num(/\bMax\s*:\s*([\d,.]+)/i.exec(text)?.[1]);
  const supplied = num(/\bSupplied(?:\s+length)?\s*:\s*([\d,.]+)/i.exec(text)?.[1]);
  return Number.isFinite(max) && Number.isFinite(supplied) ? { max, supplied } : undefined;
}

/** Native paths (`BillAddr.City`) of the body's strings that are exactly `length` characters long. */
function pathsOfLength(value: unknown, length: number, at = ''): string[] {
  if (typeof value === 'string') return Array.from(value).length === length ? [at] : [];
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => pathsOfLength(v, length, at ? `${at}.${k}` : k));
}

/**
 * Fault `element` (e.g. `DisplayName`, `BillAddr.City`, sometimes `Customer.DisplayName`) → pointer of the
 * unified field it was mapped from. A length error (2050) that names no element — live faults have arrived with
 * an empty `element`, e.g. CompanyName refused at 50 — is placed by its "Supplied length": the mapped string of
 * exactly that length is the one QuickBooks refused.
 */
function detailsOf(
  fault: Fault | undefined,
  sources: Map<string, string>,
  body: Record<string, unknown> | undefined,
): Issue[] | undefined {
  const out: Issue[] = [];
  for (const e of fault?.errors ?? []) {
    const element = e.element?.replace(/^Customer\./, '');
    const code = `quickbooks_${e.code ?? 'error'}`;
    const message = e.detail ?? e.message ?? '';
    const pointer = element ? pointerForNativePath(sources, element) : undefined;
    if (pointer) {
      out.push({ pointer, code, message });
      continue;
    }
    const lengths =
      e.code?.replace(/^0+/, '') === '2050' ? lengthFault(`${e.detail ?? ''} ${e.message ?? ''}`) : undefined;
    if (!lengths || !body) continue;
    const pointers = new Set(
      pathsOfLength(body, lengths.supplied)
        .map((p) => pointerForNativePath(sources, p))
        .filter((p): p is string => p !== undefined),
    );
    for (const p of pointers) {
      out.push({
        pointer: p,
        code,
        message: `${message} (QuickBooks allows at most ${lengths.max} characters here)`,
      });
    }
  }
  return out.length ? out : undefined;
}

/**
 * Any non-success answer → outcome. `write`: the call was a create (5xx/408 → `unknown`, look up first).
 * 3001/429 → throttled; 3200/401 and 3100/403 → auth; other faults (a 2050 length error included) → invalid,
 * with pointers where mappable (`sources` + `body`: the create's native body and where each field came from).
 */
export function failureFromResponse(
  res: UpstreamResponse,
  opts: { write: boolean; sources?: Map<string, string>; body?: Record<string, unknown>; now?: number },
): FailureOutcome {
  const fault = parseFault(res);
  const upstream = upstreamOf(res, fault);
  const hinted = parseRetryAfter(header(res, 'retry-after'), opts.now);
  if (res.status === 429 || hasCode(fault, '3001')) {
    return { kind: 'rate_limited', retryAfterMs: hinted ?? THROTTLE_WAIT_MS, upstream };
  }
  if (res.status === 401 || res.status === 403 || hasCode(fault, '3200', '3100', '100')) {
    return { kind: 'auth', upstream };
  }
  if (res.status >= 400 && res.status < 500 && res.status !== 408) {
    const details = detailsOf(fault, opts.sources ?? new Map(), opts.body);
    return details ? { kind: 'invalid', upstream, details } : { kind: 'invalid', upstream };
  }
  // A 2xx without the expected entity (e.g. carrying a Fault): a create may have happened, so look up first.
  if (res.status < 300) return opts.write ? { kind: 'unknown', upstream } : { kind: 'transient', upstream };
  return outcomeFromStatus({ ...upstream, status: res.status }, { write: opts.write, retryAfterMs: hinted });
}
