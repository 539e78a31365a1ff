import type { Issue } from '../../errors';

/**
 * Sage's error body is not documented beyond "validation messages will be returned in the response body".
 * Seen or plausible shapes (ASP.NET Web API): `{"Message": "...", "MessageDetail"?: "...",
 * "ModelState"?: {"customer.Name": ["..."]}}`, a bare JSON string, an array of strings or of
 * `{Message}` objects, or plain text. This reads all of them.
 */
export interface SageError {
  message: string;
  /** Per-field messages, keyed by the native field name (the `customer.` prefix removed). */
  fields: { field: string; message: string }[];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

function messageOf(v: unknown): string | undefined {
  if (typeof v === 'string') return str(v);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return str(o.Message) ?? str(o.message) ?? str(o.ErrorMessage) ?? str(o.error);
  }
  return undefined;
}

export function parseSageError(json: unknown, text: string): SageError {
  const fields: SageError['fields'] = [];
  const messages: string[] = [];
  if (Array.isArray(json)) {
    for (const item of json) {
      const m = messageOf(item);
      if (m) messages.push(m);
    }
  } else if (json && typeof json === 'object') {
    const o = json as Record<string, unknown>;
    const m = messageOf(o);
    if (m) messages.push(m);
    const detail = str(o.MessageDetail) ?? str(o.ExceptionMessage);
    if (detail) messages.push(detail);
    const modelState = o.ModelState ?? o.modelState;
    if (modelState && typeof modelState === 'object') {
      for (const [key, list] of Object.entries(modelState as Record<string, unknown>)) {
        const field = key.split('.').pop() ?? key;
        for (const entry of Array.isArray(list) ? list : [list]) {
          const fm = messageOf(entry);
          if (fm) fields.push({ field, message: fm });
        }
      }
    }
  } else {
    const m = messageOf(json) ?? str(text);
    if (m) messages.push(m.slice(0, 500));
  }
  const all = [...messages, ...fields.filter((f) => !messages.includes(f.message)).map((f) => f.message)];
  return { message: all.join('; ') || 'no error message', fields };
}

/** Field messages → issues at the unified pointers the fields came from (or at the native key). */
export function issuesFromSageError(err: SageError, sources: Record<string, string>): Issue[] {
  return err.fields.map((f) => ({
    pointer: sources[f.field] ?? `/erpFields/${f.field}`,
    code: 'rejected_by_erp',
    message: f.message,
  }));
}

/** Replaces every secret with *** (an ERP may echo the query string or the login in a message). */
export function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('***');
  return out;
}

/**
 * How long a 429 blocks: a Retry-After if Sage ever sends one, else the duration in the message
 * ("…has been blocked for 1 hour", "…for 24 hours"), else the documented hour.
 */
export function blockDurationMs(message: string, retryAfter: number | undefined): number {
  if (retryAfter !== undefined && retryAfter > 0) return retryAfter;
  const m = /blocked for (\d+)\s*(hour|minute|second)s?/i.exec(message);
  if (m) {
    const n = Number(m[1]);
    const unit = (m[2] as string).toLowerCase();
    return n * (unit === 'hour' ? 3_600_000 : unit === 'minute' ? 60_000 : 1000);
  }
  return 3_600_000;
}

/** Sage has no documented uniqueness rule; if a Save is refused as a duplicate, the message says so. */
export function looksLikeDuplicate(message: string): boolean {
  return /already exists|duplicate/i.test(message);
}
