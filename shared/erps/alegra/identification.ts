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
 * (e.g. a Mexican RFC) are posted in the examples found. UNCERTAIN for Spain's new {type, number} structure.
 */
const PLAIN_STRING_TYPES = new Set<IdType>(['VAT', 'TAX_ID', 'ORG_NO']);

export type AlegraIdentification = string | { type: string; number: string; dv?: string };

/** The native `identification` value, or undefined when the type has no Alegra equivalent. */
export function toAlegraIdentification(
  id: NonNullable<UnifiedCustomer['identification']>,
): AlegraIdentification | undefined {
  if (PLAIN_STRING_TYPES.has(id.type)) return id.number;
  const type = ALEGRA_CO_ID_TYPES[id.type];
  if (!type) return undefined;
  // The schema computes the NIT check digit, so a NIT always carries its DV.
  return id.type === 'NIT' && id.checkDigit
    ? { type, number: id.number, dv: id.checkDigit }
    : { type, number: id.number };
}

/** Whether the identification is one of the Colombian ones (decides Colombian-only fields such as `regime`). */
export function isColombianIdentification(id: UnifiedCustomer['identification']): boolean {
  return !!id && id.type in ALEGRA_CO_ID_TYPES;
}
