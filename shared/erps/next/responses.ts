import type { Issue, UpstreamError } from '../../errors';
import { toPointer } from '../../errors';
import type { UpstreamResponse } from '../../http/upstream';

export const ERP = 'next';

/** One FastAPI validation entry: `{"loc": ["body", "name"], "msg": "...", "type": "missing"}`. */
interface DetailEntry {
  loc?: unknown[];
  msg?: string;
  type?: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * NEXT's error bodies are FastAPI's `{"detail": …}`: a string (400 business rules, 401/403), one object
 * (`filter_str` errors) or a list of validation entries (422 body errors). Parsed tolerantly; the message
 * never echoes the request (pydantic's `input` is left out, it may hold anything the caller sent).
 */
export function detailEntries(res: UpstreamResponse): DetailEntry[] {
  const detail = isRecord(res.json) ? res.json.detail : undefined;
  if (Array.isArray(detail)) return detail.filter(isRecord) as DetailEntry[];
  if (isRecord(detail)) return [detail as DetailEntry];
  if (typeof detail === 'string') return [{ msg: detail }];
  return [];
}

function locText(loc: unknown[] | undefined): string {
  const parts = (loc ?? []).filter((p) => p !== 'body').map(String);
  return parts.length ? `${parts.join('.')}: ` : '';
}

/** The ERP's own status, code and message, normalised (no request data, no credentials). */
export function upstreamFrom(res: UpstreamResponse, fallback: string): UpstreamError & { status: number } {
  const entries = detailEntries(res);
  const message = entries.length
    ? entries
        .slice(0, 5)
        .map((e) => `${locText(e.loc)}${e.msg ?? e.type ?? 'error'}`)
        .join('; ')
    : res.text.trim()
      ? res.text.trim().slice(0, 300)
      : fallback;
  const code =
    entries.find((e) => e.type)?.type ??
    (typeof entries[0]?.msg === 'string' ? codeOf(entries[0].msg) : undefined);
  return { erp: ERP, status: res.status, code, message: message.slice(0, 1000) };
}

/** `access_denied` and similar single-token details are codes; sentences are not. */
function codeOf(msg: string): string | undefined {
  return /^[a-z_]{3,60}$/.test(msg) ? msg : undefined;
}

/**
 * The native field each error is about → the unified pointer it came from (`sources` from the mapper).
 * 422 entries carry `loc: ["body", "<field>"]`; 400 business errors name it as "in the field '<field>'".
 */
export function detailsFrom(res: UpstreamResponse, sources: Record<string, string>): Issue[] {
  const out: Issue[] = [];
  for (const e of detailEntries(res)) {
    let field: string | undefined;
    if (Array.isArray(e.loc) && e.loc[0] === 'body' && typeof e.loc[1] === 'string') field = e.loc[1];
    else if (typeof e.msg === 'string') field = /in the field '([a-z0-9_]+)'/i.exec(e.msg)?.[1];
    if (!field) continue;
    out.push({
      pointer: sources[field] ?? toPointer(['erpFields', field]),
      code: e.type ?? 'rejected',
      message: `NEXT: ${e.msg ?? 'rejected'}`.slice(0, 500),
    });
  }
  return out;
}

/** A rejection saying the customer number is taken (UNVERIFIED whether NEXT has such a rule; see next.md B.6). */
export function isDuplicateCustomerNo(res: UpstreamResponse): boolean {
  if (res.status === 409) return true;
  if (res.status !== 400 && res.status !== 422) return false;
  return detailEntries(res).some(
    (e) =>
      /customerno/i.test(`${(e.loc ?? []).join('.')} ${e.msg ?? ''}`) &&
      /already|exist|unique|duplicate|in use/i.test(e.msg ?? ''),
  );
}
