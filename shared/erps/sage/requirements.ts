import type { UnifiedCustomer } from '../../customer/schema';
import { type Issue, toPointer } from '../../errors';
import { controlledFieldIssues } from '../controlled-fields';
import { currencyByIdIssues } from '../geo-currency';
import { fieldProblem, RESERVED_ERP_FIELDS, SAGE_CUSTOMER_FIELDS } from './fields';
import { toSageCustomer } from './mapper';

/**
 * What Sage would reject (or silently mangle), found before anything is queued. The mapped body is checked
 * field by field against the Customer/Save rules, so a value that came from `erpFields` is reported at
 * `/erpFields/<key>` and a mapped one at its unified pointer.
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
  issues.push(...controlledFieldIssues(customer.erpFields, RESERVED_ERP_FIELDS));
  for (const key of Object.keys(customer.erpFields ?? {})) {
    const pointer = toPointer(['erpFields', key]);
    if (!Object.hasOwn(RESERVED_ERP_FIELDS, key) && !(key in SAGE_CUSTOMER_FIELDS)) {
      issues.push({ pointer, code: 'unknown_field', message: `Sage customers have no field "${key}"` });
    }
  }

  // A placeholder of the longest job-derived key: the real one is only known per job.
  const { body, sources } = toSageCustomer(customer, `erp-bridge:${'0'.repeat(36)}`);
  const name = body.Name;
  if (typeof name !== 'string' || name.trim() === '') {
    issues.push({ pointer: sources.Name ?? '/name', code: 'required', message: 'Sage needs a Name' });
  }
  for (const [key, value] of Object.entries(body)) {
    const spec = SAGE_CUSTOMER_FIELDS[key];
    if (!spec || issues.some((i) => i.pointer === sources[key])) continue;
    const problem = fieldProblem(spec, value);
    if (problem) {
      issues.push({
        pointer: sources[key] ?? toPointer([key]),
        code: problem.code,
        message: `${key}: ${problem.message}`,
      });
    }
  }
  return dedupe(issues);
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
