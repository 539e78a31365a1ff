import type { UnifiedCustomer } from '../../customer/schema';

/**
 * The upsert key (`PUT /customer/eid:<externalId>`): the caller's own key when given, else one derived from the
 * job id, so every retry of the same job — after a timeout, a 5xx or a lost response — upserts the same record.
 */
export function netsuiteExternalId(customer: Pick<UnifiedCustomer, 'externalId'>, jobId: string): string {
  return customer.externalId ?? `erpb-${jobId.toLowerCase().replace(/[^a-z0-9-]/g, '')}`;
}
