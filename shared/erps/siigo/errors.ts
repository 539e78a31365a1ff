import type { UnifiedCustomer } from '../../customer/schema';
import type { Issue, UpstreamError } from '../../errors';
import { header, retryAfterMs, type UpstreamResponse } from '../../http/upstream';
import { outcomeFromStatus } from '../outcome';
import type { FailureOutcome } from '../types';

export const ERP = 'siigo';

/** Siigo's requests_limit carries no Retry-After: the limit is per minute, so a minute frees the window. */
export const RATE_LIMIT_HINT_MS = 60_000;

export interface SiigoErrorItem {
  code?: string;
  message?: string;
  params: string[];
  detail?: string;
}

/** A key of `o` matched case-insensitively (Siigo sends `Errors`/`Code`; its SDK models `errors`/`code`). */
function pick(o: unknown, name: string): unknown {
  if (!o || typeof o !== 'object') return undefined;
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(o)) if (k.toLowerCase() === want) return v;
  return undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length ? v : undefined);

/** `{"Status":400,"Errors":[{"Code","Message","Params","Detail"}]}` in any letter case; [] when not that shape. */
export function parseSiigoErrors(body: unknown): SiigoErrorItem[] {
  const list = pick(body, 'errors');
  if (!Array.isArray(list)) return [];
  return list.map((e) => {
    const params = pick(e, 'params');
    return {
      code: str(pick(e, 'code')),
      message: str(pick(e, 'message')),
      params: Array.isArray(params) ? params.filter((p): p is string => typeof p === 'string') : [],
      detail: str(pick(e, 'detail')),
    };
  });
}

/** The ERP's answer, normalised: first error code, all messages. Nothing here comes from our request. */
export function upstreamError(
  res: UpstreamResponse,
  errors = parseSiigoErrors(res.json),
): UpstreamError & { status: number } {
  const messages = errors.map((e) => e.message ?? e.code).filter(Boolean);
  return {
    erp: ERP,
    status: res.status,
    code: errors[0]?.code,
    message: (messages.length ? messages.join('; ') : `HTTP ${res.status}`).slice(0, 1000),
  };
}

/** Native field (last segment of a Siigo `Params` entry) → pointer in the unified body. */
const FIELD_POINTERS: Record<string, string> = {
  type: '/type',
  person_type: '/personType',
  id_type: '/identification/type',
  identification: '/identification/number',
  check_digit: '/identification/checkDigit',
  commercial_name: '/commercialName',
  branch_office: '/branchOffice',
  active: '/active',
  vat_responsible: '/tax/vatResponsible',
  fiscal_responsibilities: '/tax/fiscalResponsibilities',
  address: '/billingAddress/lines',
  city: '/billingAddress/cityCode',
  city_code: '/billingAddress/cityCode',
  state_code: '/billingAddress/stateCode',
  country_code: '/billingAddress/country',
  postal_code: '/billingAddress/postalCode',
  phones: '/phones',
  indicative: '/phones',
  number: '/phones',
  extension: '/phones',
  contacts: '/contacts',
  first_name: '/contacts',
  last_name: '/contacts',
  email: '/contacts',
  comments: '/notes',
  related_users: '/erpFields/related_users',
  seller_id: '/erpFields/related_users',
  collector_id: '/erpFields/related_users',
};

/** Where a Siigo error points in the unified body, or undefined when it cannot be placed. */
export function pointerForParam(param: string, customer: UnifiedCustomer): string | undefined {
  const segments = param
    .replace(/\[\d+\]/g, '')
    .split('.')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const top = segments[0];
  const last = segments.at(-1);
  if (!top || !last) return undefined;
  // A field the caller supplied through erpFields points there.
  const erpKey = Object.keys(customer.erpFields ?? {}).find((k) => k.toLowerCase() === top);
  if (erpKey) return `/erpFields/${erpKey}`;
  if (last === 'name' && top === 'name') {
    return customer.personType === 'company' ? '/name/company' : '/name';
  }
  if (top === 'contacts') return '/contacts';
  const pointer = FIELD_POINTERS[last];
  if (pointer === '/contacts' && last === 'email' && top !== 'contacts') return '/email';
  return pointer;
}

export function issuesFromErrors(errors: SiigoErrorItem[], customer: UnifiedCustomer): Issue[] {
  const out: Issue[] = [];
  for (const e of errors) {
    const pointers = new Set(
      e.params.map((p) => pointerForParam(p, customer)).filter((p): p is string => p !== undefined),
    );
    for (const pointer of pointers) {
      out.push({ pointer, code: e.code ?? 'invalid', message: e.message ?? 'rejected by Siigo' });
    }
  }
  return out;
}

export const isAlreadyExists = (errors: SiigoErrorItem[]) =>
  errors.some((e) => e.code?.toLowerCase() === 'already_exists');

const isRequestsLimit = (errors: SiigoErrorItem[]) =>
  errors.some((e) => e.code?.toLowerCase() === 'requests_limit');

/**
 * A non-2xx Siigo answer that is not a duplicate → outcome. 429 or `requests_limit` (whatever the status)
 * is rate_limited with the Retry-After if one ever comes, else the 60 s window.
 */
export function failureFromResponse(
  res: UpstreamResponse,
  opts: { write: boolean; customer?: UnifiedCustomer },
): FailureOutcome {
  const errors = parseSiigoErrors(res.json);
  const upstream = upstreamError(res, errors);
  const hint = retryAfterMs(header(res, 'retry-after'));
  if (res.status === 429 || isRequestsLimit(errors)) {
    return { kind: 'rate_limited', retryAfterMs: hint ?? RATE_LIMIT_HINT_MS, upstream };
  }
  const outcome = outcomeFromStatus(upstream, { write: opts.write, retryAfterMs: hint });
  if (outcome.kind === 'invalid' && opts.customer) {
    const details = issuesFromErrors(errors, opts.customer);
    return details.length ? { ...outcome, details } : outcome;
  }
  return outcome;
}
