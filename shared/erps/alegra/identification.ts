import type { IdType } from '../../customer/codes';
import type { UnifiedCustomer } from '../../customer/schema';

/**
 * Unified identification types → Alegra's Colombian `identification.type` codes (catalog copied from
 * developer.alegra.com/reference/colombia.md). PPT (Permiso por Protección Temporal) has no Alegra code.
 */
export const ALEGRA_CO_ID_TYPES: Partial<Record<IdType, string>> = {
  NIT: 'NIT',
  CC: 'CC',
  CE: 'CE',
  TI: 'TI',
  RC: 'RC',
  PP: 'PP',
  PEP: 'PEP',
  DIE: 'DIE',
  NUIP: 'NUIP',
  FOREIGN_NIT: 'FOREIGN_NIT',
};

/** Every code Alegra's Colombian catalog has (TE, Tarjeta de extranjería, has no unified type but is valid native). */
export const ALEGRA_CO_ID_CODES = new Set([...Object.values(ALEGRA_CO_ID_TYPES), 'TE']);

/**
 * Foreign types (VAT, TAX_ID, ORG_NO) are sent as a plain string: that is how non-Colombian accounts
 * (e.g. a Mexican RFC) are posted in the examples found — except Spanish ones, which Alegra types (below).
 */
const PLAIN_STRING_TYPES = new Set<IdType>(['VAT', 'TAX_ID', 'ORG_NO']);

type Identification = NonNullable<UnifiedCustomer['identification']>;

/**
 * Alegra Spain (changelog "nueva estructura de identificaciones ESP", from 15 July) refuses untyped
 * identifications. A Spanish number's form decides its type: `DNI` is 8 digits and a letter (^\d{8}[a-zA-Z0-9]$),
 * `NIF` a letter, 7 digits and a check character (^[a-zA-Z]\d{7}[a-zA-Z0-9]$: companies' CIF and foreigners' NIE,
 * whose own type Alegra removed). A VAT number loses its "ES" prefix (NIF-IVA is for other EU operators).
 */
const ALEGRA_ES_DNI = /^\d{8}[A-Z0-9]$/;
const ALEGRA_ES_NIF = /^[A-Z]\d{7}[A-Z0-9]$/;

/** Whether the identification is a Spanish foreign-type one: by its country, a VAT "ES" prefix, else the address. */
export function isSpanishIdentification(id: Identification, addressCountry?: string): boolean {
  if (!PLAIN_STRING_TYPES.has(id.type)) return false;
  if (id.country) return id.country === 'ES';
  if (id.type === 'VAT' && /^ES/i.test(id.number)) return true;
  return addressCountry === 'ES';
}

/** The Spanish number as Alegra stores it: no "ES" VAT prefix (the schema already upper-cased it, without separators). */
export function spanishNumber(id: Identification): string {
  const n = id.number;
  return id.type === 'VAT' && /^ES[A-Z0-9]{9}$/.test(n) ? n.slice(2) : n;
}

/** `DNI` or `NIF` by the number's form, or undefined when it is neither. */
export function spanishIdType(number: string): 'DNI' | 'NIF' | undefined {
  if (ALEGRA_ES_DNI.test(number)) return 'DNI';
  if (ALEGRA_ES_NIF.test(number)) return 'NIF';
  return undefined;
}

export type AlegraIdentification = string | { type: string; number: string; dv?: string };

/**
 * The native `identification` value, or undefined when the type has no Alegra equivalent (or a Spanish number
 * is neither a DNI nor a NIF). `addressCountry` is the country of the address sent (decides Spain when the
 * identification names no country).
 */
export function toAlegraIdentification(
  id: Identification,
  addressCountry?: string,
): AlegraIdentification | undefined {
  if (isSpanishIdentification(id, addressCountry)) {
    const number = spanishNumber(id);
    const type = spanishIdType(number);
    return type ? { type, number } : undefined;
  }
  if (PLAIN_STRING_TYPES.has(id.type)) return id.number;
  const type = ALEGRA_CO_ID_TYPES[id.type];
  if (!type) return undefined;
  // The schema computes the NIT check digit, so a NIT always carries its DV.
  return id.type === 'NIT' && id.checkDigit
    ? { type, number: id.number, dv: id.checkDigit }
    : { type, number: id.number };
}

/** The number the contact is stored (and looked up) under: the native one when it differs from the unified. */
export function alegraIdentificationNumber(c: UnifiedCustomer): string | undefined {
  const id = c.identification;
  if (!id) return undefined;
  const native = toAlegraIdentification(id, alegraAddress(c)?.country);
  if (native === undefined) return undefined;
  return typeof native === 'string' ? native : native.number;
}

/** Alegra keeps one address: the billing one, else the shipping one. */
export function alegraAddress(c: UnifiedCustomer) {
  return c.billingAddress ?? c.shippingAddress;
}

/** Whether the identification is one of the Colombian ones (decides Colombian-only fields such as `regime`). */
export function isColombianIdentification(id: UnifiedCustomer['identification']): boolean {
  return !!id && id.type in ALEGRA_CO_ID_TYPES;
}
