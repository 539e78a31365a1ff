import type { UnifiedCustomer } from '../../customer/schema';
import type { FieldWarning } from '../types';
import { commonNotHeld as common, type NotHeld, notHeldWarnings } from '../warnings';
import { netsuiteState } from './mapper';

const ERP = 'NetSuite';

/** Unified fields the NetSuite customer record gets no value from (docs/erps/netsuite.md, "Warnings"). */
export const NETSUITE_NOT_HELD: readonly NotHeld[] = [
  common.typeOther(ERP),
  ...common.otherNameParts(ERP),
  common.commercialName(ERP),
  {
    pattern: '/identification',
    message:
      "NetSuite's tax-registration field depends on the account's tax features; the identification is not sent (set e.g. erpFields.vatRegNumber)",
  },
  common.unplacedPhones(ERP, 'one phone field per kind (phone, mobilePhone, fax, altPhone)', (c) => {
    const phones = c.phones ?? [];
    return new Set(
      phones.map((_, i) => i).filter((i) => phones.findIndex((p) => p.kind === phones[i]?.kind) === i),
    );
  }),
  common.contacts(ERP),
  ...common.cityCodeBesideCity(ERP),
  ...common.stateNameBesideCode(ERP, (a) => netsuiteState(a)?.from === 'stateCode'),
  common.language(ERP),
  ...common.taxFields(ERP, ['vatResponsible', 'fiscalResponsibilities', 'exempt', 'regime']),
  common.branchOffice(ERP),
];

export function netsuiteNotHeld(customer: UnifiedCustomer): FieldWarning[] {
  return notHeldWarnings(customer, NETSUITE_NOT_HELD);
}
