import { createHash } from 'node:crypto';
import type { UnifiedCustomer } from '../../customer/schema';

/**
 * The `customerno` sent with every create, and the key the look-up searches by: NEXT has no idempotency key,
 * so a create whose answer was lost is found again by this number. The caller's `externalId` when given;
 * otherwise one derived from the job id (the same on every attempt of a job), short enough for NEXT's 50
 * characters and visibly ours. Without it NEXT would number the customer itself and a lost answer could not
 * be told apart from no customer at all.
 */
export function customerNumberFor(customer: UnifiedCustomer, jobId: string): string {
  if (customer.externalId) return customer.externalId;
  return `EB-${createHash('sha256').update(jobId).digest('hex').slice(0, 20).toUpperCase()}`;
}
