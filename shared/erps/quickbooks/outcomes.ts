import type { Issue } from '../../errors';
import { header, retryAfterMs as parseRetryAfter, type UpstreamResponse } from '../../http/upstream';
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
 * Fault `element` (e.g. `DisplayName`, `BillAddr.City`, sometimes `Customer.DisplayName`) → pointer of the
 * unified field it was mapped from, when known.
 */
function detailsOf(fault: Fault | undefined, sources: Map<string, string>): Issue[] | undefined {
  const out: Issue[] = [];
  for (const e of fault?.errors ?? []) {
    const element = e.element?.replace(/^Customer\./, '');
    const pointer = element
      ? (sources.get(element) ?? sources.get(element.split('.')[0] as string))
      : undefined;
    if (pointer)
      out.push({ pointer, code: `quickbooks_${e.code ?? 'error'}`, message: e.detail ?? e.message ?? '' });
  }
  return out.length ? out : undefined;
}

/**
 * Any non-success answer → outcome. `write`: the call was a create (5xx/408 → `unknown`, look up first).
 * 3001/429 → throttled; 3200/401 and 3100/403 → auth; other faults → invalid, with pointers where mappable.
 */
export function failureFromResponse(
  res: UpstreamResponse,
  opts: { write: boolean; sources?: Map<string, string>; now?: number },
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
    const details = detailsOf(fault, opts.sources ?? new Map());
    return details ? { kind: 'invalid', upstream, details } : { kind: 'invalid', upstream };
  }
  // A 2xx without the expected entity (e.g. carrying a Fault): a create may have happened, so look up first.
  if (res.status < 300) return opts.write ? { kind: 'unknown', upstream } : { kind: 'transient', upstream };
  return outcomeFromStatus({ ...upstream, status: res.status }, { write: opts.write, retryAfterMs: hinted });
}
