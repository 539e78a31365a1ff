import type { UnifiedCustomer } from '../../customer/schema';

/**
 * Sage has no idempotency and no external-key field, so the adapter writes its own key into the
 * customer's `TextField1` (a user-defined text field, ≤100) and finds it again with
 * `Customer/Get?$filter=TextField1 eq '<key>'`. The key is the caller's `externalId` when given (then it
 * also stops a second job with the same externalId from creating a twin), else one derived from the job id,
 * which stays the same across the attempts of one job.
 */
export const LOOKUP_FIELD = 'TextField1';

export function lookupKeyOf(customer: UnifiedCustomer, jobId: string): string {
  return customer.externalId ?? `erp-bridge:${jobId}`;
}

/** An OData string literal: single quotes doubled. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
