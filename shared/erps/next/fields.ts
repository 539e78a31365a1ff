import { type NativeCatalog, type NativeField, nf } from '../native-fields';

/**
 * The native fields of NEXT's Create Customer body (next-tech.readme.io, "Create Customer"), with types and
 * documented length limits. `keyConfirmed: false` marks a key whose description and limit are documented but
 * whose exact JSON spelling was not readable in the stored reference: the key here is the most likely one,
 * chosen to fit the reference's alphabetical field order. A wrong guess is a one-line fix in this table
 * (the mapper and requirements read keys from here only).
 */
/** A key whose JSON spelling is not confirmed by the stored reference (see the note above). */
const UNCONFIRMED = 'key spelling UNCONFIRMED';
const s = (max: number | undefined, description: string, keyConfirmed = true): NativeField =>
  nf.string(max, {
    nullable: true,
    description: keyConfirmed ? description : `${description} (${UNCONFIRMED})`,
  });
const id = (description: string, keyConfirmed = true): NativeField =>
  nf.integer({ nullable: true, description: keyConfirmed ? description : `${description} (${UNCONFIRMED})` });
const flag = (description: string, keyConfirmed = true): NativeField =>
  nf.boolean({ description: keyConfirmed ? description : `${description} (${UNCONFIRMED})` });

export const NEXT_FIELDS: Record<string, NativeField> = {
  active: flag('customer is active and in use (default true)'),
  apartmentno: s(10, 'apartment number'),
  bankaccountno: s(50, 'account no in bank'),
  bankname: s(50, 'name of bank'),
  billaddress1: s(50, 'address line 1, usually name'),
  billaddress2: s(50, 'address line 2, usually street address'),
  billaddress3: s(50, 'address line 3, building, box, etc.'),
  billaddress4: s(50, 'address line 4, usually postal number'),
  billaddress5: s(50, 'address line 5, usually city'),
  billaddress6: s(50, 'address line 6, usually country'),
  billingtermsid: id('billing terms (id), used on the invoice'),
  clearingno: s(20, 'clearing no'),
  constructioncompany: flag('construction company (contractor VAT, byggmoms); not with novat'),
  countrycode: s(2, 'country code (mandatory when OCR is used on invoices)'),
  creditrisk: flag('customer is a credit risk'),
  // `integer` without `| null` in the reference; omitted means the database's default currency.
  currencyid: nf.integer({ description: 'currency (id)' }),
  customerno: s(50, 'customer number, used with external systems'),
  customernote: s(128_000, 'internal notes'),
  customertypeid: nf.integer({
    description: 'type (id) of customer: Company, Private, Government… (ids are per database); required',
  }),
  defaultexternalworkorderstatusid: id('external work-order status inherited by work orders'),
  eancode: s(50, 'EAN code', false),
  ediaddress: s(255, 'EDI address', false),
  email: s(255, 'email to customer', false),
  externalid: s(50, 'id in external system (null if created in NEXT and not yet exported)', false),
  fax: s(30, 'fax', false),
  frameworkcontractid: id('framework contract set on work orders', false),
  housingcooperativeorgno: s(15, 'organization no (housing cooperative)', false),
  iban: s(34, 'IBAN', false),
  invoiceemail: s(255, 'email used when sending invoices', false),
  invoicetypeid: id('invoice type (id)', false),
  isalsosupplier: flag('also a supplier (same id in the supplier endpoint)'),
  markuppercentage: nf.number({ nullable: true, description: `markup percentage (${UNCONFIRMED})` }),
  mobile: s(undefined, 'mobile phone, can be used for SMS', false),
  name: nf.string(50, { minLength: 1, description: 'name of customer; required' }),
  novat: flag('no VAT on invoices by default; not with constructioncompany'),
  organizationno: s(undefined, 'organization identification number or personal number', false),
  phone: s(undefined, 'primary phone', false),
  privateperson: flag('customer is a private person', false),
  propertyname: s(undefined, 'name of property', false),
  swiftbic: s(undefined, 'SWIFT / BIC', false),
  useinvoicefee: flag('add an invoice fee on invoices to this customer', false),
  vatno: s(undefined, 'VAT number (mandatory for reverse-charge construction VAT)'),
  webaddress: s(undefined, 'web address', false),
};

/** Fields NEXT requires on create (the reference marks them "required"). */
export const NEXT_REQUIRED = ['name', 'customertypeid'] as const;

/**
 * Keys the adapter controls: `customerno` is what the look-up searches by after a lost response, so a caller's
 * erpFields must not change it behind the look-up's back (the caller sets it through `externalId`).
 */
/** erpFields the adapter sets itself (customerno is the look-up key that prevents duplicates). */
export const CONTROLLED_FIELDS: Readonly<Record<string, string>> = {
  customerno:
    'customerno is set by the adapter from externalId (it is the look-up key that prevents duplicates); send externalId instead',
};

export const NEXT_CATALOG: NativeCatalog = {
  erp: 'NEXT',
  fields: NEXT_FIELDS,
  controlled: CONTROLLED_FIELDS,
};
