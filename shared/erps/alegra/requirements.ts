import type { UnifiedCustomer } from '../../customer/schema';
import { type Issue, toPointer } from '../../errors';
import { cityName, spanishProvince } from '../../geo';
import { controlledFieldIssues } from '../controlled-fields';
import {
  ALEGRA_CO_REGIMES,
  CONTACT_STATUSES,
  CONTACT_TYPES,
  CONTROLLED_FIELDS,
  KINDS_OF_PERSON,
} from './fields';
import {
  alegraAddress,
  isSpanishIdentification,
  spanishIdType,
  spanishNumber,
  toAlegraIdentification,
} from './identification';
import { assignPhones } from './phones';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isRef = (v: unknown) => isObject(v) && (typeof v.id === 'string' || typeof v.id === 'number');
const oneOf = (values: readonly string[]) => (v: unknown) => typeof v === 'string' && values.includes(v);
const isString = (v: unknown) => typeof v === 'string';
const isContactType = (v: unknown) =>
  oneOf(CONTACT_TYPES)(v) || (Array.isArray(v) && v.length > 0 && v.every(oneOf(CONTACT_TYPES)));

/** Shapes of the native fields callers most often pass through `erpFields` (fact sheet 2.3). */
const ERP_FIELD_CHECKS: Record<string, { ok: (v: unknown) => boolean; expected: string }> = {
  name: { ok: (v) => isString(v) && v.trim().length > 0, expected: 'a non-empty string' },
  kindOfPerson: { ok: oneOf(KINDS_OF_PERSON), expected: KINDS_OF_PERSON.join(' | ') },
  type: { ok: isContactType, expected: '"client" | "provider" or an array of them' },
  status: { ok: oneOf(CONTACT_STATUSES), expected: CONTACT_STATUSES.join(' | ') },
  regime: { ok: oneOf(ALEGRA_CO_REGIMES), expected: ALEGRA_CO_REGIMES.join(' | ') },
  nameObject: {
    ok: (v) => isObject(v) && Object.values(v).every(isString),
    expected: 'an object {firstName, secondName, lastName, secondLastName} of strings',
  },
  address: {
    ok: (v) => isObject(v) && Object.values(v).every(isString),
    expected: 'an object {address, city, department, country, zipCode} of strings',
  },
  seller: { ok: isRef, expected: 'a reference {"id": …}' },
  term: { ok: isRef, expected: 'a reference {"id": …}' },
  priceList: { ok: isRef, expected: 'a reference {"id": …}' },
  internalContacts: { ok: (v) => Array.isArray(v) && v.every(isObject), expected: 'an array of objects' },
  phonePrimary: { ok: isString, expected: 'a string' },
  phoneSecondary: { ok: isString, expected: 'a string' },
  mobile: { ok: isString, expected: 'a string' },
  fax: { ok: isString, expected: 'a string' },
  observations: { ok: isString, expected: 'a string' },
};

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
 * What Alegra would reject, or what would defeat the look-up that prevents duplicates, checked at accept time.
 * Alegra publishes no field lengths, so none are enforced beyond the unified schema's.
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
  issues.push(...controlledFieldIssues(c.erpFields, CONTROLLED_FIELDS));
  for (const [key, value] of Object.entries(c.erpFields ?? {})) {
    const pointer = toPointer(['erpFields', key]);
    if (Object.hasOwn(CONTROLLED_FIELDS, key)) continue;
    const check = ERP_FIELD_CHECKS[key];
    if (check && !check.ok(value)) {
      issues.push({ pointer, code: 'invalid', message: `must be ${check.expected}` });
    }
  }
  return issues;
}
