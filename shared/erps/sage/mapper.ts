import { printedIdentification } from '../../customer/identification';
import { phoneText } from '../../customer/phone';
import type { Address, Phone, UnifiedCustomer } from '../../customer/schema';
import { toPointer } from '../../errors';
import { cityName, countryName, stateName } from '../../geo';
import { LOOKUP_FIELD } from './lookup-key';

/** A native body plus, for each native key, the unified pointer its value came from (for 422 details). */
export interface SageBody {
  body: Record<string, unknown>;
  sources: Record<string, string>;
}

/**
 * Sage stores addresses as five free lines: street lines, city, "state postal code", country by its English
 * name (a fixed table, not the runtime's ICU labels). City and state are the caller's text, else the names behind
 * the codes (DANE for Colombia, ISO 3166-2 elsewhere), which were dropped when only codes were sent.
 */
function addressLines(a: Address, at: string): { value: string; pointer: string }[] {
  const tail: { value: string; pointer: string }[] = [];
  const city = cityName(a);
  if (city) tail.push({ value: city, pointer: `${at}/${a.city ? 'city' : 'cityCode'}` });
  const state = stateName(a);
  const statePostal = [state, a.postalCode].filter(Boolean).join(' ');
  const statePointer = a.state ? 'state' : state ? 'stateCode' : 'postalCode';
  if (statePostal) tail.push({ value: statePostal, pointer: `${at}/${statePointer}` });
  tail.push({ value: countryName(a.country, 'en'), pointer: `${at}/country` });
  const room = 5 - tail.length;
  const lines = a.lines.map((value, i) => ({ value, pointer: `${at}/lines/${i}` }));
  if (lines.length > room) {
    // More lines than slots: the overflow joins the last street line rather than being dropped.
    const kept = lines.slice(0, room - 1);
    const rest = lines.slice(room - 1);
    kept.push({ value: rest.map((l) => l.value).join(', '), pointer: `${at}/lines` });
    return [...kept, ...tail];
  }
  return [...lines, ...tail];
}

function personName(c: UnifiedCustomer): string {
  return [c.name.first, c.name.last].filter(Boolean).join(' ');
}

/**
 * Unified customer → Sage `Customer` for POST Customer/Save. `lookupKey` goes to TextField1 (adapter-owned).
 * `erpFields` are merged last, caller wins, except ID (create must not become an update) and TextField1.
 */
export function toSageCustomer(c: UnifiedCustomer, lookupKey: string): SageBody {
  const body: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  const set = (key: string, value: unknown, pointer: string) => {
    if (value === undefined) return;
    body[key] = value;
    sources[key] = pointer;
  };

  if (c.personType === 'company') set('Name', c.name.company, '/name/company');
  else set('Name', personName(c), '/name');

  const id = c.identification;
  if (id) {
    // Registration numbers have their own field; VAT numbers and other tax ids go to TaxReference.
    set(
      id.type === 'ORG_NO' ? 'BusinessRegistrationNumber' : 'TaxReference',
      printedIdentification(id),
      '/identification/number',
    );
  }

  const contact = c.contacts?.[0];
  if (contact) {
    set(
      'ContactName',
      [contact.firstName, contact.lastName].filter(Boolean).join(' '),
      '/contacts/0/firstName',
    );
  }

  const phones = c.phones ?? [];
  const firstOf = (pred: (p: Phone) => boolean) => {
    const i = phones.findIndex(pred);
    return i < 0 ? undefined : { phone: phones[i] as Phone, pointer: `/phones/${i}/number` };
  };
  const tel = firstOf((p) => p.kind === 'primary' || p.kind === 'other');
  const mobile = firstOf((p) => p.kind === 'mobile');
  const fax = firstOf((p) => p.kind === 'fax');
  if (tel) set('Telephone', phoneText(tel.phone), tel.pointer);
  else if (contact?.phone) set('Telephone', phoneText(contact.phone), '/contacts/0/phone/number');
  if (mobile) set('Mobile', phoneText(mobile.phone), mobile.pointer);
  if (fax) set('Fax', phoneText(fax.phone), fax.pointer);

  set('Email', c.email, '/email');
  set('WebAddress', c.website, '/website');
  set('Active', c.active, '/active');
  // Documents go by e-mail when there is an address to send them to; otherwise Sage sends nothing.
  set('CommunicationMethod', c.email ? 2 : 0, '/email');

  const addresses: [string, Address | undefined, string][] = [
    ['PostalAddress', c.billingAddress, '/billingAddress'],
    ['DeliveryAddress', c.shippingAddress, '/shippingAddress'],
  ];
  for (const [prefix, address, at] of addresses) {
    if (!address) continue;
    addressLines(address, at).forEach((l, i) => {
      set(`${prefix}0${i + 1}`, l.value, l.pointer);
    });
  }

  set(LOOKUP_FIELD, lookupKey, '/externalId');

  for (const [key, value] of Object.entries(c.erpFields ?? {})) {
    if (key === 'ID' || key === LOOKUP_FIELD) continue;
    body[key] = value;
    sources[key] = toPointer(['erpFields', key]);
  }
  return { body, sources };
}
