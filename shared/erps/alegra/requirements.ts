import type { UnifiedCustomer } from '../../customer/schema';
import type { Issue } from '../../errors';
import { erpFieldIssues } from '../native-fields';
import { ALEGRA_CATALOG, ALEGRA_CO_REGIMES } from './fields';
import { NUMERIC_ID_TYPES, toAlegraIdentification } from './identification';
import { assignPhones } from './phones';

const oneOf = (values: readonly string[]) => (v: unknown) => typeof v === 'string' && values.includes(v);

/**
 * What Alegra would reject, or what would defeat the look-up that prevents duplicates, checked at accept time,
 * and `erpFields` against the contact fields Alegra has (unknown keys refused). Alegra publishes no field lengths,
 * so none are enforced beyond the unified schema's.
 */
export function alegraRequirements(c: UnifiedCustomer): Issue[] {
  const issues: Issue[] = [];
  const id = c.identification;
  if (id) {
    if (toAlegraIdentification(id) === undefined) {
      issues.push({
        pointer: '/identification/type',
        code: 'unsupported',
        message: `Alegra has no identification type for ${id.type}`,
      });
    } else if (NUMERIC_ID_TYPES.has(id.type) && !/^\d+$/.test(id.number)) {
      issues.push({
        pointer: '/identification/number',
        code: 'invalid',
        message: `a ${id.type} is digits only, without separators`,
      });
    }
  } else if (!c.email) {
    // Alegra has no idempotency key; after a lost response the only way to find the contact is by these.
    issues.push({
      pointer: '/identification',
      code: 'required',
      message:
        'Alegra needs identification or email: they are how a contact whose create response was lost is found instead of created twice',
    });
  }
  if (c.tax?.regime && !oneOf(ALEGRA_CO_REGIMES)(c.tax.regime)) {
    issues.push({
      pointer: '/tax/regime',
      code: 'invalid',
      message: `Alegra accepts ${ALEGRA_CO_REGIMES.join(', ')} (other countries: set regimeObject in erpFields)`,
    });
  }
  for (const i of assignPhones(c.phones).overflow) {
    issues.push({
      pointer: `/phones/${i}`,
      code: 'unsupported',
      message: 'Alegra has two phone numbers, one mobile and one fax per contact; this one has no free slot',
    });
  }
  issues.push(...erpFieldIssues(c.erpFields, ALEGRA_CATALOG));
  return issues;
}
