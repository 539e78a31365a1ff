import type { UnifiedCustomer } from '../../customer/schema';
import type { Issue } from '../../errors';
import { erpFieldIssues } from '../native-fields';
import { CHARGEOVER_CATALOG } from './fields';

/**
 * What ChargeOver would reject, or what would defeat the no-duplicates guarantee, found at accept time: suppliers,
 * and `erpFields` against the documented body fields (controlled, unknown and read-only keys, value kinds).
 * ChargeOver documents no lengths, so none are enforced beyond the unified schema's (docs/erps/chargeover.md).
 */
export function chargeoverRequirements(c: UnifiedCustomer): Issue[] {
  const issues: Issue[] = [];
  if (c.type !== 'customer') {
    issues.push({
      pointer: '/type',
      code: 'unsupported',
      message: 'ChargeOver only holds customers (no suppliers or other third parties)',
    });
  }
  issues.push(...erpFieldIssues(c.erpFields, CHARGEOVER_CATALOG));
  return issues;
}
