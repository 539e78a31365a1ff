import type { Issue, UpstreamError } from '../../errors';
import { header, retryAfterMs, type UpstreamResponse } from '../../http/upstream';
import { pointerForNativePath } from '../native-fields';
import { outcomeFromStatus } from '../outcome';
import type { FailureOutcome } from '../types';

export const ERP = 'netsuite';

/** One member of `o:errorDetails` (NetSuite REST error body). */
export interface NetSuiteErrorDetail {
  detail: string;
  code?: string;
  path?: string;
}

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

/** Reads `{type, title, status, "o:errorDetails": [{detail, "o:errorCode", "o:errorPath", …}]}` tolerantly. */
export function parseNetSuiteErrors(json: unknown): NetSuiteErrorDetail[] {
  if (!json || typeof json !== 'object') return [];
  const list = (json as Record<string, unknown>)['o:errorDetails'];
  if (!Array.isArray(list)) return [];
  return list.flatMap((d) => {
    if (!d || typeof d !== 'object') return [];
    const r = d as Record<string, unknown>;
    return [
      {
        detail: str(r.detail) ?? str(r.message) ?? '',
        code: str(r['o:errorCode']),
        path: str(r['o:errorPath']),
      },
    ];
  });
}

export function upstreamError(res: UpstreamResponse, details = parseNetSuiteErrors(res.json)): UpstreamError {
  const first = details[0];
  const title = str((res.json as Record<string, unknown> | undefined)?.title);
  const message = first?.detail || title || res.text.slice(0, 200) || `HTTP ${res.status}`;
  return {
    erp: ERP,
    status: res.status,
    code: first?.code ?? title,
    message: message.slice(0, 1000),
  };
}

// The REST `o:errorCode` for a duplicate entityId is unconfirmed: match the SOAP/SuiteScript codes and the text.
const DUPLICATE_CODES = new Set(['DUP_ENTITY', 'UNIQUE_CUST_ID_REQD', 'DUP_RCRD', 'DUP_ENTITY_NAME']);
const DUPLICATE_TEXT =
  /record with this ID already exists|this entity already exists|duplicate (customer|entity)/i;

export function isDuplicate(details: NetSuiteErrorDetail[]): boolean {
  return details.some((d) => (d.code && DUPLICATE_CODES.has(d.code)) || DUPLICATE_TEXT.test(d.detail));
}

// Concurrency rejections outside REST records (RESTlets 400, SOAP) — seen in shared accounts.
const LIMIT_CODES = new Set([
  'SSS_REQUEST_LIMIT_EXCEEDED',
  'WS_REQUEST_BLOCKED',
  'WS_CONCUR_SESSION_DISALLWD',
]);

/** `o:errorPath` of each detail → an issue at the unified pointer, where the path maps to one. */
export function issuesFromDetails(details: NetSuiteErrorDetail[], pointers: Map<string, string>): Issue[] {
  return details.flatMap((d) => {
    const pointer = d.path ? pointerForNativePath(pointers, d.path) : undefined;
    return pointer ? [{ pointer, code: d.code ?? 'invalid', message: d.detail }] : [];
  });
}

/**
 * A non-2xx answer → outcome. `write`: a create (5xx/408 → unknown, the upsert may have been applied).
 * `pointers`: the create's errorPath → unified pointer map, for `invalid` details.
 */
export function failureFromResponse(
  res: UpstreamResponse,
  opts: { write: boolean; pointers?: Map<string, string> },
): FailureOutcome | { kind: 'duplicate'; upstream: UpstreamError } {
  const details = parseNetSuiteErrors(res.json);
  const upstream = { ...upstreamError(res, details), status: res.status };
  // NetSuite documents no Retry-After for 429; honour one if a proxy or a future release sends it.
  const hint = retryAfterMs(header(res, 'retry-after'));
  if (res.status === 429 || details.some((d) => d.code && LIMIT_CODES.has(d.code))) {
    return { kind: 'rate_limited', retryAfterMs: hint, upstream };
  }
  if (res.status === 400 && isDuplicate(details)) return { kind: 'duplicate', upstream };
  const generic = outcomeFromStatus(upstream, { write: opts.write, retryAfterMs: hint });
  if (generic.kind === 'invalid' && opts.pointers) {
    const issues = issuesFromDetails(details, opts.pointers);
    if (issues.length) return { ...generic, details: issues };
  }
  return generic;
}
