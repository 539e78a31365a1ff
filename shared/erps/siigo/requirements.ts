import type { Address, UnifiedCustomer } from '../../customer/schema';
import type { Issue } from '../../errors';
import { isNumericIdType, siigoIdentification, siigoIdType } from './codes';
import { addsEmailContact, CONTROLLED_KEYS } from './mapper';
import {
  SIIGO_EMAIL,
  SIIGO_IDENTIFICATION,
  SIIGO_LIMITS,
  SIIGO_NAME,
  SIIGO_PHONE_PART,
  SIIGO_POSTAL_CODE,
} from './rules';

type Phone = { countryCode?: string; number: string; extension?: string };

function phoneIssues(p: Phone, at: string): Issue[] {
  const out: Issue[] = [];
  const parts: [keyof Phone, string | undefined][] = [
    ['countryCode', p.countryCode],
    ['number', p.number],
    ['extension', p.extension],
  ];
  for (const [key, value] of parts) {
    if (value !== undefined && !SIIGO_PHONE_PART.test(value)) {
      out.push({ pointer: `${at}/${key}`, code: 'length_max', message: 'Siigo allows at most 10 digits' });
    }
  }
  return out;
}

function nameIssues(value: string | undefined, pointer: string): Issue[] {
  if (value === undefined) return [];
  if (value.length > SIIGO_LIMITS.name) {
    return [{ pointer, code: 'length_max', message: `Siigo allows at most ${SIIGO_LIMITS.name} characters` }];
  }
  if (!SIIGO_NAME.test(value)) {
    return [
      {
        pointer,
        code: 'invalid_name',
        message: 'Siigo allows letters, digits, spaces and .@-%_;()[]#?¡/:{}*+,$" only (no & or \')',
      },
    ];
  }
  return [];
}

function identificationIssues(c: UnifiedCustomer): Issue[] {
  const id = c.identification;
  if (!id) {
    return [
      {
        pointer: '/identification',
        code: 'required',
        message: 'Siigo needs an identification (type and number)',
      },
    ];
  }
  const code = siigoIdType(id, c.personType);
  const value = siigoIdentification(c) ?? '';
  const pointer = '/identification/number';
  if (isNumericIdType(code)) {
    if (!/^\d{3,13}$/.test(value)) {
      return [
        { pointer, code: 'invalid_identification', message: `Siigo needs 3 to 13 digits for a ${id.type}` },
      ];
    }
    return [];
  }
  if (value.length > 20) {
    return [{ pointer, code: 'length_max', message: `Siigo allows at most 20 characters for a ${id.type}` }];
  }
  if (!SIIGO_IDENTIFICATION.test(value)) {
    return [
      {
        pointer,
        code: 'invalid_identification',
        message: 'Siigo needs 3 or more letters or digits, hyphens only inside; no dots or spaces',
      },
    ];
  }
  return [];
}

/**
 * The address Siigo requires. Colombian codes are DANE's and were checked (and a missing department derived from
 * the city) by the unified schema; here only their presence and Siigo's own limits are checked.
 */
function addressIssues(a: Address | undefined, hasNativeAddress: boolean): Issue[] {
  if (!a) {
    return [
      {
        pointer: '/billingAddress',
        code: 'required',
        message: 'Siigo needs an address with country, stateCode and cityCode',
      },
    ];
  }
  const out: Issue[] = [];
  if (a.country !== 'CO') {
    // The unified stateCode is ISO 3166-2 outside Colombia (checked by the schema); Siigo's are its own.
    if (!hasNativeAddress) {
      out.push({
        pointer: '/billingAddress/stateCode',
        code: 'unsupported',
        message:
          'Siigo codes foreign departments and cities with its own catalogue (Lista de ciudades, e.g. US 01 / 0101), not ISO 3166-2: send erpFields.address {address, city: {country_code, state_code, city_code}}',
      });
    }
  } else {
    if (!a.stateCode) {
      out.push({
        pointer: '/billingAddress/stateCode',
        code: 'required',
        message:
          'Siigo needs the department (state) code, e.g. 11 for Bogotá (or the cityCode it is taken from)',
      });
    }
    if (!a.cityCode) {
      out.push({
        pointer: '/billingAddress/cityCode',
        code: 'required',
        message: 'Siigo needs the city code, e.g. 11001 for Bogotá (DANE)',
      });
    }
  }
  if (a.lines.join(', ').length > SIIGO_LIMITS.address) {
    out.push({
      pointer: '/billingAddress/lines',
      code: 'length_max',
      message: `Siigo allows at most ${SIIGO_LIMITS.address} characters for the address (lines joined with ", ")`,
    });
  }
  if (a.postalCode !== undefined && !SIIGO_POSTAL_CODE.test(a.postalCode)) {
    out.push({
      pointer: '/billingAddress/postalCode',
      code: 'invalid_postal_code',
      message: 'Siigo allows at most 10 letters or digits, without spaces or hyphens',
    });
  }
  return out;
}

function contactIssues(c: UnifiedCustomer): Issue[] {
  const out: Issue[] = [];
  const list = c.contacts ?? [];
  const max = SIIGO_LIMITS.contacts - (addsEmailContact(c) ? 1 : 0);
  if (list.length > max) {
    out.push({
      pointer: '/contacts',
      code: 'invalid_array',
      message:
        max === SIIGO_LIMITS.contacts
          ? `Siigo allows at most ${max} contacts`
          : `Siigo allows at most ${max} contacts when the customer's email is on none of them (it becomes a contact)`,
    });
  }
  list.forEach((k, i) => {
    if (k.email !== undefined && !SIIGO_EMAIL.test(k.email)) {
      out.push({
        pointer: `/contacts/${i}/email`,
        code: 'invalid_email',
        message: 'Siigo does not accept this email',
      });
    }
    if (k.phone) out.push(...phoneIssues(k.phone, `/contacts/${i}/phone`));
  });
  return out;
}

function erpFieldIssues(c: UnifiedCustomer): Issue[] {
  const out: Issue[] = [];
  const fields = c.erpFields ?? {};
  for (const key of CONTROLLED_KEYS) {
    if (key in fields) {
      out.push({
        pointer: `/erpFields/${key}`,
        code: 'not_allowed',
        message: `${key} is set from ${key === 'identification' ? '/identification/number' : '/branchOffice'} (the look-up key)`,
      });
    }
  }
  const related = fields.related_users;
  if (related !== undefined) {
    const ok =
      typeof related === 'object' &&
      related !== null &&
      !Array.isArray(related) &&
      Object.entries(related).every(
        ([k, v]) => (k === 'seller_id' || k === 'collector_id') && Number.isInteger(v),
      );
    if (!ok) {
      out.push({
        pointer: '/erpFields/related_users',
        code: 'invalid_type',
        message: 'related_users is { seller_id?: integer, collector_id?: integer } (Siigo user ids)',
      });
    }
  }
  return out;
}

/** Everything Siigo would refuse, found before the job is queued (422 with pointers into the unified body). */
export function siigoRequirements(c: UnifiedCustomer): Issue[] {
  const out: Issue[] = [...identificationIssues(c)];
  if (c.personType === 'company') {
    out.push(...nameIssues(c.name.company, '/name/company'));
  } else {
    out.push(...nameIssues(c.name.first, '/name/first'), ...nameIssues(c.name.last, '/name/last'));
  }
  out.push(...addressIssues(c.billingAddress, c.erpFields?.address !== undefined));
  if (c.email !== undefined && !SIIGO_EMAIL.test(c.email)) {
    out.push({ pointer: '/email', code: 'invalid_email', message: 'Siigo does not accept this email' });
  }
  if (c.email !== undefined && c.email.length > SIIGO_LIMITS.contactEmail) {
    out.push({
      pointer: '/email',
      code: 'length_max',
      message: `Siigo keeps the email on a contact, at most ${SIIGO_LIMITS.contactEmail} characters`,
    });
  }
  (c.phones ?? []).forEach((p, i) => {
    out.push(...phoneIssues(p, `/phones/${i}`));
  });
  out.push(...contactIssues(c), ...erpFieldIssues(c));
  return out;
}
