import type { UnifiedCustomer } from '../../customer/schema';
import type { Issue } from '../../errors';
import { currencyByIdIssues } from '../geo-currency';
import { erpFieldIssues, mappedBodyIssues, withoutCoveredAncestors } from '../native-fields';
import { SAGE_CATALOG } from './fields';
import { toSageCustomer } from './mapper';

/**
 * What Sage would reject (or silently ignore), found before anything is queued: `erpFields` against the
 * Customer/Save fields (controlled, unknown and read-only keys, types, ranges, real dates, lengths) at
 * `/erpFields/<key>`, and the mapped body field by field at the unified pointer each value came from.
 */
export function sageRequirements(customer: UnifiedCustomer): Issue[] {
  const issues: Issue[] = [];
  if (customer.type === 'supplier') {
    issues.push({
      pointer: '/type',
      code: 'unsupported',
      message: 'Sage keeps suppliers apart (Supplier/Save); this adapter creates customers only',
    });
  }
  issues.push(...currencyByIdIssues(customer, 'Sage', 'CurrencyId', 'an integer, e.g. 1'));
  issues.push(...erpFieldIssues(customer.erpFields, SAGE_CATALOG));

  // A placeholder of the longest job-derived key: the real one is only known per job.
  const { body, sources } = toSageCustomer(customer, `erp-bridge:${'0'.repeat(36)}`);
  const name = body.Name;
  if (typeof name !== 'string' || name.trim() === '') {
    issues.push({ pointer: sources.Name ?? '/name', code: 'required', message: 'Sage needs a Name' });
  }
  issues.push(...mappedBodyIssues(body, SAGE_CATALOG, new Map(Object.entries(sources)), customer.erpFields));
  return dedupe(withoutCoveredAncestors(issues));
}

function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.pointer}\n${i.code}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
