import type { Phone, UnifiedCustomer } from '../../customer/schema';
import type { FieldWarning } from '../types';
import { commonNotHeld as common, type NotHeld, notHeldWarnings } from '../warnings';

const ERP = 'Sage';

/** Indexes of the phones the mapper places: the first primary/other (Telephone), first mobile, first fax. */
function placedPhones(c: UnifiedCustomer): Set<number> {
  const phones = c.phones ?? [];
  const first = (pred: (p: Phone) => boolean) => phones.findIndex(pred);
  return new Set(
    [
      first((p) => p.kind === 'primary' || p.kind === 'other'),
      first((p) => p.kind === 'mobile'),
      first((p) => p.kind === 'fax'),
    ].filter((i) => i >= 0),
  );
}

/** Unified fields a Sage customer has no place for (docs/erps/sage.md, "Warnings"). */
export const SAGE_NOT_HELD: readonly NotHeld[] = [
  common.typeOther(ERP),
  ...common.otherNameParts(ERP),
  common.commercialName(ERP),
  {
    pattern: '/identification/type',
    message:
      'Sage keeps a registration number (ORG_NO) or a tax reference (VAT, and every other type): which kind of number it is, is not sent',
    when: (v) => v !== 'ORG_NO' && v !== 'VAT',
  },
  common.identificationCountry(ERP),
  common.checkDigitUnlessNit(ERP),
  common.unplacedPhones(ERP, 'one telephone, one mobile and one fax', placedPhones),
  common.phoneKind(ERP, ['other'], 'has no "other" phone: it is sent as the telephone'),
  {
    pattern: '/contacts/0/email',
    message: "Sage keeps a contact name only (ContactName); the contact's e-mail is not sent",
  },
  {
    pattern: '/contacts/0/phone',
    message: "Sage keeps the customer's telephone; the contact's phone is not sent",
    when: (_v, c) => (c.phones ?? []).some((p) => p.kind === 'primary' || p.kind === 'other'),
  },
  common.contactsAfterFirst(ERP, 'ContactName'),
  ...common.cityCodeBesideCity(ERP),
  common.language(ERP),
  ...common.taxFields(ERP, ['vatResponsible', 'fiscalResponsibilities', 'exempt', 'regime']),
  common.notes(ERP),
  common.branchOffice(ERP),
];

export function sageNotHeld(customer: UnifiedCustomer): FieldWarning[] {
  return notHeldWarnings(customer, SAGE_NOT_HELD);
}
