import type { UnifiedCustomer } from '../../customer/schema';

/**
 * Unified identification type → Siigo `id_type` (DIAN document codes, SG-APIB L2488-2506).
 * VAT / TAX_ID / ORG_NO are foreign identifiers: a company's is a foreign tax number ("50" NIT de otro país),
 * a person's a foreign identity document ("42" Documento de identificación extranjero).
 */
const ID_TYPE_CODES = {
  NIT: '31',
  CC: '13',
  CE: '22',
  TI: '12',
  RC: '11',
  PP: '41',
  PEP: '47',
  PPT: '48',
  DIE: '42',
  NUIP: '91',
  FOREIGN_NIT: '50',
} as const;

type Identification = NonNullable<UnifiedCustomer['identification']>;

export function siigoIdType(id: Identification, personType: UnifiedCustomer['personType']): string {
  if (id.type === 'VAT' || id.type === 'TAX_ID' || id.type === 'ORG_NO') {
    return personType === 'company' ? '50' : '42';
  }
  return ID_TYPE_CODES[id.type];
}

/** Siigo id types whose identification is numeric, 3 to 13 digits (cédula, NIT, registro civil). */
const NUMERIC_ID_TYPES = new Set(['13', '31', '11']);

export function isNumericIdType(code: string): boolean {
  return NUMERIC_ID_TYPES.has(code);
}

/**
 * The identification as Siigo stores it: the number as the unified schema normalized it (numeric Colombian
 * types digits only, "1.020.304.050" → "1020304050"). Create and look-up both use this, so a retry looks for
 * exactly what was sent.
 */
export function siigoIdentification(customer: UnifiedCustomer): string | undefined {
  return customer.identification?.number;
}

export function siigoBranchOffice(customer: UnifiedCustomer): number {
  return customer.branchOffice ?? 0;
}

export const SIIGO_CUSTOMER_TYPES = { customer: 'Customer', supplier: 'Supplier', other: 'Other' } as const;
export const SIIGO_PERSON_TYPES = { person: 'Person', company: 'Company' } as const;
