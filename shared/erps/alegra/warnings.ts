import type { UnifiedCustomer } from '../../customer/schema';
import { spanishProvince } from '../../geo';
import { currencyNotHeldWarnings, foreignCityCodeWarnings, secondAddressWarnings } from '../geo-currency';
import type { FieldWarning } from '../types';
import { alegraAddress } from './identification';

/** Unified fields Alegra's contact has no place for (reported, never dropped silently). */
export function alegraWarnings(c: UnifiedCustomer): FieldWarning[] {
  const out = [
    ...currencyNotHeldWarnings(c, 'Alegra'),
    ...secondAddressWarnings(c, 'Alegra'),
    ...foreignCityCodeWarnings(c, 'Alegra').filter((w) => w.pointer.startsWith(alegraAddressPointer(c))),
  ];
  // Spain: Alegra takes the province; a region that is not one (Catalunya has four) cannot be sent.
  const a = alegraAddress(c);
  if (a?.country === 'ES' && (a.stateCode || a.state) && !spanishProvince(a)) {
    out.push({
      pointer: `${alegraAddressPointer(c)}/${a.stateCode ? 'stateCode' : 'state'}`,
      code: 'not_supported_by_erp',
      message:
        'Alegra España takes the province: this region is not one (send the province or a postal code)',
    });
  }
  return out;
}

function alegraAddressPointer(c: UnifiedCustomer): string {
  return c.billingAddress ? '/billingAddress' : '/shippingAddress';
}
