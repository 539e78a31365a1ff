import type { UnifiedCustomer } from '../../customer/schema';
import { currencyByIdWarnings, foreignCityCodeWarnings } from '../geo-currency';
import type { FieldWarning } from '../types';

const notSupported = (pointer: string, message: string): FieldWarning => ({
  pointer,
  code: 'not_supported_by_erp',
  message,
});

/**
 * Unified fields NEXT's customer has no place for: its bill address is six printed lines (name, street, extra,
 * postal number, city, country) with no state, and there is no delivery address on the customer.
 */
export function nextWarnings(c: UnifiedCustomer): FieldWarning[] {
  const out = [...currencyByIdWarnings(c, 'currencyid'), ...foreignCityCodeWarnings(c, 'NEXT')];
  const a = c.billingAddress;
  if (a?.state || a?.stateCode) {
    out.push(
      notSupported(
        `/billingAddress/${a.state ? 'state' : 'stateCode'}`,
        'NEXT’s bill address has no state line (name, street, extra, postal number, city, country); not sent',
      ),
    );
  }
  if (c.shippingAddress) {
    out.push(notSupported('/shippingAddress', 'NEXT’s customer has no delivery address; not sent'));
  }
  return out.filter((w) => w.pointer !== '/shippingAddress/cityCode');
}
