import { header, retryAfterMs, type UpstreamResponse } from '../../http/upstream';
import { claimsOf, firstProven, judgeHit } from '../identity';
import { outcomeFromStatus } from '../outcome';
import type { CreateOutcome, FailureOutcome, LookupOutcome } from '../types';
import { detailsFrom, ERP, isDuplicateCustomerNo, upstreamFrom } from './responses';

/** NEXT's limit is 10 calls per second; a 429 without Retry-After frees up within that second. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 1_000;

/**
 * Any non-success answer → outcome. `write`: the call was a create (a 5xx may have stored the customer).
 * - 401/403: the never-expiring token was rejected (revoked, or the key deleted in NEXT). It cannot be
 *   refreshed: only a new one-time key can replace it, so `reauthorize` marks the connection.
 * - 429: NEXT's 10/s limit; `Retry-After` when present, else one second.
 * - 503 + `Retry-After`: NEXT is briefly unavailable (releases). The hint is kept; on a create it is still
 *   `unknown` rather than a plain retry, because a 5xx after the body was sent may have stored the customer.
 */
export function failureFromResponse(
  res: UpstreamResponse,
  opts: { write: boolean; sources?: Record<string, string> },
): FailureOutcome {
  const upstream = upstreamFrom(res, `HTTP ${res.status}`);
  const hint = retryAfterMs(header(res, 'retry-after'));
  if (res.status === 401 || res.status === 403) return { kind: 'auth', upstream, reauthorize: true };
  if (res.status === 429) {
    return { kind: 'rate_limited', retryAfterMs: hint ?? DEFAULT_RATE_LIMIT_WAIT_MS, upstream };
  }
  if (res.status === 400 || res.status === 422) {
    const details = detailsFrom(res, opts.sources ?? {});
    return details.length ? { kind: 'invalid', upstream, details } : { kind: 'invalid', upstream };
  }
  return outcomeFromStatus(upstream, { write: opts.write, retryAfterMs: hint });
}

/** The answer to `POST /customer/`: NEXT answers 200 (not 201) with the stored customer, its DB id in `id`. */
export function createOutcome(res: UpstreamResponse, sources: Record<string, string>): CreateOutcome {
  if (res.status >= 200 && res.status < 300) {
    const id = (res.json as { id?: unknown } | undefined)?.id;
    if ((typeof id === 'number' && Number.isFinite(id)) || (typeof id === 'string' && id !== '')) {
      return { kind: 'created', erpCustomerId: String(id) };
    }
    // Stored, probably, but without the id nothing can be recorded: the look-up will find it.
    return {
      kind: 'unknown',
      upstream: { erp: ERP, status: res.status, message: 'NEXT answered the create without an id' },
    };
  }
  if (isDuplicateCustomerNo(res)) {
    return { kind: 'duplicate', upstream: upstreamFrom(res, 'customer number already in use') };
  }
  return failureFromResponse(res, { write: true, sources });
}

type CustomerItem = Record<string, unknown> & { id?: unknown; customerno?: unknown };

/** What identifies a NEXT customer: our customer number, its organisation or VAT number, its e-mail. */
const IDENTITY_FIELDS = {
  customerno: 'key',
  organizationno: 'identification',
  vatno: 'identification',
  email: 'email',
} as const;

/**
 * A page of `GET /customer/?filter_str=…` → found / conflict / not found. The filter already matched
 * `customerno` exactly; it is checked again here so a looser server-side match can never attach someone else's
 * customer. The holder of this job's customer number is its customer unless it holds another organisation or
 * VAT number: a caller's `externalId` may equal a number NEXT generated for someone else (`001234`), and that
 * record is another customer's (`conflict` at /externalId). Several holders (a number NEXT let be reused): the
 * oldest that carries this job's identity. `sent`: the body this job sends.
 */
export function lookupOutcome(res: UpstreamResponse, sent: Record<string, unknown>): LookupOutcome {
  if (res.status < 200 || res.status >= 300) return failureFromResponse(res, { write: false });
  const items = (res.json as { items?: unknown } | undefined)?.items;
  if (!Array.isArray(items)) {
    return {
      kind: 'transient',
      upstream: { erp: ERP, status: res.status, message: 'NEXT answered the customer list without items' },
    };
  }
  const holders = (items as CustomerItem[])
    .filter(
      (i) => i && i.customerno === sent.customerno && (typeof i.id === 'number' || typeof i.id === 'string'),
    )
    .sort((a, b) => Number(a.id) - Number(b.id));
  const verdicts = holders.map((h) =>
    judgeHit(
      { erp: 'NEXT', id: String(h.id), pointer: '/externalId', keyField: 'customerno' },
      claimsOf(IDENTITY_FIELDS, sent, h),
    ),
  );
  return firstProven(verdicts) ?? { kind: 'not_found' };
}
