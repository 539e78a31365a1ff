/**
 * Maximum lengths of the customer fields this adapter writes. NetSuite does not publish them in its OpenAPI
 * (the account's metadata catalog is authoritative); these are the limits NetSuite's UI and one public import
 * template show. UNCONFIRMED — see docs/erps/netsuite.md.
 */
export const NETSUITE_MAX = {
  companyName: 83,
  firstName: 32,
  lastName: 32,
  email: 254,
  /** phone, mobilePhone, fax, altPhone as formatted by `phoneText` (shared/customer/phone.ts). */
  phone: 32,
  url: 100,
  comments: 4000,
  addressee: 83,
  addrLine: 150,
  city: 50,
  state: 50,
  zip: 36,
  entityId: 83,
} as const;

/** Address lines the addressBookAddress subrecord has (addr1..addr3). */
export const NETSUITE_ADDRESS_LINES = 3;

/**
 * External ids NetSuite accepts: letters, digits, `_` and `-` are documented; `.` is commonly used.
 * UNCONFIRMED beyond that, and the id travels in the URL (`eid:<id>`), so anything else is refused.
 */
export const NETSUITE_EXTERNAL_ID = /^[A-Za-z0-9._-]{1,64}$/;
