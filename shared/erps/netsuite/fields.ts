import { type NativeCatalog, type NativeField, nf } from '../native-fields';

/**
 * The `customer` record of SuiteTalk REST (record/v1) as the adapter may write it. Field names and kinds from
 * NetSuite's generated OpenAPI of the customer record (NS-OAS: `codinlikewilly/netsuite_python`
 * `swagger_client/docs/Customer.md`, generated from one account's metadata catalog) and the REST docs; the set is
 * account-specific, so custom fields pass by their id pattern (`custentity…` on entities, `custrecord…`).
 *
 * Lengths: NetSuite does not publish them in its OpenAPI ([NOT FOUND] in the stored sources); these are the limits
 * NetSuite's UI and its CSV import template show for the standard fields, UNCONFIRMED — see docs/erps/netsuite.md.
 * The account's own `metadata-catalog/customer` schema is authoritative.
 */
export const NETSUITE_MAX = {
  companyName: 83,
  firstName: 32,
  middleName: 32,
  lastName: 32,
  email: 254,
  /** phone, mobilePhone, fax, altPhone, homePhone as formatted by `phoneText` (shared/customer/phone.ts). */
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

/** A record reference: `{"id": "<internal id>"}` or `{"externalId": "…"}` (REST writes select fields this way). */
const ref = nf.anyOf([
  nf.object({ id: nf.string(undefined, { minLength: 1 }), refName: nf.string() }, { required: ['id'] }),
  nf.object(
    { externalId: nf.string(undefined, { minLength: 1 }), refName: nf.string() },
    { required: ['externalId'] },
  ),
]);
/** A list/enum field written as `{"id": "<value>"}` (language, emailPreference, country …). */
const enumRef = nf.object({ id: nf.string(), refName: nf.string() }, { required: ['id'] });
const phone = nf.string(NETSUITE_MAX.phone);
const system = (what: string) => nf.readOnly(`computed by NetSuite: ${what}`);
/** A sublist as REST writes it: `{"items": [ … ]}`. */
const sublist = (item: NativeField) => nf.object({ items: nf.array(item) }, { required: ['items'] });

const addressBookAddress = nf.object({
  addressee: nf.string(NETSUITE_MAX.addressee),
  attention: nf.string(NETSUITE_MAX.addressee),
  addr1: nf.string(NETSUITE_MAX.addrLine),
  addr2: nf.string(NETSUITE_MAX.addrLine),
  addr3: nf.string(NETSUITE_MAX.addrLine),
  city: nf.string(NETSUITE_MAX.city),
  state: nf.string(NETSUITE_MAX.state),
  zip: nf.string(NETSUITE_MAX.zip),
  country: nf.anyOf([nf.string(2, { pattern: /^[A-Z]{2}$/ }), enumRef]),
  addrPhone: phone,
  override: nf.boolean(),
});

const FIELDS: Record<string, NativeField> = {
  entityId: nf.string(NETSUITE_MAX.entityId, { minLength: 1 }),
  autoName: nf.boolean(),
  altName: nf.string(NETSUITE_MAX.entityId),
  isPerson: nf.boolean(),
  companyName: nf.string(NETSUITE_MAX.companyName),
  salutation: nf.string(),
  firstName: nf.string(NETSUITE_MAX.firstName),
  middleName: nf.string(NETSUITE_MAX.middleName),
  lastName: nf.string(NETSUITE_MAX.lastName),
  title: nf.string(),
  email: nf.string(NETSUITE_MAX.email),
  altEmail: nf.string(NETSUITE_MAX.email),
  phone,
  altPhone: phone,
  mobilePhone: phone,
  homePhone: phone,
  fax: phone,
  url: nf.string(NETSUITE_MAX.url),
  comments: nf.string(NETSUITE_MAX.comments),
  isInactive: nf.boolean(),
  accountNumber: nf.string(),
  resaleNumber: nf.string(),
  vatRegNumber: nf.string(),
  printOnCheckAs: nf.string(),
  creditLimit: nf.number(),
  openingBalance: nf.number(),
  openingBalanceDate: nf.date(),
  estimatedBudget: nf.number(),
  defaultOrderPriority: nf.number(),
  reminderDays: nf.integer(),
  startDate: nf.date(),
  endDate: nf.date(),
  emailTransactions: nf.boolean(),
  faxTransactions: nf.boolean(),
  printTransactions: nf.boolean(),
  shipComplete: nf.boolean(),
  giveAccess: nf.boolean(),
  sendEmail: nf.boolean(),
  isBudgetApproved: nf.boolean(),
  overrideCurrencyFormat: nf.boolean(),
  displaySymbol: nf.string(),
  thirdPartyAcct: nf.string(),
  thirdPartyZipCode: nf.string(),
  password: nf.string(),
  password2: nf.string(),
  // References to other records.
  subsidiary: ref,
  currency: ref,
  terms: ref,
  category: ref,
  customForm: ref,
  salesRep: ref,
  priceLevel: ref,
  parent: ref,
  territory: ref,
  partner: ref,
  leadSource: ref,
  entityStatus: ref,
  receivablesAccount: ref,
  shippingItem: ref,
  openingBalanceAccount: ref,
  defaultBankAccount: ref,
  prefCcProcessor: ref,
  salesReadiness: ref,
  buyingReason: ref,
  buyingTimeFrame: ref,
  campaignCategory: ref,
  campaignEvent: ref,
  sourceWebSite: ref,
  assignedWebSite: ref,
  image: ref,
  billingRateCard: ref,
  // List values written as {"id": …}.
  language: enumRef,
  emailPreference: enumRef,
  globalSubscriptionStatus: enumRef,
  symbolPlacement: enumRef,
  negativeNumberFormat: enumRef,
  numberFormat: enumRef,
  shippingCarrier: enumRef,
  thirdPartyCarrier: enumRef,
  thirdPartyCountry: enumRef,
  alcoholRecipientType: enumRef,
  // Sublists.
  addressBook: sublist(
    nf.object({
      defaultBilling: nf.boolean(),
      defaultShipping: nf.boolean(),
      isResidential: nf.boolean(),
      label: nf.string(),
      addressBookAddress,
    }),
  ),
  contactRoles: sublist(nf.object({}, { open: true })),
  groupPricing: sublist(nf.object({}, { open: true })),
  itemPricing: sublist(nf.object({}, { open: true })),
  campaigns: sublist(nf.object({}, { open: true })),
  // Computed by NetSuite: refused rather than ignored.
  id: system('the internal id'),
  refName: system('the display name'),
  links: system('links'),
  balance: system('the balance'),
  overdueBalance: system('the overdue balance'),
  depositBalance: system('the deposit balance'),
  unbilledOrders: system('unbilled orders'),
  daysOverdue: system('days overdue'),
  aging: system('aging'),
  aging1: system('aging'),
  aging2: system('aging'),
  aging3: system('aging'),
  aging4: system('aging'),
  consolBalance: system('the consolidated balance'),
  consolOverdueBalance: system('the consolidated overdue balance'),
  consolDepositBalance: system('the consolidated deposit balance'),
  consolUnbilledOrders: system('consolidated unbilled orders'),
  consolDaysOverdue: system('consolidated days overdue'),
  consolAging: system('consolidated aging'),
  consolAging1: system('consolidated aging'),
  consolAging2: system('consolidated aging'),
  consolAging3: system('consolidated aging'),
  consolAging4: system('consolidated aging'),
  dateCreated: system('the creation date'),
  lastModifiedDate: system('the last change'),
  firstOrderDate: system('the first order'),
  lastOrderDate: system('the last order'),
  firstSaleDate: system('the first sale'),
  lastSaleDate: system('the last sale'),
  searchStage: system('the stage'),
  defaultAddress: system('shown from the address book'),
  defaultShippingAddress: system('shown from the address book'),
  contact: system('a contact record, written separately'),
  contactList: system('contact records, written separately'),
};

/** erpFields the adapter sets itself (externalId is the upsert key in the URL). */
export const CONTROLLED_ERP_FIELDS: Readonly<Record<string, string>> = {
  externalId: 'the adapter sets externalId (the upsert key); send it as /externalId',
  isPerson: 'isPerson is set from /personType (the name fields NetSuite requires follow it)',
};

export const NETSUITE_CATALOG: NativeCatalog = {
  erp: 'NetSuite',
  fields: FIELDS,
  patterns: [
    {
      pattern: /^custentity[a-z0-9_]*$/,
      field: nf.any(),
      description: 'an entity custom field of the account (script id custentity…); its type is the account’s',
    },
    {
      pattern: /^custrecord[a-z0-9_]*$/,
      field: nf.any(),
      description: 'a custom record field of the account (script id custrecord…); its type is the account’s',
    },
  ],
  controlled: CONTROLLED_ERP_FIELDS,
};
