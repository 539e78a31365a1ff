/**
 * The native body fields of `POST /api/v3/customer` (fact sheet A.4 and the reference excerpt), with the value kind
 * ChargeOver expects. Used to check `erpFields` at accept time and to point ERP messages back at the unified body.
 */
export type FieldKind = 'string' | 'id' | 'flag' | 'delivery' | 'tags';

const CUSTOM_FIELDS = Array.from({ length: 20 }, (_, i) => `custom_${i + 1}`);

export const NATIVE_FIELDS: Readonly<Record<string, FieldKind>> = {
  parent_customer_id: 'id',
  external_key: 'string',
  company: 'string',
  language_id: 'id',
  currency_id: 'id',
  class_id: 'id',
  admin_id: 'id',
  campaign_id: 'id',
  campaign_details: 'string',
  superuser_username: 'string',
  superuser_email: 'string',
  superuser_name: 'string',
  superuser_first_name: 'string',
  superuser_last_name: 'string',
  superuser_phone: 'string',
  bill_addr1: 'string',
  bill_addr2: 'string',
  bill_addr3: 'string',
  bill_city: 'string',
  bill_state: 'string',
  bill_postcode: 'string',
  bill_country: 'string',
  ship_addr1: 'string',
  ship_addr2: 'string',
  ship_addr3: 'string',
  ship_city: 'string',
  ship_state: 'string',
  ship_postcode: 'string',
  ship_country: 'string',
  ...Object.fromEntries(CUSTOM_FIELDS.map((f) => [f, 'string' as const])),
  brand_id: 'id',
  terms_id: 'id',
  // From the official C# SDK model, not in the reference excerpt.
  custtype_id: 'id',
  no_taxes: 'flag',
  no_dunning: 'flag',
  no_latefees: 'flag',
  no_procfees: 'flag',
  invoice_delivery: 'delivery',
  dunning_delivery: 'delivery',
  tax_ident: 'string',
  // UNVERIFIED: the excerpt says "A list of tags" without a shape; an array of strings is the likely reading.
  tags: 'tags',
};

/**
 * Fields the adapter must control: `external_key` is ChargeOver's unique constraint and our look-up key, so a
 * caller-supplied value would break the look-up before re-create. Callers set it through `externalId`.
 */
/** erpFields the adapter sets itself (the look-up key that prevents duplicates). */
export const CONTROLLED_FIELDS: Readonly<Record<string, string>> = {
  external_key:
    'external_key is set by the adapter (it is the look-up key that prevents duplicates); send externalId instead',
};

/** Where each mapped native field comes from in the unified body (for pointing ERP messages back at it). */
export const UNIFIED_POINTERS: Readonly<Record<string, string>> = {
  external_key: '/externalId',
  company: '/name',
  superuser_email: '/email',
  superuser_phone: '/phones/0',
  superuser_name: '/contacts/0',
  superuser_first_name: '/contacts/0/firstName',
  superuser_last_name: '/contacts/0/lastName',
  bill_addr1: '/billingAddress/lines/0',
  bill_addr2: '/billingAddress/lines/1',
  bill_city: '/billingAddress/city',
  bill_state: '/billingAddress/state',
  bill_postcode: '/billingAddress/postalCode',
  bill_country: '/billingAddress/country',
  ship_addr1: '/shippingAddress/lines/0',
  ship_addr2: '/shippingAddress/lines/1',
  ship_city: '/shippingAddress/city',
  ship_state: '/shippingAddress/state',
  ship_postcode: '/shippingAddress/postalCode',
  ship_country: '/shippingAddress/country',
  tax_ident: '/identification/number',
  no_taxes: '/tax/exempt',
};
