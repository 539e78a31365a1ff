import type { UnifiedCustomer } from '../customer/schema';
import type { Issue } from '../errors';
import type { FieldWarning } from './types';

/**
 * The address and currency rules several adapters share (issue 11 §4): a unified field is mapped, refused at
 * accept, or named in a warning — never dropped silently.
 */

const warning = (pointer: string, message: string): FieldWarning => ({
  pointer,
  code: 'not_supported_by_erp',
  message,
});

/**
 * For ERPs that set a customer's currency by their own internal id (ChargeOver `currency_id`, NetSuite
 * `currency`, NEXT `currencyid`, Sage `CurrencyId`): an ISO code cannot name it, and sending nothing makes the
 * ERP apply its default currency, which sticks once the customer has transactions. So `/currency` is refused at
 * accept unless the native field is given in `erpFields`.
 */
export function currencyByIdIssues(
  c: UnifiedCustomer,
  erp: string,
  nativeField: string,
  example: string,
): Issue[] {
  if (!c.currency || c.erpFields?.[nativeField] !== undefined) return [];
  return [
    {
      pointer: '/currency',
      code: 'unsupported',
      message: `${erp} sets a customer's currency by its own internal id, which the ISO code ${c.currency} cannot name: send erpFields.${nativeField} (${example}) — left unset, ${erp} would apply the account's default currency`,
    },
  ];
}

/** When both are given, the native id decides and `/currency` itself is not sent. */
export function currencyByIdWarnings(c: UnifiedCustomer, nativeField: string): FieldWarning[] {
  if (!c.currency || c.erpFields?.[nativeField] === undefined) return [];
  return [warning('/currency', `not sent: erpFields.${nativeField} sets the currency`)];
}

/** For ERPs whose customer has no currency at all (it is chosen per document). */
export function currencyNotHeldWarnings(c: UnifiedCustomer, erp: string): FieldWarning[] {
  return c.currency
    ? [warning('/currency', `${erp} customers have no currency (it is chosen on each invoice); not sent`)]
    : [];
}

const ADDRESSES = [
  ['billingAddress', '/billingAddress'],
  ['shippingAddress', '/shippingAddress'],
] as const;

/** City codes exist only for Colombia (DANE); elsewhere an ERP that takes city text cannot use one. */
export function foreignCityCodeWarnings(c: UnifiedCustomer, erp: string): FieldWarning[] {
  const out: FieldWarning[] = [];
  for (const [key, at] of ADDRESSES) {
    const a = c[key];
    if (a?.cityCode && a.country !== 'CO') {
      out.push(
        warning(
          `${at}/cityCode`,
          `${erp} takes the city as text (/city); a city code outside Colombia is not sent`,
        ),
      );
    }
  }
  return out;
}

/** ERPs that keep one address: a shipping address next to a billing one is not sent. */
export function secondAddressWarnings(c: UnifiedCustomer, erp: string): FieldWarning[] {
  return c.billingAddress && c.shippingAddress
    ? [warning('/shippingAddress', `${erp} keeps one address per customer: the billing address is sent`)]
    : [];
}
