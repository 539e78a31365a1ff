import type { UnifiedCustomer } from '../../customer/schema';
import type { Issue } from '../../errors';
import type { UpstreamResponse } from '../../http/upstream';
import { claimsOf, judgeHit } from '../identity';
import { outcomeFromStatus } from '../outcome';
import type { CreateOutcome, FailureOutcome, LookupOutcome } from '../types';
import { NATIVE_FIELDS, UNIFIED_POINTERS } from './fields';
import type { ChargeOverCustomerBody } from './mapper';
import { createdId, customerIdOf, envelopeOf, isDuplicateKey, retryHint, upstreamError } from './responses';

/**
 * ChargeOver's 400s are mostly the generic "Missing or invalid parameter."; when a message does name native
 * fields, point at where each came from: the caller's `erpFields` (they win the merge) or the mapped unified field.
 */
export function detailsFromMessage(message: string, customer: UnifiedCustomer): Issue[] | undefined {
  const out: Issue[] = [];
  for (const field of Object.keys(NATIVE_FIELDS)) {
    if (!new RegExp(`\\b${field}\\b`).test(message)) continue;
    const fromCaller = customer.erpFields && field in customer.erpFields;
    const pointer = fromCaller ? `/erpFields/${field}` : UNIFIED_POINTERS[field];
    if (pointer) out.push({ pointer, code: 'rejected', message });
  }
  return out.length ? out : undefined;
}

/** Any non-2xx answer, for a write (`create`) or a read (`lookup`, `verify`). */
export function failureFromResponse(res: UpstreamResponse, write: boolean, now: number): FailureOutcome {
  const upstream = upstreamError(res);
  const retryAfterMs = retryHint(res, now);
  if (res.status === 429) return { kind: 'rate_limited', retryAfterMs, upstream };
  return outcomeFromStatus(upstream, { write, retryAfterMs });
}

/** Classifies the answer to `POST /customer`. */
export function createOutcome(res: UpstreamResponse, customer: UnifiedCustomer, now: number): CreateOutcome {
  if (res.status >= 200 && res.status < 300) {
    const id = createdId(res);
    if (id) return { kind: 'created', erpCustomerId: id };
    // Stored but no id we can read: the look-up by external_key will find it.
    return {
      kind: 'unknown',
      upstream: { ...upstreamError(res, 'no_id'), message: `HTTP ${res.status} without a customer id` },
    };
  }
  // The key's holder is judged by the worker's look-up (by external_key): it may be another customer's.
  if (isDuplicateKey(res)) return { kind: 'duplicate', upstream: upstreamError(res) };
  const failure = failureFromResponse(res, true, now);
  if (failure.kind === 'invalid') {
    const details = detailsFromMessage(failure.upstream.message, customer);
    return details ? { ...failure, details } : failure;
  }
  return failure;
}

/**
 * Classifies the answer to `GET /customer?where=external_key:EQUALS:…`. The key is compared exactly client-side;
 * the holder of this job's key is its customer unless it holds another tax id (`tax_ident`): then the caller
 * reused its key for someone else and the record is another customer's (`conflict` at /externalId).
 * `sent`: the body this job sends (its key, tax id and e-mail).
 */
export function lookupOutcome(
  res: UpstreamResponse,
  sent: ChargeOverCustomerBody,
  now: number,
): LookupOutcome {
  if (res.status !== 200) return failureFromResponse(res, false, now);
  const rows = envelopeOf(res).response;
  const list = Array.isArray(rows) ? rows : rows && typeof rows === 'object' ? [rows] : [];
  for (const row of list as Record<string, unknown>[]) {
    if (row.external_key !== sent.external_key) continue;
    const id = customerIdOf(row);
    if (!id) continue;
    return judgeHit(
      { erp: 'ChargeOver', id, pointer: '/externalId', keyField: 'external_key' },
      claimsOf({ external_key: 'key', tax_ident: 'identification', superuser_email: 'email' }, sent, row),
    );
  }
  return { kind: 'not_found' };
}
