import { phoneText } from '../../customer/phone';
import type { Address, Phone, UnifiedCustomer } from '../../customer/schema';
import { toPointer } from '../../errors';
import { cityName, stateName, subdivisionByName } from '../../geo';
import { CONTROLLED_ERP_FIELDS, NETSUITE_MAX } from './fields';

const PHONE_FIELDS: Record<Phone['kind'], string> = {
  primary: 'phone',
  mobile: 'mobilePhone',
  fax: 'fax',
  other: 'altPhone',
};

export interface NetSuiteMapping {
  body: Record<string, unknown>;
  /** NetSuite `o:errorPath` (e.g. `addressBook.items[0].addressBookAddress.city`) → unified JSON pointer. */
  pointers: Map<string, string>;
}

export function displayName(c: UnifiedCustomer): string {
  return c.personType === 'company'
    ? (c.name.company ?? '')
    : [c.name.first, c.name.last].filter(Boolean).join(' ');
}

/**
 * Countries whose NetSuite state list (Setup > Company > States/Provinces/Counties) uses the postal abbreviation
 * as the short name NetSuite checks `state` against ("CA"; NetSuite Help "Setting State Values": "the state
 * value is defined as the string CA"). These abbreviations are the ISO 3166-2 codes. US and CA are documented;
 * AU's short names (NSW, VIC…) are inferred.
 */
export const NETSUITE_STATE_CODE_COUNTRIES = new Set(['US', 'CA', 'AU']);

/**
 * The `state` NetSuite gets: for countries it checks, the ISO 3166-2 code (from `stateCode`, or the `state` name
 * matched to one; an unmatched name is refused by the requirements); elsewhere the name — the caller's `state`,
 * else the one behind `stateCode` (DANE's department name for Colombia: "11" is not a state name).
 */
export function netsuiteState(a: Address): { value: string; from: 'state' | 'stateCode' } | undefined {
  if (NETSUITE_STATE_CODE_COUNTRIES.has(a.country)) {
    if (a.stateCode) return { value: a.stateCode, from: 'stateCode' };
    if (a.state) return { value: subdivisionByName(a.country, a.state)?.suffix ?? a.state, from: 'state' };
    return undefined;
  }
  const value = stateName(a, NETSUITE_MAX.state);
  return value ? { value, from: a.state ? 'state' : 'stateCode' } : undefined;
}

function addressItem(
  a: Address,
  addressee: { value: string; pointer: string },
  flags: { defaultBilling: boolean; defaultShipping: boolean; label: string },
  native: string,
  unified: string,
  pointers: Map<string, string>,
) {
  const addr: Record<string, unknown> = { addressee: addressee.value };
  // The addressee is the customer's name: a limit it breaks is the name's, not the address's.
  pointers.set(`${native}.addressee`, addressee.pointer);
  a.lines.forEach((line, i) => {
    addr[`addr${i + 1}`] = line;
    pointers.set(`${native}.addr${i + 1}`, `${unified}/lines/${i}`);
  });
  const city = cityName(a);
  if (city) addr.city = city;
  const state = netsuiteState(a);
  if (state) addr.state = state.value;
  if (a.postalCode) addr.zip = a.postalCode;
  // The country is an enum in NetSuite; the REST API writes enums as {"id": …} (a bare "CO" is UNCONFIRMED).
  addr.country = { id: a.country };
  pointers.set(`${native}.city`, `${unified}/${a.city ? 'city' : 'cityCode'}`);
  pointers.set(`${native}.state`, `${unified}/${state?.from ?? 'state'}`);
  pointers.set(`${native}.zip`, `${unified}/postalCode`);
  pointers.set(`${native}.country`, `${unified}/country`);
  pointers.set(native, unified);
  pointers.set(native.slice(0, -'.addressBookAddress'.length), unified);
  return { ...flags, addressBookAddress: addr };
}

/**
 * The unified customer → a NetSuite `customer` record for `PUT /record/v1/customer/eid:<externalId>`.
 * `erpFields` are merged last (caller wins) except CONTROLLED_ERP_FIELDS.
 */
export function toNetSuiteCustomer(
  c: UnifiedCustomer,
  opts: { externalId: string; subsidiaryId?: string },
): NetSuiteMapping {
  const pointers = new Map<string, string>();
  const body: Record<string, unknown> = {};
  const set = (key: string, value: unknown, pointer: string) => {
    body[key] = value;
    pointers.set(key, pointer);
  };

  const isPerson = c.personType === 'person';
  set('isPerson', isPerson, '/personType');
  if (isPerson) {
    set('firstName', c.name.first, '/name/first');
    set('lastName', c.name.last, '/name/last');
  } else {
    set('companyName', c.name.company, '/name/company');
  }
  if (c.email) set('email', c.email, '/email');
  c.phones?.forEach((p, i) => {
    const field = PHONE_FIELDS[p.kind];
    // One NetSuite field per kind: the first phone of each kind wins.
    if (!(field in body)) set(field, phoneText(p), `/phones/${i}`);
  });
  if (c.website) set('url', c.website, '/website');
  if (c.notes) set('comments', c.notes, '/notes');
  set('isInactive', !c.active, '/active');
  if (opts.subsidiaryId) body.subsidiary = { id: opts.subsidiaryId };

  const items: unknown[] = [];
  const addressee = {
    value: displayName(c),
    pointer: c.personType === 'company' ? '/name/company' : '/name',
  };
  const bill = c.billingAddress;
  const ship = c.shippingAddress;
  if (bill) {
    items.push(
      addressItem(
        bill,
        addressee,
        { defaultBilling: true, defaultShipping: !ship, label: ship ? 'Billing' : 'Main' },
        `addressBook.items[${items.length}].addressBookAddress`,
        '/billingAddress',
        pointers,
      ),
    );
  }
  if (ship) {
    items.push(
      addressItem(
        ship,
        addressee,
        { defaultBilling: !bill, defaultShipping: true, label: bill ? 'Shipping' : 'Main' },
        `addressBook.items[${items.length}].addressBookAddress`,
        '/shippingAddress',
        pointers,
      ),
    );
  }
  if (items.length) body.addressBook = { items };

  for (const [key, value] of Object.entries(c.erpFields ?? {})) {
    if (Object.hasOwn(CONTROLLED_ERP_FIELDS, key)) continue;
    body[key] = value;
    // The caller's value replaces ours, so errors under it point at erpFields.
    for (const p of [...pointers.keys()]) {
      if (p.startsWith(`${key}.`) || p.startsWith(`${key}[`)) pointers.delete(p);
    }
    pointers.set(key, toPointer(['erpFields', key]));
  }
  body.externalId = opts.externalId;
  pointers.set('externalId', '/externalId');
  return { body, pointers };
}
