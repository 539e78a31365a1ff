import { type NativeCatalog, type NativeField, nf } from '../native-fields';

/**
 * The QuickBooks Online Customer as the adapter may send it: element names and types from Intuit's XSD
 * (`IntuitNamesTypes.xsd` NameBase + Customer, `IntuitBaseTypes.xsd` PhysicalAddress/TelephoneNumber/EmailAddress/
 * WebSiteAddress/ReferenceType); lengths from the Customer API reference (QB-REF), which governs where the two
 * disagree — the XSD's `Description` annotations carry older, stricter lengths (GivenName 25, FamilyName 15,
 * MiddleName 15, Title/Suffix 15, Notes 1024, FreeFormNumber 21) that the live API no longer applies, and
 * refusing "Castellanos Villamizar" (22) at accept time would be a defect. Where QB-REF gives no length the XSD
 * does (EmailAddress 100, PhysicalAddress lines 500 / City 255 / PostalCode 30). Lengths count characters.
 * Sources per limit: docs/erps/quickbooks.md, "Field limits (audited)".
 */

/** `{"value": "<Id>", "name"?: "…"}` (XSD ReferenceType: simple content plus `name`/`type` attributes). */
const ref = (valueMax?: number) =>
  nf.object({ value: nf.string(valueMax), name: nf.string(), type: nf.string() }, { required: ['value'] });

const phone = nf.object({
  FreeFormNumber: nf.string(30),
  // XSD TelephoneNumber; QBO keeps the free-form number, the parts are accepted.
  Id: nf.string(),
  DeviceType: nf.string(),
  CountryCode: nf.string(),
  AreaCode: nf.string(),
  ExchangeCode: nf.string(),
  Extension: nf.string(),
  Default: nf.boolean(),
  Tag: nf.string(),
});

const physicalAddress = nf.object({
  Id: nf.string(),
  Line1: nf.string(500),
  Line2: nf.string(500),
  Line3: nf.string(500),
  Line4: nf.string(500),
  Line5: nf.string(500),
  City: nf.string(255),
  Country: nf.string(255),
  CountryCode: nf.string(),
  County: nf.string(),
  CountrySubDivisionCode: nf.string(255),
  PostalCode: nf.string(30),
  PostalCodeSuffix: nf.string(),
  Lat: nf.string(),
  Long: nf.string(),
  Tag: nf.string(),
  Note: nf.string(),
});

/** Name fields: no `:` (it separates Parent:Job), tab or newline (QB-REF business rules). */
export const NAME_FIELDS = [
  'DisplayName',
  'Title',
  'GivenName',
  'MiddleName',
  'FamilyName',
  'Suffix',
  'PrintOnCheckName',
] as const;

export const FORBIDDEN_NAME_CHARS = /[:\t\r\n]/;

/**
 * Keys the adapter controls: `Id` + `SyncToken` in a POST to /customer make it an UPDATE of an existing customer,
 * and `sparse` only means something for updates. Allowing them through `erpFields` would let a create silently
 * overwrite someone else's customer.
 */
export const CONTROLLED_KEYS: Readonly<Record<string, string>> = {
  Id: 'Id is set by QuickBooks: with it a create would update an existing QuickBooks customer',
  SyncToken: 'SyncToken is for updates: with it a create would update an existing QuickBooks customer',
  sparse: 'sparse is for updates: this API only creates',
};

const FIELDS: Record<string, NativeField> = {
  // NameBase
  Title: nf.string(16),
  GivenName: nf.string(100),
  MiddleName: nf.string(100),
  FamilyName: nf.string(100),
  Suffix: nf.string(16),
  CompanyName: nf.string(100),
  DisplayName: nf.string(500),
  PrintOnCheckName: nf.string(110),
  Active: nf.boolean(),
  PrimaryPhone: phone,
  AlternatePhone: phone,
  Mobile: phone,
  Fax: phone,
  PrimaryEmailAddr: nf.object({
    Id: nf.string(),
    Address: nf.string(100),
    Default: nf.boolean(),
    Tag: nf.string(),
  }),
  WebAddr: nf.object({ Id: nf.string(), URI: nf.string(1000), Default: nf.boolean(), Tag: nf.string() }),
  DefaultTaxCodeRef: ref(),
  // Customer
  Taxable: nf.boolean(),
  BillAddr: physicalAddress,
  ShipAddr: physicalAddress,
  OtherAddr: physicalAddress,
  ContactName: nf.string(),
  AltContactName: nf.string(),
  Notes: nf.string(2000),
  Job: nf.boolean(),
  BillWithParent: nf.boolean(),
  ParentRef: ref(),
  CustomerTypeRef: ref(),
  SalesTermRef: ref(),
  SalesRepRef: ref(),
  TaxGroupCodeRef: ref(),
  TaxRateRef: ref(),
  PaymentMethodRef: ref(),
  CCDetail: nf.object({}, { open: true }),
  PriceLevelRef: ref(),
  Balance: nf.number({ description: 'opening balance, write-on-create' }),
  OpenBalanceDate: nf.date(),
  CreditLimit: nf.number(),
  AcctNum: nf.string(),
  CurrencyRef: ref(16),
  PreferredDeliveryMethod: nf.enum(['Print', 'Email', 'None']),
  ResaleNum: nf.string(16),
  JobInfo: nf.object({}, { open: true }),
  TDSEnabled: nf.boolean(),
  SecondaryTaxIdentifier: nf.string(),
  ARAccountRef: ref(),
  PrimaryTaxIdentifier: nf.string(),
  TaxExemptionReasonId: nf.anyOf([
    nf.integer({ minimum: 1, maximum: 15 }),
    nf.string(2, { pattern: /^(?:[1-9]|1[0-5])$/ }),
  ]),
  BusinessNumber: nf.string(10),
  GSTIN: nf.string(15),
  GSTRegistrationType: nf.string(15),
  IsCISContractor: nf.boolean(),
  ClientCompanyId: nf.string(),
  CustomField: nf.array(nf.object({}, { open: true })),
  AttachableRef: nf.any(),
  // Computed by QuickBooks: refused rather than silently ignored.
  FullyQualifiedName: nf.readOnly('built by QuickBooks from the parent chain and DisplayName'),
  Level: nf.readOnly('the sub-customer depth, computed'),
  RootCustomerRef: nf.readOnly('computed from ParentRef'),
  BalanceWithJobs: nf.readOnly('computed'),
  OverDueBalance: nf.readOnly('computed'),
  TotalRevenue: nf.readOnly('computed'),
  TotalExpense: nf.readOnly('computed'),
  IsProject: nf.readOnly('set by QuickBooks for projects'),
  domain: nf.readOnly('always QBO'),
  MetaData: nf.readOnly('create and update times'),
};

export const QUICKBOOKS_CATALOG: NativeCatalog = {
  erp: 'QuickBooks',
  fields: FIELDS,
  controlled: CONTROLLED_KEYS,
};
