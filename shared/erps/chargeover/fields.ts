import { type NativeCatalog, type NativeField, nf } from '../native-fields';

/**
 * The native body fields of `POST /api/v3/customer` (the official "Create a customer" page and its OpenAPI, the
 * reference excerpt; `custtype_id`, `no_*` flags and deliveries from the official C# SDK model), with the value
 * kind ChargeOver expects. ChargeOver documents no lengths. Used to check `erpFields` (unknown keys are refused:
 * ChargeOver answers them with its generic 400 or ignores them) and to point ERP messages back at the body.
 */
/** A ChargeOver id: a positive integer (the SDKs also send it as a numeric string). */
const id = nf.anyOf([nf.integer({ minimum: 1 }), nf.string(19, { pattern: /^[1-9]\d*$/ })], {
  nullable: true,
});
/** A flag: true/false, or 1/0 as ChargeOver itself returns them. */
const flag = nf.anyOf([nf.boolean(), nf.enum([0, 1])], { nullable: true });
const delivery = nf.enum(['email', 'print'], { nullable: true });
const str = nf.string(undefined, { nullable: true });

const CUSTOM_FIELDS = Array.from({ length: 20 }, (_, i) => `custom_${i + 1}`);

export const NATIVE_FIELDS: Readonly<Record<string, NativeField>> = {
  parent_customer_id: id,
  external_key: str,
  company: nf.string(undefined, { minLength: 1 }),
  language_id: id,
  currency_id: id,
  class_id: id,
  admin_id: id,
  campaign_id: id,
  campaign_details: str,
  superuser_username: str,
  superuser_email: str,
  superuser_name: str,
  superuser_first_name: str,
  superuser_last_name: str,
  superuser_phone: str,
  bill_addr1: str,
  bill_addr2: str,
  bill_addr3: nf.string(undefined, { nullable: true, description: 'deprecated by ChargeOver' }),
  bill_city: str,
  bill_state: str,
  bill_postcode: str,
  bill_country: str,
  ship_addr1: str,
  ship_addr2: str,
  ship_addr3: nf.string(undefined, { nullable: true, description: 'deprecated by ChargeOver' }),
  ship_city: str,
  ship_state: str,
  ship_postcode: str,
  ship_country: str,
  ...Object.fromEntries(CUSTOM_FIELDS.map((f) => [f, str])),
  brand_id: id,
  terms_id: id,
  // From the official C# SDK model, not in the reference excerpt.
  custtype_id: id,
  no_taxes: flag,
  no_dunning: flag,
  no_latefees: flag,
  no_procfees: flag,
  invoice_delivery: delivery,
  dunning_delivery: delivery,
  tax_ident: str,
  // UNVERIFIED: the excerpt says "A list of tags" without a shape; a list of strings (or one string) is the likely reading.
  tags: nf.anyOf([nf.string(), nf.array(nf.string())], { nullable: true }),
  // Set by ChargeOver; a create that carries them is refused.
  customer_id: nf.readOnly('the customer id ChargeOver assigns'),
  superuser_id: nf.readOnly('the main contact id ChargeOver assigns'),
  token: nf.readOnly('the customer token'),
  write_datetime: nf.readOnly('the creation time'),
  mod_datetime: nf.readOnly('the last change'),
  customer_status_state: nf.readOnly('the status'),
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

export const CHARGEOVER_CATALOG: NativeCatalog = {
  erp: 'ChargeOver',
  fields: NATIVE_FIELDS,
  controlled: CONTROLLED_FIELDS,
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
