import { printedIdentification } from '../../customer/identification';
import { phoneText } from '../../customer/phone';
import type { Address, Phone, UnifiedCustomer } from '../../customer/schema';
import { toPointer } from '../../errors';
import { cityName, stateName } from '../../geo';
import { CONTROLLED_KEYS } from './fields';

/** The native Customer body plus where each native field came from (a JSON pointer into the unified body). */
export interface NativeCustomer {
  body: Record<string, unknown>;
  /** Native dotted path (e.g. `BillAddr.City`) → unified pointer (e.g. `/billingAddress/city`). */
  sources: Map<string, string>;
  /** Phones that found no free QuickBooks slot (index into `phones`). */
  unplacedPhones: number[];
}

type PhoneSlot = 'PrimaryPhone' | 'Mobile' | 'Fax' | 'AlternatePhone';
const SLOT_OF_KIND: Record<Phone['kind'], PhoneSlot> = {
  primary: 'PrimaryPhone',
  mobile: 'Mobile',
  fax: 'Fax',
  other: 'AlternatePhone',
};

/** The DisplayName the adapter derives: the company name, or "First Last" for a person. */
export function derivedDisplayName(c: UnifiedCustomer): string {
  if (c.personType === 'company') return c.name.company ?? '';
  return [c.name.first, c.name.last].filter(Boolean).join(' ');
}

/** The DisplayName actually sent: `erpFields.DisplayName` wins when it is a string. */
export function displayNameOf(c: UnifiedCustomer): string {
  const override = c.erpFields?.DisplayName;
  return typeof override === 'string' ? override : derivedDisplayName(c);
}

/**
 * QuickBooks' CountrySubDivisionCode: a postal abbreviation (CA, NY, ON; the ISO 3166-2 code) when the caller
 * gave one; numeric codes such as Colombia's DANE "11" mean nothing to QuickBooks, so the state name goes
 * instead — the caller's, else the name behind the code ("Bogotá, D.C.").
 */
function subdivision(a: Address): { value?: string; from?: 'stateCode' | 'state' } {
  if (a.stateCode && /^[A-Za-z]{1,3}$/.test(a.stateCode)) return { value: a.stateCode, from: 'stateCode' };
  const name = stateName(a);
  return name ? { value: name, from: a.state ? 'state' : 'stateCode' } : {};
}

function address(
  a: Address,
  at: string,
  native: string,
  sources: Map<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  a.lines.forEach((line, i) => {
    out[`Line${i + 1}`] = line;
    sources.set(`${native}.Line${i + 1}`, `${at}/lines/${i}`);
  });
  const city = cityName(a);
  if (city) {
    out.City = city;
    sources.set(`${native}.City`, `${at}/${a.city ? 'city' : 'cityCode'}`);
  }
  const sub = subdivision(a);
  if (sub.value) {
    out.CountrySubDivisionCode = sub.value;
    sources.set(`${native}.CountrySubDivisionCode`, `${at}/${sub.from}`);
  }
  if (a.postalCode) {
    out.PostalCode = a.postalCode;
    sources.set(`${native}.PostalCode`, `${at}/postalCode`);
  }
  out.Country = a.country;
  sources.set(`${native}.Country`, `${at}/country`);
  return out;
}

/**
 * Unified customer → QuickBooks Customer (JSON names = XSD element names). `erpFields` is merged last, key by key
 * at the top level (a caller's `BillAddr` replaces the whole address), except the keys the adapter controls
 * (`Id`, `SyncToken`, `sparse`: they would turn the create into an update).
 */
export function toQuickBooksCustomer(c: UnifiedCustomer): NativeCustomer {
  const body: Record<string, unknown> = {};
  const sources = new Map<string, string>();
  const set = (key: string, value: unknown, from?: string) => {
    body[key] = value;
    if (from) sources.set(key, from);
  };

  // A person's DisplayName joins two fields: its limits are reported at /name.
  set('DisplayName', derivedDisplayName(c), c.personType === 'company' ? '/name/company' : '/name');
  if (c.name.first) set('GivenName', c.name.first, '/name/first');
  if (c.name.last) set('FamilyName', c.name.last, '/name/last');
  if (c.name.company) set('CompanyName', c.name.company, '/name/company');
  if (c.email) {
    set('PrimaryEmailAddr', { Address: c.email });
    sources.set('PrimaryEmailAddr.Address', '/email');
  }

  const unplacedPhones: number[] = [];
  (c.phones ?? []).forEach((p, i) => {
    // The kind's own slot, else the alternate phone; QuickBooks has no room for more.
    const own = SLOT_OF_KIND[p.kind];
    const slot =
      body[own] === undefined ? own : body.AlternatePhone === undefined ? 'AlternatePhone' : undefined;
    if (!slot) {
      unplacedPhones.push(i);
      return;
    }
    set(slot, { FreeFormNumber: phoneText(p) });
    sources.set(`${slot}.FreeFormNumber`, `/phones/${i}`);
  });

  if (c.website) {
    set('WebAddr', { URI: c.website });
    sources.set('WebAddr.URI', '/website');
  }
  if (c.billingAddress) set('BillAddr', address(c.billingAddress, '/billingAddress', 'BillAddr', sources));
  if (c.shippingAddress) set('ShipAddr', address(c.shippingAddress, '/shippingAddress', 'ShipAddr', sources));
  if (c.notes) set('Notes', c.notes, '/notes');
  if (c.currency) {
    set('CurrencyRef', { value: c.currency });
    sources.set('CurrencyRef.value', '/currency');
  }
  // The tax id as one string; a Colombian NIT keeps its check digit as `900373913-4`.
  const taxId = printedIdentification(c.identification);
  if (taxId) set('PrimaryTaxIdentifier', taxId, '/identification/number');
  set('Active', c.active, '/active');

  for (const [key, value] of Object.entries(c.erpFields ?? {})) {
    if (Object.hasOwn(CONTROLLED_KEYS, key)) continue;
    // Forget what the adapter mapped under this key: the caller's value replaces it whole.
    for (const path of [...sources.keys()]) {
      if (path === key || path.startsWith(`${key}.`)) sources.delete(path);
    }
    body[key] = value;
    sources.set(key, toPointer(['erpFields', key]));
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const sub of Object.keys(value)) sources.set(`${key}.${sub}`, toPointer(['erpFields', key, sub]));
    }
  }
  return { body, sources, unplacedPhones };
}
