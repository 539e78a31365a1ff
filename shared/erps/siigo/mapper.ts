import type { Address, UnifiedCustomer } from '../../customer/schema';
import { toPointer } from '../../errors';
import {
  SIIGO_CUSTOMER_TYPES,
  SIIGO_PERSON_TYPES,
  siigoBranchOffice,
  siigoIdentification,
  siigoIdType,
} from './codes';
import { CONTROLLED_KEYS } from './fields';
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

/** A contact name cut to Siigo's 50 characters (code points, trimmed): contact names are labels. */
function label(s: string): string {
  return Array.from(s).slice(0, SIIGO_LIMITS.contactName).join('').trim();
}

/**
 * Siigo keeps a customer's email only on its contacts (e-invoices go there). When the customer's own email
 * is on no contact, it leads the list as a contact named after the customer. That contact's name is only a
 * label for the address (the customer's full name stays in `name`), so it is cut to the 50 characters a
 * contact name allows — for a company as for a person — rather than failing at /contacts, a field the
 * caller never sent (issue 11 §3).
 */
function contacts(c: UnifiedCustomer, sources: Map<string, string>): SiigoContact[] | undefined {
  const list: SiigoContact[] = (c.contacts ?? []).map((k) =>
    compact({
      first_name: k.firstName,
      last_name: k.lastName,
      email: k.email,
      phone: k.phone ? phone(k.phone) : undefined,
    }),
  );
  const email = c.email;
  const derived = !!email && !list.some((k) => k.email?.toLowerCase() === email.toLowerCase());
  if (email && derived) {
    list.unshift(
      c.personType === 'company'
        ? { first_name: label(c.name.company ?? ''), email }
        : compact({
            first_name: label(c.name.first ?? ''),
            last_name: c.name.last && label(c.name.last),
            email,
          }),
    );
  }
  const offset = derived ? 1 : 0;
  if (derived) {
    sources.set('contacts[0].first_name', c.personType === 'company' ? '/name/company' : '/name/first');
    sources.set('contacts[0].last_name', '/name/last');
    sources.set('contacts[0].email', '/email');
    sources.set('contacts[0]', '/email');
  }
  (c.contacts ?? []).forEach((_, i) => {
    const at = `contacts[${i + offset}]`;
    sources.set(at, `/contacts/${i}`);
    sources.set(`${at}.first_name`, `/contacts/${i}/firstName`);
    sources.set(`${at}.last_name`, `/contacts/${i}/lastName`);
    sources.set(`${at}.email`, `/contacts/${i}/email`);
    for (const [native, unified] of PHONE_PARTS)
      sources.set(`${at}.phone.${native}`, `/contacts/${i}/phone/${unified}`);
  });
  sources.set('contacts', '/contacts');
  return list.length ? list : undefined;
}

const PHONE_PARTS = [
  ['indicative', 'countryCode'],
  ['number', 'number'],
  ['extension', 'extension'],
] as const;

/** Whether the customer's email becomes an extra, leading contact (counts against the 10-contact cap). */
export function addsEmailContact(c: UnifiedCustomer): boolean {
  const email = c.email?.toLowerCase();
  return !!email && !(c.contacts ?? []).some((k) => k.email?.toLowerCase() === email);
}

/** CustomerIn, and for each native path (`contacts[0].first_name`) the unified pointer its value came from. */
export interface SiigoMapping {
  body: SiigoCustomerIn;
  sources: Map<string, string>;
}

/** The unified customer → Siigo CustomerIn. `erpFields` go last (caller wins) except CONTROLLED_KEYS. */
export function mapSiigoCustomer(c: UnifiedCustomer): SiigoMapping {
  const id = c.identification;
  const sources = new Map<string, string>([
    ['type', '/type'],
    ['person_type', '/personType'],
    ['id_type', '/identification/type'],
    ['identification', '/identification/number'],
    ['check_digit', '/identification/checkDigit'],
    ['name[0]', c.personType === 'company' ? '/name/company' : '/name/first'],
    ['name[1]', '/name/last'],
    ['name', '/name'],
    ['commercial_name', '/commercialName'],
    ['branch_office', '/branchOffice'],
    ['active', '/active'],
    ['vat_responsible', '/tax/vatResponsible'],
    ['fiscal_responsibilities', '/tax/fiscalResponsibilities'],
    ['address', '/billingAddress'],
    ['address.address', '/billingAddress/lines'],
    ['address.city.country_code', '/billingAddress/country'],
    ['address.city.state_code', '/billingAddress/stateCode'],
    ['address.city.city_code', '/billingAddress/cityCode'],
    ['address.postal_code', '/billingAddress/postalCode'],
    ['comments', '/notes'],
  ]);
  (c.phones ?? []).forEach((_, i) => {
    sources.set(`phones[${i}]`, `/phones/${i}`);
    for (const [native, unified] of PHONE_PARTS)
      sources.set(`phones[${i}].${native}`, `/phones/${i}/${unified}`);
  });
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
    contacts: contacts(c, sources),
    comments: c.notes,
  });
  for (const [key, value] of Object.entries(c.erpFields ?? {})) {
    if (Object.hasOwn(CONTROLLED_KEYS, key)) continue;
    body[key] = value;
    for (const path of [...sources.keys()]) {
      if (path === key || path.startsWith(`${key}.`) || path.startsWith(`${key}[`)) sources.delete(path);
    }
    sources.set(key, toPointer(['erpFields', key]));
  }
  return { body, sources };
}

export function toSiigoCustomer(c: UnifiedCustomer): SiigoCustomerIn {
  return mapSiigoCustomer(c).body;
}
