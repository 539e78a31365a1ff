import { printedIdentification } from '../../customer/identification';
import { phoneText } from '../../customer/phone';
import type { Address, UnifiedCustomer } from '../../customer/schema';
import { cityName, countryName as countryNameIn, stateName } from '../../geo';
import { CONTROLLED_FIELDS } from './fields';

/** The JSON body of `POST /api/v3/customer`: flat, snake_case, no wrapper. */
export type ChargeOverCustomerBody = Record<string, unknown> & { company: string; external_key: string };

/**
 * ChargeOver keeps countries by English name (its `country` list returns names, the SDK posts "USA"): the fixed
 * table's official name, except the United States, kept as "United States" (what this adapter always sent).
 */
export function countryName(iso2: string): string {
  return iso2 === 'US' ? 'United States' : countryNameIn(iso2, 'en');
}

/** Countries whose state/province is written as its postal abbreviation, as ChargeOver's own examples do ("MN"). */
const ABBREVIATED_STATES = new Set(['US', 'CA']);

/**
 * `bill_state` is "state/province" text: the caller's state, else the abbreviation (US, Canada), else the name
 * behind the code — never a bare code such as Colombia's DANE "11" (it is "Bogotá, D.C.").
 */
function stateText(a: Address): string | undefined {
  if (a.state) return a.state;
  if (a.stateCode && ABBREVIATED_STATES.has(a.country)) return a.stateCode;
  return stateName(a);
}

/** The customer's display name: the company, or "first last" for a person. */
export function companyName(c: UnifiedCustomer): string {
  if (c.personType === 'company' && c.name.company) return c.name.company;
  return [c.name.first, c.name.last].filter(Boolean).join(' ') || (c.name.company ?? '');
}

function primaryPhone(c: UnifiedCustomer): string | undefined {
  const p = c.phones?.find((x) => x.kind === 'primary') ?? c.phones?.[0];
  return p ? phoneText(p) : undefined;
}

/** `superuser_*` is the customer's main contact: the first contact, else the person themself. */
function mainContact(c: UnifiedCustomer): Record<string, string | undefined> {
  const contact = c.contacts?.[0];
  if (contact) {
    return {
      superuser_name: [contact.firstName, contact.lastName].filter(Boolean).join(' '),
      superuser_first_name: contact.firstName,
      superuser_last_name: contact.lastName,
      superuser_email: contact.email ?? c.email,
      superuser_phone: contact.phone ? phoneText(contact.phone) : primaryPhone(c),
    };
  }
  if (c.personType === 'person') {
    return {
      superuser_name: companyName(c),
      superuser_first_name: c.name.first,
      superuser_last_name: c.name.last,
      superuser_email: c.email,
      superuser_phone: primaryPhone(c),
    };
  }
  return { superuser_email: c.email, superuser_phone: primaryPhone(c) };
}

/** `addr1` is the first line; further lines go to `addr2` (`addr3` is deprecated by ChargeOver). */
function address(prefix: 'bill' | 'ship', a: Address | undefined): Record<string, string | undefined> {
  if (!a) return {};
  const rest = a.lines.slice(1).join(', ');
  return {
    [`${prefix}_addr1`]: a.lines[0],
    [`${prefix}_addr2`]: rest || undefined,
    [`${prefix}_city`]: cityName(a),
    [`${prefix}_state`]: stateText(a),
    [`${prefix}_postcode`]: a.postalCode,
    [`${prefix}_country`]: countryName(a.country),
  };
}

function withoutUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/**
 * Unified customer → ChargeOver body. `erpFields` are merged last (the caller wins), except the fields the adapter
 * controls for idempotency (`external_key`, see CONTROLLED_FIELDS), which always carry `externalKey`.
 */
export function toChargeOverCustomer(c: UnifiedCustomer, externalKey: string): ChargeOverCustomerBody {
  const mapped = withoutUndefined({
    external_key: externalKey,
    company: companyName(c),
    ...mainContact(c),
    ...address('bill', c.billingAddress),
    ...address('ship', c.shippingAddress),
    // The tax id as people write it: a Colombian NIT with its DV after a hyphen.
    tax_ident: printedIdentification(c.identification),
    no_taxes: c.tax?.exempt,
  });
  const extra = Object.fromEntries(
    Object.entries(c.erpFields ?? {}).filter(([k]) => !Object.hasOwn(CONTROLLED_FIELDS, k)),
  );
  return { ...mapped, ...extra, external_key: externalKey } as ChargeOverCustomerBody;
}
