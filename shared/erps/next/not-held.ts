import type { UnifiedCustomer } from '../../customer/schema';
import type { FieldWarning } from '../types';
import { commonNotHeld as common, type NotHeld, notHeldWarnings } from '../warnings';

const ERP = 'NEXT';

/** Indexes of the phones the mapper places (phone, mobile, fax; `other` takes the first free of phone/mobile). */
function placedPhones(c: UnifiedCustomer): Set<number> {
  const taken = new Set<string>();
  const placed = new Set<number>();
  (c.phones ?? []).forEach((p, i) => {
    const own =
      p.kind === 'primary' ? 'phone' : p.kind === 'mobile' ? 'mobile' : p.kind === 'fax' ? 'fax' : undefined;
    const slot = own ?? ['phone', 'mobile'].find((k) => !taken.has(k));
    if (slot && !taken.has(slot)) {
      taken.add(slot);
      placed.add(i);
    }
  });
  return placed;
}

/** Unified fields NEXT's customer has no place for (docs/erps/next.md, "Warnings"). */
export const NEXT_NOT_HELD: readonly NotHeld[] = [
  common.typeOther(ERP),
  ...common.otherNameParts(ERP),
  common.commercialName(ERP),
  {
    pattern: '/identification/type',
    message:
      'NEXT keeps the number as organizationno (organisation or personal number); the type is not sent',
    when: (v) => v !== 'VAT' && v !== 'ORG_NO',
  },
  common.checkDigitUnlessNit(ERP),
  {
    pattern: '/identification/country',
    message: "NEXT keeps one country code, the billing address's; the identification's country is not sent",
    when: (v, c) => c.billingAddress !== undefined && c.billingAddress.country !== v,
  },
  common.unplacedPhones(ERP, 'one phone, one mobile and one fax', placedPhones),
  common.phoneKind(ERP, ['other'], 'has no "other" phone: it is sent as phone or mobile'),
  common.shippingAddress(ERP),
  common.contacts(ERP, 'NEXT keeps them at a separate endpoint'),
  ...common.cityCodeBesideCity(ERP),
  common.language(ERP),
  ...common.taxFields(ERP, ['vatResponsible', 'fiscalResponsibilities', 'regime']),
  common.branchOffice(ERP),
];

export function nextNotHeld(customer: UnifiedCustomer): FieldWarning[] {
  return notHeldWarnings(customer, NEXT_NOT_HELD);
}
