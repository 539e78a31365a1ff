import type { UnifiedCustomer } from '../../customer/schema';
import { spanishProvince } from '../../geo';
import type { FieldWarning } from '../types';
import { commonNotHeld as common, type NotHeld, notHeldWarnings } from '../warnings';
import { alegraAddress, isColombianIdentification, isSpanishIdentification } from './identification';
import { assignPhones } from './phones';

const ERP = 'Alegra';
const identificationCountry = common.identificationCountry(ERP);
/** Alegra España's typed identifications (NIF, DNI…), decided by the identification's or the address's country. */
const spanish = (c: UnifiedCustomer) =>
  !!c.identification && isSpanishIdentification(c.identification, alegraAddress(c)?.country);

/** Unified fields an Alegra contact has no place for (docs/erps/alegra.md, "Warnings"). */
export const ALEGRA_NOT_HELD: readonly NotHeld[] = [
  ...common.otherNameParts(ERP),
  common.commercialName(ERP),
  {
    pattern: '/identification/type',
    message:
      'Alegra takes a foreign identification (VAT / TAX_ID / ORG_NO) as a plain number; its type is not sent',
    when: (v, c) => (v === 'VAT' || v === 'TAX_ID' || v === 'ORG_NO') && !spanish(c),
  },
  // A Spanish identification is sent typed (NIF, DNI…): its country is what decides that.
  {
    ...common.identificationCountry(ERP),
    when: (v, c) => !spanish(c) && identificationCountry.when?.(v, c, []) !== false,
  },
  common.checkDigitUnlessNit(ERP),
  common.movedPhoneKind(ERP, 'another phone field', (c, i) => assignPhones(c.phones).moved.includes(i)),
  common.website(ERP),
  {
    pattern: '/shippingAddress',
    message: 'Alegra keeps one address per contact: the billing address is sent, the shipping address is not',
    when: (_v, c) => c.billingAddress !== undefined,
  },
  ...common.cityCodeBesideCity(ERP),
  // Spain: the province comes from its ISO code when that resolves; a name next to it is not sent.
  ...common.stateNameBesideCode(ERP, (a) => a.country === 'ES' && spanishProvince(a)?.from === 'stateCode'),
  common.language(ERP),
  {
    pattern: '/tax/vatResponsible',
    message:
      'Alegra has no VAT-responsibility field: it only sets the Colombian regime from it, and tax.regime or a non-Colombian identification leaves nothing to set',
    when: (_v, c) => c.tax?.regime !== undefined || !isColombianIdentification(c.identification),
  },
  ...common.taxFields(ERP, ['fiscalResponsibilities', 'exempt']),
  common.externalId(ERP),
  common.branchOffice(ERP),
];

export function alegraNotHeld(customer: UnifiedCustomer): FieldWarning[] {
  return notHeldWarnings(customer, ALEGRA_NOT_HELD);
}
