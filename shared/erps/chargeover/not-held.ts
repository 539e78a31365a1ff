import type { UnifiedCustomer } from '../../customer/schema';
import type { FieldWarning } from '../types';
import { commonNotHeld as common, type NotHeld, notHeldWarnings } from '../warnings';

const ERP = 'ChargeOver';

/** The customer phone sent as `superuser_phone` (the first primary, else the first), or -1 (the contact's is). */
function sentPhone(c: UnifiedCustomer): number {
  if (c.contacts?.[0]?.phone) return -1;
  const primary = (c.phones ?? []).findIndex((p) => p.kind === 'primary');
  return primary >= 0 ? primary : 0;
}

/** Unified fields a ChargeOver customer has no place for (docs/erps/chargeover.md, "Warnings"). */
export const CHARGEOVER_NOT_HELD: readonly NotHeld[] = [
  ...common.otherNameParts(ERP),
  common.commercialName(ERP),
  common.identificationType(ERP, 'the tax id only (tax_ident)'),
  common.identificationCountry(ERP),
  common.checkDigitUnlessNit(ERP),
  {
    pattern: '/email',
    message:
      "ChargeOver keeps one e-mail, the main contact's (contacts[0].email); the customer's email is not sent",
    when: (v, c) => c.contacts?.[0]?.email !== undefined && c.contacts[0].email !== v,
  },
  {
    pattern: '/phones/*',
    message: "ChargeOver keeps one phone, the main contact's (superuser_phone); this phone is not sent",
    when: (_v, c, [i]) => i !== sentPhone(c),
  },
  common.phoneKind(ERP, ['mobile', 'fax', 'other'], 'keeps one phone number without a kind'),
  common.website(ERP),
  common.contactsAfterFirst(ERP, 'the main contact, superuser_*'),
  ...common.cityCodeBesideCity(ERP),
  common.language(ERP),
  ...common.taxFields(ERP, ['vatResponsible', 'fiscalResponsibilities', 'regime']),
  common.notes(ERP),
  {
    pattern: '/active',
    message: 'ChargeOver sets a new customer active; active: false is not sent',
    when: (v) => v === false,
  },
  common.branchOffice(ERP),
];

export function chargeoverNotHeld(customer: UnifiedCustomer): FieldWarning[] {
  return notHeldWarnings(customer, CHARGEOVER_NOT_HELD);
}
