/**
 * Field rules of the QuickBooks Online Customer, as Intuit's XSD (`IntuitNamesTypes.xsd` / `IntuitBaseTypes.xsd`,
 * the "Product: QBO" annotations) states them. Where the XSD gives no length, the API reference (QB-REF) does.
 * Where the two disagree the XSD wins (the issue requires it), which is the stricter value in every case here.
 * Lengths count characters (code points).
 */
export const MAX_LENGTH: Readonly<Record<string, number>> = {
  DisplayName: 500, // QB-REF (XSD: none)
  Title: 15, // XSD (QBW range Max=15); QB-REF says 16
  GivenName: 25, // XSD QBO; QB-REF says 100
  MiddleName: 15, // XSD QBO; QB-REF says 100
  FamilyName: 15, // XSD QBO; QB-REF says 100
  Suffix: 15, // XSD QBO; QB-REF says 16
  CompanyName: 100, // QB-REF (XSD: none)
  PrintOnCheckName: 110, // QB-REF
  Notes: 1024, // XSD Customer.Notes; QB-REF says 2000
  'PrimaryEmailAddr.Address': 100, // XSD EmailAddress QBO
  'PrimaryPhone.FreeFormNumber': 21, // XSD TelephoneNumber; QB-REF says 30
  'AlternatePhone.FreeFormNumber': 21,
  'Mobile.FreeFormNumber': 21,
  'Fax.FreeFormNumber': 21,
  'WebAddr.URI': 1000, // XSD WebSiteAddress
  'CurrencyRef.value': 16, // QB-REF
  ResaleNum: 16, // QB-REF
  ...addressLimits('BillAddr'),
  ...addressLimits('ShipAddr'),
};

function addressLimits(prefix: string): Record<string, number> {
  // XSD PhysicalAddress, QBO: Line1-5 500, City 255, Country 255, CountrySubDivisionCode 255, PostalCode 30.
  return {
    [`${prefix}.Line1`]: 500,
    [`${prefix}.Line2`]: 500,
    [`${prefix}.Line3`]: 500,
    [`${prefix}.Line4`]: 500,
    [`${prefix}.Line5`]: 500,
    [`${prefix}.City`]: 255,
    [`${prefix}.Country`]: 255,
    [`${prefix}.CountrySubDivisionCode`]: 255,
    [`${prefix}.PostalCode`]: 30,
  };
}

/** Name fields that must not contain a colon (it separates Parent:Job), a tab or a newline (QB-REF business rules). */
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
 * Body keys the adapter controls: `Id` + `SyncToken` in a POST to /customer make it an UPDATE of an existing
 * customer, and `sparse` only means something for updates. Allowing them through `erpFields` would let a
 * create silently overwrite someone else's customer, so they are refused.
 */
export const CONTROLLED_KEYS = ['Id', 'SyncToken', 'sparse'] as const;

/** Every writable top-level element of Customer (NameBase + Customer in the XSD); anything else is refused upstream. */
export const CUSTOMER_ELEMENTS: ReadonlySet<string> = new Set([
  // NameBase
  'Title',
  'GivenName',
  'MiddleName',
  'FamilyName',
  'Suffix',
  'FullyQualifiedName',
  'CompanyName',
  'DisplayName',
  'PrintOnCheckName',
  'Active',
  'PrimaryPhone',
  'AlternatePhone',
  'Mobile',
  'Fax',
  'PrimaryEmailAddr',
  'WebAddr',
  'DefaultTaxCodeRef',
  // Customer
  'Taxable',
  'BillAddr',
  'ShipAddr',
  'OtherAddr',
  'ContactName',
  'AltContactName',
  'Notes',
  'Job',
  'BillWithParent',
  'RootCustomerRef',
  'ParentRef',
  'Level',
  'CustomerTypeRef',
  'SalesTermRef',
  'SalesRepRef',
  'TaxGroupCodeRef',
  'TaxRateRef',
  'PaymentMethodRef',
  'CCDetail',
  'PriceLevelRef',
  'Balance',
  'OpenBalanceDate',
  'BalanceWithJobs',
  'CreditLimit',
  'AcctNum',
  'CurrencyRef',
  'OverDueBalance',
  'TotalRevenue',
  'TotalExpense',
  'PreferredDeliveryMethod',
  'ResaleNum',
  'JobInfo',
  'TDSEnabled',
  'SecondaryTaxIdentifier',
  'ARAccountRef',
  'PrimaryTaxIdentifier',
  'TaxExemptionReasonId',
  'IsProject',
  'BusinessNumber',
  'GSTIN',
  'GSTRegistrationType',
  'IsCISContractor',
  'ClientCompanyId',
  // IntuitEntity (read-only on create, accepted and ignored)
  'domain',
  'MetaData',
  'CustomField',
  'AttachableRef',
]);
