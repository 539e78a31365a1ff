import { phoneText } from '../../customer/phone';
import type { Address, UnifiedCustomer } from '../../customer/schema';
import type { Issue } from '../../errors';
import { controlledFieldIssues } from '../controlled-fields';
import { currencyByIdIssues } from '../geo-currency';
import { NETSUITE_ADDRESS_LINES, NETSUITE_EXTERNAL_ID, NETSUITE_MAX } from './fields';
import { CONTROLLED_ERP_FIELDS, NETSUITE_STATE_CODE_COUNTRIES, netsuiteState } from './mapper';

function tooLong(out: Issue[], pointer: string, value: string | undefined, max: number, field: string) {
  if (value !== undefined && value.length > max) {
    out.push({
      pointer,
      code: 'too_long',
      message: `NetSuite ${field} holds at most ${max} characters (got ${value.length})`,
    });
  }
}

function addressIssues(out: Issue[], a: Address | undefined, at: string) {
  if (!a) return;
  if (a.lines.length > NETSUITE_ADDRESS_LINES) {
    out.push({
      pointer: `${at}/lines`,
      code: 'too_many',
      message: `NetSuite addresses have ${NETSUITE_ADDRESS_LINES} lines (addr1..addr3)`,
    });
  }
  a.lines.forEach((l, i) => {
    tooLong(out, `${at}/lines/${i}`, l, NETSUITE_MAX.addrLine, `addr${i + 1}`);
  });
  tooLong(out, `${at}/city`, a.city, NETSUITE_MAX.city, 'city');
  const state = netsuiteState(a);
  if (state?.from === 'state' && NETSUITE_STATE_CODE_COUNTRIES.has(a.country) && state.value === a.state) {
    // NetSuite checks the state against the country's list ("you would not be able to set CA for UK").
    out.push({
      pointer: `${at}/state`,
      code: 'invalid_reference',
      message: `NetSuite checks the state against ${a.country}'s list: "${a.state}" is not one of its states; send stateCode (ISO 3166-2, e.g. ${a.country === 'US' ? 'CA' : a.country === 'CA' ? 'ON' : 'NSW'})`,
    });
  } else if (state) tooLong(out, `${at}/${state.from}`, state.value, NETSUITE_MAX.state, 'state');
  tooLong(out, `${at}/postalCode`, a.postalCode, NETSUITE_MAX.zip, 'zip');
}

const isRef = (v: unknown) =>
  !!v &&
  typeof v === 'object' &&
  !Array.isArray(v) &&
  (typeof (v as { id?: unknown }).id === 'string' ||
    typeof (v as { externalId?: unknown }).externalId === 'string');

/** What NetSuite would reject, found before anything is queued (pointers into the unified body). */
export function netsuiteRequirements(c: UnifiedCustomer): Issue[] {
  const out: Issue[] = [];
  if (c.type === 'supplier') {
    out.push({
      pointer: '/type',
      code: 'unsupported',
      message: 'NetSuite keeps suppliers as vendor records; this connection creates customers only',
    });
  }
  if (c.personType === 'company') {
    tooLong(out, '/name/company', c.name.company, NETSUITE_MAX.companyName, 'companyName');
  } else {
    tooLong(out, '/name/first', c.name.first, NETSUITE_MAX.firstName, 'firstName');
    tooLong(out, '/name/last', c.name.last, NETSUITE_MAX.lastName, 'lastName');
  }
  tooLong(out, '/email', c.email, NETSUITE_MAX.email, 'email');
  c.phones?.forEach((p, i) => {
    tooLong(
      out,
      `/phones/${i}`,
      phoneText(p),
      NETSUITE_MAX.phone,
      'phone (formatted as +CC NN NNN ext. EXT)',
    );
  });
  tooLong(out, '/website', c.website, NETSUITE_MAX.url, 'url');
  tooLong(out, '/notes', c.notes, NETSUITE_MAX.comments, 'comments');
  addressIssues(out, c.billingAddress, '/billingAddress');
  addressIssues(out, c.shippingAddress, '/shippingAddress');
  if (c.externalId !== undefined && !NETSUITE_EXTERNAL_ID.test(c.externalId)) {
    out.push({
      pointer: '/externalId',
      code: 'invalid',
      message:
        'NetSuite external ids are letters, digits, ".", "_" and "-" (it is the upsert key in the URL)',
    });
  }

  const erp = c.erpFields ?? {};
  out.push(...currencyByIdIssues(c, 'NetSuite', 'currency', 'a reference such as {"id": "1"}'));
  out.push(...controlledFieldIssues(erp, CONTROLLED_ERP_FIELDS));
  if ('subsidiary' in erp && !isRef(erp.subsidiary)) {
    out.push({
      pointer: '/erpFields/subsidiary',
      code: 'invalid',
      message: 'a NetSuite reference such as {"id": "1"}',
    });
  }
  if ('entityId' in erp) {
    if (typeof erp.entityId !== 'string' || !erp.entityId.trim()) {
      out.push({ pointer: '/erpFields/entityId', code: 'invalid', message: 'a non-empty string' });
    } else {
      tooLong(out, '/erpFields/entityId', erp.entityId, NETSUITE_MAX.entityId, 'entityId');
    }
  }
  return out;
}
