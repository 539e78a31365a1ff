import type { UnifiedCustomer } from '../../customer/schema';
import type { FieldWarning } from '../types';
import { commonNotHeld as common, type NotHeld, notHeldWarnings } from '../warnings';

const ERP = 'Siigo';

/** Unified fields Siigo's CustomerIn has no place for (docs/erps/siigo.md, "Warnings"). */
export const SIIGO_NOT_HELD: readonly NotHeld[] = [
  ...common.otherNameParts(ERP),
  {
    pattern: '/identification/type',
    message:
      'Siigo has one code for foreign identifications (50 NIT de otro país for a company, 42 documento extranjero for a person); the kind VAT / TAX_ID / ORG_NO is not sent',
    when: (v) => v === 'VAT' || v === 'TAX_ID' || v === 'ORG_NO',
  },
  common.identificationCountry(ERP),
  common.phoneKind(ERP, ['mobile', 'fax', 'other'], 'phones carry no kind'),
  {
    pattern: '/billingAddress/city',
    message: 'Siigo takes the city from its DANE code (cityCode); the city name is not sent',
  },
  {
    pattern: '/billingAddress/state',
    message: 'Siigo takes the department from its DANE code (stateCode); the name is not sent',
  },
  common.website(ERP),
  common.shippingAddress(ERP),
  common.language(ERP),
  ...common.taxFields(ERP, ['exempt', 'regime']),
  common.externalId(ERP),
];

export function siigoNotHeld(customer: UnifiedCustomer): FieldWarning[] {
  return notHeldWarnings(customer, SIIGO_NOT_HELD);
}
