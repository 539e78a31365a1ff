import { type NativeCatalog, type NativeField, nf } from '../native-fields';

/**
 * The fields of a Sage SA `Customer` (POST Customer/Save, API 2.0.0 help page
 * https://accounting.sageone.co.za/api/2.0.0/Help/Api/POST-Customer-Save; copy in ../shared/seeds/sage-za-customer-save.txt),
 * with the lengths, types and ranges the page states. Used to check `erpFields` and the mapped body at accept time,
 * so the ERP's own rules surface as 422s with pointers rather than failed jobs — and so a value Sage would ignore
 * (an unknown key, a read-only one, an impossible date) is refused rather than dropped silently.
 */
const str = (max?: number) => nf.string(max);
const nbool = nf.boolean({ nullable: true });
const nint = nf.integer({ nullable: true });
const ndec = nf.number({ nullable: true });
const ndate = nf.date({ nullable: true });
/** Nested Sage objects (Category, SalesRepresentative, …): referenced by `ID`, other members as Sage returns them. */
const obj = nf.object({ ID: nf.integer() }, { open: true });
const system = (what: string) => nf.readOnly(`Read Only / System Generated (${what})`);

export const SAGE_CUSTOMER_FIELDS: Readonly<Record<string, NativeField>> = {
  ID: nf.integer(),
  Name: nf.string(100, { minLength: 1 }),
  Category: obj,
  SalesRepresentativeId: nint,
  SalesRepresentative: obj,
  TaxReference: str(30),
  ContactName: str(100),
  Telephone: str(30),
  Fax: str(30),
  Mobile: str(30),
  Email: str(),
  WebAddress: str(100),
  Active: nf.boolean(),
  IsObfuscated: nf.boolean(),
  Balance: system('the balance'),
  CreditLimit: nf.number(),
  CommunicationMethod: nf.integer({ nullable: true, minimum: 0, maximum: 3 }),
  PostalAddress01: str(100),
  PostalAddress02: str(100),
  PostalAddress03: str(100),
  PostalAddress04: str(100),
  PostalAddress05: str(100),
  DeliveryAddress01: str(100),
  DeliveryAddress02: str(100),
  DeliveryAddress03: str(100),
  DeliveryAddress04: str(100),
  DeliveryAddress05: str(100),
  AutoAllocateToOldestInvoice: nbool,
  EnableCustomerZone: nf.boolean(),
  CustomerZoneGuid: system('the customer zone id'),
  CashSale: nbool,
  TextField1: str(100),
  TextField2: str(100),
  TextField3: str(100),
  NumericField1: ndec,
  NumericField2: ndec,
  NumericField3: ndec,
  YesNoField1: nf.boolean(),
  YesNoField2: nf.boolean(),
  YesNoField3: nf.boolean(),
  DateField1: ndate,
  DateField2: ndate,
  DateField3: ndate,
  DefaultPriceListId: nint,
  DefaultPriceList: obj,
  DefaultPriceListName: str(),
  AcceptsElectronicInvoices: nf.boolean(),
  Modified: system('the last change'),
  Created: system('the creation date'),
  BusinessRegistrationNumber: str(),
  TaxStatusVerified: ndate,
  CurrencyId: nint,
  CurrencySymbol: str(),
  HasActivity: system('whether the customer has transactions'),
  DefaultDiscountPercentage: ndec,
  DefaultTaxTypeId: nint,
  DefaultTaxType: obj,
  DueDateMethodId: nf.integer({ nullable: true, minimum: 0, maximum: 4 }),
  DueDateMethodValue: nint,
  CityId: nint,
  AccountingAgreement: nbool,
  HasSpecialCountryTaxActivity: system('special country tax activity'),
  OutstandingInvoices: nbool,
  OverdueInvoices: nbool,
  OnHold: nbool,
  ExcludeFromDebtorsManager: nbool,
  SubjectToDRCVat: nf.boolean(),
};

/**
 * `erpFields` keys the adapter controls: `ID` would turn the create into an update of another customer,
 * and `TextField1` carries the look-up key that keeps retries from creating twice (see lookup-key.ts).
 */
/** erpFields the adapter sets itself. */
export const RESERVED_ERP_FIELDS: Readonly<Record<string, string>> = {
  ID: 'ID would update an existing Sage customer; this API only creates',
  TextField1: 'TextField1 holds the look-up key that prevents duplicates; use externalId to set it',
};

export const SAGE_CATALOG: NativeCatalog = {
  erp: 'Sage',
  fields: SAGE_CUSTOMER_FIELDS,
  controlled: RESERVED_ERP_FIELDS,
};
