import type { UnifiedCustomer } from '../../customer/schema';

/**
 * The `external_key` sent with every create, and the key the look-up searches by. ChargeOver enforces it as a
 * unique constraint, which is what keeps a retried create from making a second customer. The caller's
 * `externalId` when given; otherwise one derived from the job id, which stays the same across every attempt of a job.
 */
export function externalKeyFor(customer: UnifiedCustomer, jobId: string): string {
  return customer.externalId ?? `erpb-${jobId}`;
}
