import { printedIdentification } from '../../customer/identification';
import { phoneText } from '../../customer/phone';
import type { Address, UnifiedCustomer } from '../../customer/schema';
import { toPointer } from '../../errors';
import { cityName, countryName } from '../../geo';
import { customerNumberFor } from './customer-number';
import { CONTROLLED_FIELDS } from './fields';

/** The Create Customer body: lower-case NEXT keys (see fields.ts for which keys are confirmed). */
export type NextCustomerIn = Record<string, unknown>;

/** The body, and for each native key the JSON pointer (into the unified body) of the value it came from. */
export interface MappedCustomer {
  body: NextCustomerIn;
  sources: Record<string, string>;
}

export function nextName(c: UnifiedCustomer): { value: string; pointer: string } {
  return c.personType === 'company'
    ? { value: c.name.company ?? '', pointer: '/name/company' }
    : { value: `${c.name.first ?? ''} ${c.name.last ?? ''}`.trim(), pointer: '/name' };
}

/**
 * NEXT prints the six bill-address lines as they are on invoices; its docs give each line a role:
 * 1 name, 2 street, 3 building/box, 4 postal number, 5 city, 6 country.
 */
function billAddress(a: Address, name: { value: string; pointer: string }, set: Setter): void {
  set('billaddress1', name.value, name.pointer);
  set('billaddress2', a.lines[0], '/billingAddress/lines/0');
  if (a.lines.length > 1) set('billaddress3', a.lines.slice(1).join(', '), '/billingAddress/lines/1');
  set('billaddress4', a.postalCode, '/billingAddress/postalCode');
  // The city's text, else the DANE name of a Colombian city code; the country's English name from a fixed table.
  set('billaddress5', cityName(a), `/billingAddress/${a.city ? 'city' : 'cityCode'}`);
  set('billaddress6', countryName(a.country, 'en'), '/billingAddress/country');
}

type Setter = (key: string, value: unknown, pointer: string) => void;

/**
 * The unified customer → NEXT Create Customer body. Only fields with a value are sent (NEXT warns that
 * nulls and empty strings overwrite its defaults). `erpFields` go last (caller wins) except CONTROLLED_FIELDS.
 * Not mapped (NEXT's customer has no such field): shippingAddress, contacts (a separate endpoint),
 * commercialName, currency (NEXT wants a per-database `currencyid`), language, tax.fiscalResponsibilities.
 */
export function toNextCustomer(c: UnifiedCustomer, jobId: string): MappedCustomer {
  const body: NextCustomerIn = {};
  const sources: Record<string, string> = {};
  const set: Setter = (key, value, pointer) => {
    if (value === undefined) return;
    body[key] = value;
    sources[key] = pointer;
  };
  const name = nextName(c);
  set('name', name.value, name.pointer);
  set('customerno', customerNumberFor(c, jobId), '/externalId');
  set('active', c.active, '/active');
  set('privateperson', c.personType === 'person', '/personType');
  if (c.type === 'supplier') set('isalsosupplier', true, '/type');

  const id = c.identification;
  if (id?.type === 'VAT') set('vatno', id.number, '/identification/number');
  else if (id) {
    // Organisation or personal number; a Colombian NIT keeps its check digit the way it is printed.
    set('organizationno', printedIdentification(id), '/identification/number');
  }
  if (c.billingAddress) set('countrycode', c.billingAddress.country, '/billingAddress/country');
  else if (id?.country) set('countrycode', id.country, '/identification/country');

  set('email', c.email, '/email');
  // One primary phone, one mobile and one fax in NEXT; an `other` phone fills the first free of phone/mobile.
  c.phones?.forEach((p, i) => {
    const key =
      p.kind === 'primary' ? 'phone' : p.kind === 'mobile' ? 'mobile' : p.kind === 'fax' ? 'fax' : undefined;
    const slot = key ?? (['phone', 'mobile'] as const).find((k) => !(k in body));
    if (slot && !(slot in body)) set(slot, phoneText(p), `/phones/${i}`);
  });
  set('webaddress', c.website, '/website');
  set('customernote', c.notes, '/notes');
  if (c.tax?.exempt) set('novat', true, '/tax/exempt');
  if (c.billingAddress) billAddress(c.billingAddress, name, set);

  for (const [key, value] of Object.entries(c.erpFields ?? {})) {
    if (Object.hasOwn(CONTROLLED_FIELDS, key)) continue;
    set(key, value, toPointer(['erpFields', key]));
  }
  return { body, sources };
}
