import type { UnifiedCustomer } from '../../customer/schema';
import type { FieldWarning } from '../types';
import { commonNotHeld as common, type NotHeld, notHeldWarnings } from '../warnings';
import { toQuickBooksCustomer } from './mapper';

const ERP = 'QuickBooks';

/** Unified fields the QuickBooks Customer has no place for (docs/erps/quickbooks.md, "Warnings"). */
export const QUICKBOOKS_NOT_HELD: readonly NotHeld[] = [
  common.typeOther(ERP),
  common.commercialName(ERP),
  common.identificationType(ERP, 'the tax number only (PrimaryTaxIdentifier)'),
  common.identificationCountry(ERP),
  common.checkDigitUnlessNit(ERP),
  common.movedPhoneKind(
    ERP,
    'AlternatePhone',
    (c, i) =>
      c.phones?.[i]?.kind !== 'other' &&
      toQuickBooksCustomer(c).sources.get('AlternatePhone.FreeFormNumber') === `/phones/${i}`,
  ),
  common.contacts(ERP, 'the Customer has no contact list; ContactName can be set through erpFields'),
  ...common.cityCodeBesideCity(ERP),
  ...common.stateNameBesideCode(ERP, (a) => /^[A-Za-z]{1,3}$/.test(a.stateCode ?? '')),
  common.language(ERP),
  ...common.taxFields(ERP, ['vatResponsible', 'fiscalResponsibilities', 'exempt', 'regime']),
  common.externalId(ERP),
  common.branchOffice(ERP),
];

export function quickbooksNotHeld(customer: UnifiedCustomer): FieldWarning[] {
  return notHeldWarnings(customer, QUICKBOOKS_NOT_HELD);
}
