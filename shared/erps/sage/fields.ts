/**
 * The writable and read-only fields of a Sage SA `Customer` (POST Customer/Save, API 2.0.0 help page;
 * copy in ../shared/seeds/sage-za-customer-save.txt). Used to check `erpFields` and the mapped body at
 * accept time, so the ERP's own length rules surface as 422s with pointers rather than failed jobs.
 */
export type SageFieldSpec =
  | { kind: 'string'; max?: number; required?: boolean }
  | { kind: 'bool'; nullable?: boolean }
  | { kind: 'int'; nullable?: boolean; min?: number; max?: number }
  | { kind: 'decimal'; nullable?: boolean }
  | { kind: 'date'; nullable?: boolean }
  | { kind: 'object' }
  /** Sage computes these; a value sent is ignored upstream, so they pass through untouched. */
  | { kind: 'readonly' };

const str = (max?: number): SageFieldSpec => ({ kind: 'string', max });
const bool: SageFieldSpec = { kind: 'bool' };
const nbool: SageFieldSpec = { kind: 'bool', nullable: true };
const nint: SageFieldSpec = { kind: 'int', nullable: true };
const ndec: SageFieldSpec = { kind: 'decimal', nullable: true };
const ndate: SageFieldSpec = { kind: 'date', nullable: true };
const obj: SageFieldSpec = { kind: 'object' };
const ro: SageFieldSpec = { kind: 'readonly' };

export const SAGE_CUSTOMER_FIELDS: Readonly<Record<string, SageFieldSpec>> = {
  ID: { kind: 'int' },
  Name: { kind: 'string', max: 100, required: true },
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
  Active: bool,
  IsObfuscated: bool,
  Balance: ro,
  CreditLimit: { kind: 'decimal' },
  CommunicationMethod: { kind: 'int', nullable: true, min: 0, max: 3 },
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
  EnableCustomerZone: bool,
  CustomerZoneGuid: ro,
  CashSale: nbool,
  TextField1: str(100),
  TextField2: str(100),
  TextField3: str(100),
  NumericField1: ndec,
  NumericField2: ndec,
  NumericField3: ndec,
  YesNoField1: bool,
  YesNoField2: bool,
  YesNoField3: bool,
  DateField1: ndate,
  DateField2: ndate,
  DateField3: ndate,
  DefaultPriceListId: nint,
  DefaultPriceList: obj,
  DefaultPriceListName: str(),
  AcceptsElectronicInvoices: bool,
  Modified: ro,
  Created: ro,
  BusinessRegistrationNumber: str(),
  TaxStatusVerified: ndate,
  CurrencyId: nint,
  CurrencySymbol: str(),
  HasActivity: ro,
  DefaultDiscountPercentage: ndec,
  DefaultTaxTypeId: nint,
  DefaultTaxType: obj,
  DueDateMethodId: { kind: 'int', nullable: true, min: 0, max: 4 },
  DueDateMethodValue: nint,
  CityId: nint,
  AccountingAgreement: nbool,
  HasSpecialCountryTaxActivity: ro,
  OutstandingInvoices: nbool,
  OverdueInvoices: nbool,
  OnHold: nbool,
  ExcludeFromDebtorsManager: nbool,
  SubjectToDRCVat: bool,
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

/** Why a value does not fit the field, or undefined when it does. */
export function fieldProblem(
  spec: SageFieldSpec,
  value: unknown,
): { code: string; message: string } | undefined {
  if (spec.kind === 'readonly') return undefined;
  if (value === null) {
    if ('nullable' in spec && spec.nullable) return undefined;
    if (spec.kind === 'string' && !spec.required) return undefined;
    return { code: 'invalid_type', message: 'must not be null' };
  }
  switch (spec.kind) {
    case 'string': {
      if (typeof value !== 'string') return { code: 'invalid_type', message: 'must be a string' };
      if (spec.required && value.trim().length === 0) return { code: 'required', message: 'is required' };
      if (spec.max !== undefined && value.length > spec.max) {
        return {
          code: 'too_long',
          message: `Sage accepts at most ${spec.max} characters (got ${value.length})`,
        };
      }
      return undefined;
    }
    case 'bool':
      return typeof value === 'boolean'
        ? undefined
        : { code: 'invalid_type', message: 'must be true or false' };
    case 'int': {
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        return { code: 'invalid_type', message: 'must be an integer' };
      }
      if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
        return { code: 'out_of_range', message: `must be between ${spec.min} and ${spec.max}` };
      }
      return undefined;
    }
    case 'decimal':
      return typeof value === 'number' && Number.isFinite(value)
        ? undefined
        : { code: 'invalid_type', message: 'must be a number' };
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/.test(value)
        ? undefined
        : { code: 'invalid_type', message: 'must be a date such as 2024-03-29' };
    case 'object':
      return typeof value === 'object' && !Array.isArray(value)
        ? undefined
        : { code: 'invalid_type', message: 'must be an object' };
  }
}
