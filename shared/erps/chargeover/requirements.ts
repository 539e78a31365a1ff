import type { UnifiedCustomer } from '../../customer/schema';
import type { Issue } from '../../errors';
import { currencyByIdIssues } from '../geo-currency';
import { erpFieldIssues } from '../native-fields';
import { CHARGEOVER_CATALOG } from './fields';

/**
 * What ChargeOver would reject, or what would defeat the no-duplicates guarantee, found at accept time: suppliers,
 * a currency ChargeOver can only take by its own id, and `erpFields` against the documented body fields
 * (controlled, unknown and read-only keys, value kinds). ChargeOver documents no lengths, so none are enforced
 * beyond the unified schema's (docs/erps/chargeover.md).
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
  issues.push(...currencyByIdIssues(c, 'ChargeOver', 'currency_id', 'an integer, e.g. 1'));
  issues.push(...erpFieldIssues(c.erpFields, CHARGEOVER_CATALOG));
  return issues;
}
