import type { UpstreamError } from '../../errors';
import { header, retryAfterMs, type UpstreamResponse } from '../../http/upstream';

export const ERP = 'chargeover';

/** Every ChargeOver answer: `{code, status: "OK"|"Error", message, details, response}`. */
export interface Envelope {
  code?: number;
  status?: string;
  message?: string;
  details?: unknown;
  response?: unknown;
}

export function envelopeOf(res: UpstreamResponse): Envelope {
  const j = res.json;
  return j && typeof j === 'object' && !Array.isArray(j) ? (j as Envelope) : {};
}

/** The ERP's own code and message, normalised. Non-JSON bodies (a proxy's HTML page) are cut short. */
export function upstreamError(res: UpstreamResponse, code?: string): UpstreamError & { status: number } {
  const env = envelopeOf(res);
  const message =
    (typeof env.message === 'string' && env.message.trim()) ||
    res.text.replace(/\s+/g, ' ').trim().slice(0, 200) ||
    `HTTP ${res.status}`;
  return {
    erp: ERP,
    status: res.status,
    code:
      code ?? (typeof env.code === 'number' || typeof env.code === 'string' ? String(env.code) : undefined),
    message,
  };
}

/** ChargeOver's 429 publishes no documented hint; honour `Retry-After` when a proxy or the API sends one. */
export function retryHint(res: UpstreamResponse, now: number): number | undefined {
  return retryAfterMs(header(res, 'retry-after'), now);
}

/**
 * The new customer's id: `response.id` in the body, else the trailing number of the `Location` header
 * (`…/api/v3/customer/1234`), which ChargeOver sends with every 201.
 */
export function createdId(res: UpstreamResponse): string | undefined {
  const r = envelopeOf(res).response;
  if (r && typeof r === 'object' && 'id' in r) {
    const id = (r as { id: unknown }).id;
    if ((typeof id === 'number' && Number.isFinite(id)) || (typeof id === 'string' && id !== ''))
      return String(id);
  }
  const loc = header(res, 'location');
  const m = loc ? /\/customer\/(\d+)\/?$/.exec(loc) : null;
  return m?.[1];
}

/**
 * A duplicate `external_key`. UNVERIFIED upstream: the SDK only shows "an error" (status != OK) with a message,
 * so both readings are accepted — a 409, or a 400 whose message names the external key as taken.
 */
export function isDuplicateKey(res: UpstreamResponse): boolean {
  if (res.status === 409) return true;
  if (res.status !== 400) return false;
  const msg = envelopeOf(res).message ?? '';
  return /external[ _-]?key/i.test(msg) && /(exist|already|duplicate|unique|in use|taken|used)/i.test(msg);
}

/** A customer record's id on the read side (`customer_id`; `id` tolerated). */
export function customerIdOf(row: unknown): string | undefined {
  if (!row || typeof row !== 'object') return undefined;
  const r = row as { customer_id?: unknown; id?: unknown };
  const id = r.customer_id ?? r.id;
  return typeof id === 'number' || (typeof id === 'string' && id !== '') ? String(id) : undefined;
}
