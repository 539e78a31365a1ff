import type { Address, UnifiedCustomer } from '../../customer/schema';
import type { Issue } from '../../errors';
import { erpFieldIssues, mappedBodyIssues } from '../native-fields';
import { isNumericIdType, siigoIdentification, siigoIdType } from './codes';
import { SIIGO_CATALOG } from './fields';
import { addsEmailContact, mapSiigoCustomer } from './mapper';
import { SIIGO_IDENTIFICATION, SIIGO_LIMITS } from './rules';

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
    return [{ pointer, code: 'too_long', message: `Siigo allows at most 20 characters for a ${id.type}` }];
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
/**
 * The address Siigo requires. Colombian codes are DANE's and were checked (and a missing department derived from
 * the city) by the unified schema; here only their presence. Lengths and formats are checked on the mapped body.
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
    return out;
  }
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
  return out;
}

/** The 10-contact cap, said in the caller's terms: the customer's own email may take one of the ten. */
function contactCountIssues(c: UnifiedCustomer): Issue[] {
  const list = c.contacts ?? [];
  const max = SIIGO_LIMITS.contacts - (addsEmailContact(c) ? 1 : 0);
  if (list.length <= max) return [];
  return [
    {
      pointer: '/contacts',
      code: 'invalid_array',
      message:
        max === SIIGO_LIMITS.contacts
          ? `Siigo allows at most ${max} contacts`
          : `Siigo allows at most ${max} contacts when the customer's email is on none of them (it becomes a contact)`,
    },
  ];
}

/**
 * Everything Siigo would refuse, found before the job is queued (422 with pointers into the unified body):
 * the identification and DANE rules, `erpFields` against CustomerIn, and the CustomerIn the mapper builds checked
 * field by field against Siigo's documented lengths and formats — derived values included (the contact made from
 * the customer's email is reported at /email or the name, never at /contacts the caller did not send).
 * One issue per pointer: the first, most specific one.
 */
export function siigoRequirements(c: UnifiedCustomer): Issue[] {
  const { body, sources } = mapSiigoCustomer(c);
  const address = addressIssues(c.billingAddress, c.erpFields?.address !== undefined);
  // A foreign address needs Siigo's own codes (erpFields.address): the mapped one says nothing more useful.
  const foreign = address.some((i) => i.code === 'unsupported');
  const all = [
    ...identificationIssues(c),
    ...address,
    ...contactCountIssues(c),
    ...erpFieldIssues(c.erpFields, SIIGO_CATALOG),
    ...mappedBodyIssues(body, SIIGO_CATALOG, sources, c.erpFields).filter(
      (i) => !(foreign && i.pointer.startsWith('/billingAddress')),
    ),
  ];
  const seen = new Set<string>();
  return all.filter((i) => !seen.has(i.pointer) && seen.add(i.pointer) !== undefined);
}
