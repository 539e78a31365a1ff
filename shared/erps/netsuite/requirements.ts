import type { UnifiedCustomer } from '../../customer/schema';
import type { Issue } from '../../errors';
import { currencyByIdIssues } from '../geo-currency';
import { erpFieldIssues, mappedBodyIssues, unlessCovered } from '../native-fields';
import { NETSUITE_ADDRESS_LINES, NETSUITE_CATALOG, NETSUITE_EXTERNAL_ID } from './fields';
import { NETSUITE_STATE_CODE_COUNTRIES, netsuiteState, toNetSuiteCustomer } from './mapper';

/**
 * What NetSuite would reject, found before anything is queued (pointers into the unified body): suppliers,
 * external ids that cannot be the upsert key, more than three address lines, a state name where NetSuite checks
 * the country's list, a currency it can only take by its own id; `erpFields` against the customer record
 * (standard fields with their kinds, `custentity…`/`custrecord…` custom ids, controlled and read-only keys — a
 * field the record does not have would otherwise fail late, as `X-NetSuite-PropertyNameValidation: Error` is
 * sent); and the mapped record field by field against NetSuite's lengths, derived values included.
 */
export function netsuiteRequirements(c: UnifiedCustomer): Issue[] {
  const out: Issue[] = [];
  if (c.type === 'supplier') {
    out.push({
      pointer: '/type',
      code: 'unsupported',
      message: 'NetSuite keeps suppliers as vendor records; this connection creates customers only',
    });
  }
  for (const [at, a] of [
    ['/billingAddress', c.billingAddress],
    ['/shippingAddress', c.shippingAddress],
  ] as const) {
    if (!a) continue;
    if (a.lines.length > NETSUITE_ADDRESS_LINES) {
      out.push({
        pointer: `${at}/lines`,
        code: 'too_many',
        message: `NetSuite addresses have ${NETSUITE_ADDRESS_LINES} lines (addr1..addr3)`,
      });
    }
    const state = netsuiteState(a);
    if (state?.from === 'state' && NETSUITE_STATE_CODE_COUNTRIES.has(a.country) && state.value === a.state) {
      // NetSuite checks the state against the country's list ("you would not be able to set CA for UK").
      out.push({
        pointer: `${at}/state`,
        code: 'invalid_reference',
        message: `NetSuite checks the state against ${a.country}'s list: "${a.state}" is not one of its states; send stateCode (ISO 3166-2, e.g. ${a.country === 'US' ? 'CA' : a.country === 'CA' ? 'ON' : 'NSW'})`,
      });
    }
  }
  if (c.externalId !== undefined && !NETSUITE_EXTERNAL_ID.test(c.externalId)) {
    out.push({
      pointer: '/externalId',
      code: 'invalid',
      message:
        'NetSuite external ids are letters, digits, ".", "_" and "-" (it is the upsert key in the URL)',
    });
  }
  out.push(...currencyByIdIssues(c, 'NetSuite', 'currency', 'a reference such as {"id": "1"}'));
  out.push(...erpFieldIssues(c.erpFields, NETSUITE_CATALOG));
  // The record as it would be sent; the external id is a placeholder of the job-derived form.
  const { body, pointers } = toNetSuiteCustomer(c, { externalId: c.externalId ?? 'erpb-requirements' });
  return unlessCovered(out, mappedBodyIssues(body, NETSUITE_CATALOG, pointers, c.erpFields));
}
