import { phoneText } from '../../customer/phone';
import type { Address, UnifiedCustomer } from '../../customer/schema';
import { cityName, countryName, spanishProvince, stateName } from '../../geo';
import { CONTROLLED_FIELDS } from './fields';
import { alegraAddress, isColombianIdentification, toAlegraIdentification } from './identification';
import { assignPhones } from './phones';

/** The display name Alegra requires: the company name, or "first last" for a person. */
export function contactName(c: UnifiedCustomer): string {
  return c.personType === 'company'
    ? (c.name.company as string)
    : [c.name.first, c.name.last].filter(Boolean).join(' ');
}

/**
 * Alegra's `address`: names, not codes (Colombia: department and city by name, as Alegra's UI lists them; the
 * DANE codes give them when the caller sent only codes). Spain: the province, which Alegra requires with a NIF,
 * from the province code, a province name or the postal code — sent as `province` [UNCERTAIN key; Alegra's
 * changelog names "provincia"]. The country by its Spanish name from a fixed table ("España", "Hong Kong").
 */
export function toAlegraAddress(a: Address): Record<string, string> {
  const out: Record<string, string> = { address: a.lines.join(', ') };
  const city = cityName(a);
  if (city) out.city = city;
  if (a.country === 'ES') {
    const province = spanishProvince(a)?.province.name;
    if (province) out.province = province;
  } else {
    const department = stateName(a);
    if (department) out.department = department;
  }
  out.country = countryName(a.country, 'es');
  if (a.postalCode) out.zipCode = a.postalCode;
  return out;
}

/**
 * Colombian regime from the unified tax block: an explicit Alegra value wins; otherwise VAT responsibility picks
 * COMMON_REGIME (responsable de IVA) or SIMPLIFIED_REGIME (no responsable). Only for Colombian identifications:
 * other countries use `regimeObject` and friends (send them through erpFields).
 */
function regimeOf(c: UnifiedCustomer): string | undefined {
  if (c.tax?.regime) return c.tax.regime;
  if (!isColombianIdentification(c.identification) || c.tax?.vatResponsible === undefined) return undefined;
  return c.tax.vatResponsible ? 'COMMON_REGIME' : 'SIMPLIFIED_REGIME';
}

const TYPES: Record<UnifiedCustomer['type'], string[] | undefined> = {
  customer: ['client'],
  supplier: ['provider'],
  other: undefined,
};

/** The native `POST /contacts` body. `erpFields` are merged last, except the look-up keys (CONTROLLED_FIELDS). */
export function toAlegraContact(c: UnifiedCustomer): Record<string, unknown> {
  const body: Record<string, unknown> = { name: contactName(c) };
  if (c.personType === 'person') {
    body.nameObject = { firstName: c.name.first, lastName: c.name.last };
  }
  body.kindOfPerson = c.personType === 'company' ? 'LEGAL_ENTITY' : 'PERSON_ENTITY';
  const address = alegraAddress(c);
  if (c.identification) {
    const id = toAlegraIdentification(c.identification, address?.country);
    if (id !== undefined) body.identification = id;
  }
  const type = TYPES[c.type];
  if (type) body.type = type;
  if (c.email) body.email = c.email;
  Object.assign(body, assignPhones(c.phones).slots);
  if (address) body.address = toAlegraAddress(address);
  const regime = regimeOf(c);
  if (regime) body.regime = regime;
  if (c.contacts?.length) {
    // UNCERTAIN: `internalContacts[]` appears in Alegra's contact schema; the item keys are the ones its UI uses.
    body.internalContacts = c.contacts.map((p) => {
      const out: Record<string, unknown> = { name: p.firstName };
      if (p.lastName) out.lastName = p.lastName;
      if (p.email) out.email = p.email;
      if (p.phone) out.phone = phoneText(p.phone);
      return out;
    });
  }
  if (c.notes) body.observations = c.notes;
  body.status = c.active ? 'active' : 'inactive';
  for (const [k, v] of Object.entries(c.erpFields ?? {})) {
    if (!Object.hasOwn(CONTROLLED_FIELDS, k)) body[k] = v;
  }
  return body;
}
