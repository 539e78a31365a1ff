import type { Address, UnifiedCustomer } from '../../customer/schema';
import {
  SIIGO_CUSTOMER_TYPES,
  SIIGO_PERSON_TYPES,
  siigoBranchOffice,
  siigoIdentification,
  siigoIdType,
} from './codes';
import { SIIGO_LIMITS } from './rules';

export interface SiigoPhone {
  indicative?: string;
  number: string;
  extension?: string;
}

export interface SiigoContact {
  first_name: string;
  last_name?: string;
  email?: string;
  phone?: SiigoPhone;
}

/** CustomerIn (SG-APIB L1007-1023) as this adapter fills it. */
export interface SiigoCustomerIn {
  type: 'Customer' | 'Supplier' | 'Other';
  person_type: 'Person' | 'Company';
  id_type?: string;
  identification?: string;
  check_digit?: string;
  name: string[];
  commercial_name?: string;
  branch_office: number;
  active: boolean;
  vat_responsible: boolean;
  fiscal_responsibilities: { code: string }[];
  address?: {
    address: string;
    city: { country_code: string; state_code?: string; city_code?: string };
    postal_code?: string;
  };
  phones?: SiigoPhone[];
  contacts?: SiigoContact[];
  comments?: string;
  [erpField: string]: unknown;
}

/**
 * Native keys the adapter controls: (identification, branch_office) is the key the look-up searches by after
 * a lost response, so a caller's erpFields must not change them behind the look-up's back.
 */
export const CONTROLLED_KEYS = ['identification', 'branch_office'] as const;

/** Drops undefined members so the body is exactly what goes on the wire. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function phone(p: { countryCode?: string; number: string; extension?: string }): SiigoPhone {
  return compact({ indicative: p.countryCode, number: p.number, extension: p.extension });
}

export function siigoName(c: UnifiedCustomer): string[] {
  // Company: ["Razón social"]; person: ["Nombres", "Apellidos"] (invalid_array otherwise).
  return c.personType === 'company' ? [c.name.company ?? ''] : [c.name.first ?? '', c.name.last ?? ''];
}

function address(a: Address): NonNullable<SiigoCustomerIn['address']> {
  return compact({
    address: a.lines.join(', '),
    city: compact({ country_code: a.country, state_code: a.stateCode, city_code: a.cityCode }),
    postal_code: a.postalCode,
  });
}

/**
 * Siigo keeps a customer's email only on its contacts (e-invoices go there). When the customer's own email
 * is on no contact, it leads the list as a contact named after the customer; the name is only a label,
 * so a company name is cut to the 50 characters a contact name allows.
 */
function contacts(c: UnifiedCustomer): SiigoContact[] | undefined {
  const list: SiigoContact[] = (c.contacts ?? []).map((k) =>
    compact({
      first_name: k.firstName,
      last_name: k.lastName,
      email: k.email,
      phone: k.phone ? phone(k.phone) : undefined,
    }),
  );
  const email = c.email;
  if (email && !list.some((k) => k.email?.toLowerCase() === email.toLowerCase())) {
    list.unshift(
      c.personType === 'company'
        ? { first_name: (c.name.company ?? '').slice(0, SIIGO_LIMITS.contactName), email }
        : { first_name: c.name.first ?? '', last_name: c.name.last, email },
    );
  }
  return list.length ? list : undefined;
}

/** Whether the customer's email becomes an extra, leading contact (counts against the 10-contact cap). */
export function addsEmailContact(c: UnifiedCustomer): boolean {
  const email = c.email?.toLowerCase();
  return !!email && !(c.contacts ?? []).some((k) => k.email?.toLowerCase() === email);
}

/** The unified customer → Siigo CustomerIn. `erpFields` go last (caller wins) except CONTROLLED_KEYS. */
export function toSiigoCustomer(c: UnifiedCustomer): SiigoCustomerIn {
  const id = c.identification;
  const body: SiigoCustomerIn = compact({
    type: SIIGO_CUSTOMER_TYPES[c.type],
    person_type: SIIGO_PERSON_TYPES[c.personType],
    id_type: id ? siigoIdType(id, c.personType) : undefined,
    identification: siigoIdentification(c),
    check_digit: id?.checkDigit,
    name: siigoName(c),
    commercial_name: c.commercialName,
    branch_office: siigoBranchOffice(c),
    active: c.active,
    vat_responsible: c.tax?.vatResponsible ?? false,
    // The field table marks it required; R-99-PN ("No aplica – Otros") is Siigo's documented default.
    fiscal_responsibilities: (c.tax?.fiscalResponsibilities?.length
      ? c.tax.fiscalResponsibilities
      : ['R-99-PN']
    ).map((code) => ({ code })),
    address: c.billingAddress ? address(c.billingAddress) : undefined,
    phones: c.phones?.length ? c.phones.map(phone) : undefined,
    contacts: contacts(c),
    comments: c.notes,
  });
  for (const [key, value] of Object.entries(c.erpFields ?? {})) {
    if ((CONTROLLED_KEYS as readonly string[]).includes(key)) continue;
    body[key] = value;
  }
  return body;
}
