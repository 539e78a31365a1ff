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
  {
    pattern: '/phones/*/kind',
    message:
      "QuickBooks' field for this kind is taken by an earlier phone: the number goes to AlternatePhone, the kind is not kept",
    when: (v, c, [i]) =>
      v !== 'other' &&
      toQuickBooksCustomer(c).sources.get('AlternatePhone.FreeFormNumber') === `/phones/${i}`,
  },
  common.contacts(ERP, 'the Customer has no contact list; ContactName can be set through erpFields'),
  common.language(ERP),
  common.tax(ERP, 'vatResponsible'),
  common.tax(ERP, 'fiscalResponsibilities'),
  common.tax(ERP, 'exempt'),
  common.tax(ERP, 'regime'),
  common.externalId(ERP),
  common.branchOffice(ERP),
];

export function quickbooksNotHeld(customer: UnifiedCustomer): FieldWarning[] {
  return notHeldWarnings(customer, QUICKBOOKS_NOT_HELD);
}
