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

function addressIssues(a: Address | undefined): Issue[] {
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
  if (!a.stateCode) {
    out.push({
      pointer: '/billingAddress/stateCode',
      code: 'required',
      message: 'Siigo needs the department (state) code, e.g. 11 for Bogotá',
    });
  }
  if (!a.cityCode) {
    out.push({
      pointer: '/billingAddress/cityCode',
      code: 'required',
      message: 'Siigo needs the city code, e.g. 11001 for Bogotá (DANE)',
    });
  }
  // Colombian codes are DANE's: a 2-digit department and a 5-digit municipality that starts with it.
  if (a.country === 'CO') {
    if (a.stateCode && !/^\d{2}$/.test(a.stateCode)) {
      out.push({
        pointer: '/billingAddress/stateCode',
        code: 'invalid_reference',
        message: 'a Colombian department code is 2 digits (DANE), e.g. 05',
      });
    }
    if (a.cityCode && !/^\d{5}$/.test(a.cityCode)) {
      out.push({
        pointer: '/billingAddress/cityCode',
        code: 'invalid_reference',
        message: 'a Colombian city code is 5 digits (DANE), e.g. 05001',
      });
    } else if (a.cityCode && a.stateCode && !a.cityCode.startsWith(a.stateCode)) {
      out.push({
        pointer: '/billingAddress/cityCode',
        code: 'invalid_reference',
        message: `city ${a.cityCode} is not in department ${a.stateCode}`,
      });
    }
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
  const all = [
    ...identificationIssues(c),
    ...addressIssues(c.billingAddress),
    ...contactCountIssues(c),
    ...erpFieldIssues(c.erpFields, SIIGO_CATALOG),
    ...mappedBodyIssues(body, SIIGO_CATALOG, sources, c.erpFields),
  ];
  const seen = new Set<string>();
  return all.filter((i) => !seen.has(i.pointer) && seen.add(i.pointer) !== undefined);
}
