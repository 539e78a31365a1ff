import type { UnifiedCustomer } from '../../customer/schema';
import type { Issue } from '../../errors';
import { cityName, spanishProvince } from '../../geo';
import { erpFieldIssues } from '../native-fields';
import { ALEGRA_CATALOG, ALEGRA_CO_REGIMES } from './fields';
import {
  alegraAddress,
  isSpanishIdentification,
  spanishIdType,
  spanishNumber,
  toAlegraIdentification,
} from './identification';
import { assignPhones } from './phones';

const oneOf = (values: readonly string[]) => (v: unknown) => typeof v === 'string' && values.includes(v);

/**
 * Alegra España (changelog "nueva estructura de identificaciones ESP"): the number must be a DNI or a NIF by
 * form, and a NIF holder's contact needs its city and province ("NIF: ciudad y provincia obligatorias").
 */
function spanishIdentificationIssues(c: UnifiedCustomer, number: string): Issue[] {
  const type = spanishIdType(number);
  if (!type) {
    return [
      {
        pointer: '/identification/number',
        code: 'invalid',
        message:
          'Alegra España takes a DNI (8 digits and a letter) or a NIF (a letter, 7 digits and a check character: CIF or NIE)',
      },
    ];
  }
  if (type !== 'NIF') return [];
  const key = c.billingAddress ? 'billingAddress' : c.shippingAddress ? 'shippingAddress' : undefined;
  const a = key ? c[key] : undefined;
  if (!key || !a) {
    return [
      {
        pointer: '/billingAddress',
        code: 'required',
        message: 'Alegra España requires the city and province of a NIF holder',
      },
    ];
  }
  const out: Issue[] = [];
  if (!cityName(a)) {
    out.push({
      pointer: `/${key}/city`,
      code: 'required',
      message: 'Alegra España requires the city of a NIF holder',
    });
  }
  if (a.country !== 'ES' || !spanishProvince(a)) {
    out.push({
      pointer: `/${key}/stateCode`,
      code: 'required',
      message:
        'Alegra España requires the province of a NIF holder: its ISO 3166-2:ES code (e.g. M, B), its name, or a Spanish postal code',
    });
  }
  return out;
}

/**
 * What Alegra would reject, or what would defeat the look-up that prevents duplicates, checked at accept time,
 * and `erpFields` against the contact fields Alegra has (unknown keys refused). Alegra publishes no field lengths,
 * so none are enforced beyond the unified schema's.
 */
export function alegraRequirements(c: UnifiedCustomer): Issue[] {
  const issues: Issue[] = [];
  const id = c.identification;
  const address = alegraAddress(c);
  if (id && isSpanishIdentification(id, address?.country)) {
    issues.push(...spanishIdentificationIssues(c, spanishNumber(id)));
  } else if (id) {
    if (toAlegraIdentification(id) === undefined) {
      issues.push({
        pointer: '/identification/type',
        code: 'unsupported',
        message: `Alegra has no identification type for ${id.type}`,
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
