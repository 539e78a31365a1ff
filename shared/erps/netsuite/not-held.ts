import type { UnifiedCustomer } from '../../customer/schema';
import type { FieldWarning } from '../types';
import { commonNotHeld as common, type NotHeld, notHeldWarnings } from '../warnings';

const ERP = 'NetSuite';

/** Unified fields the NetSuite customer record gets no value from (docs/erps/netsuite.md, "Warnings"). */
export const NETSUITE_NOT_HELD: readonly NotHeld[] = [
  common.typeOther(ERP),
  common.namePart(ERP, 'company', 'person'),
  common.namePart(ERP, 'first', 'company'),
  common.namePart(ERP, 'last', 'company'),
  common.commercialName(ERP),
  {
    pattern: '/identification',
    message:
      "NetSuite's tax-registration field depends on the account's tax features; the identification is not sent (set e.g. erpFields.vatRegNumber)",
  },
  {
    pattern: '/phones/*',
    message:
      'NetSuite has one phone field per kind (phone, mobilePhone, fax, altPhone) and this kind is taken by an earlier phone; it is not sent',
    when: (_v, c, [i]) => (c.phones ?? []).findIndex((p) => p.kind === c.phones?.[i as number]?.kind) !== i,
  },
  common.contacts(ERP),
  common.language(ERP),
  common.tax(ERP, 'vatResponsible'),
  common.tax(ERP, 'fiscalResponsibilities'),
  common.tax(ERP, 'exempt'),
  common.tax(ERP, 'regime'),
  common.branchOffice(ERP),
];

export function netsuiteNotHeld(customer: UnifiedCustomer): FieldWarning[] {
  return notHeldWarnings(customer, NETSUITE_NOT_HELD);
}
