import { claimsOf, firstProven, judgeHit } from '../identity';
import type { AdapterContext, LookupOutcome } from '../types';
import { companyUrl, genericFailure, isFailure, sageCall } from './client';
import type { SageCredentials } from './credentials';
import { LOOKUP_FIELD, odataString } from './lookup-key';

/** What identifies a Sage customer: our marker, its tax reference or registration number, its e-mail. */
const IDENTITY_FIELDS = {
  [LOOKUP_FIELD]: 'key',
  TaxReference: 'identification',
  BusinessRegistrationNumber: 'identification',
  Email: 'email',
} as const;

/** Sage returns at most 100 results per list call, whatever `$top` says. */
const PAGE = 100;
/** Pages scanned when Sage ignores the filter (its filterability on TextField1 is unconfirmed). */
const MAX_PAGES = 5;

interface ListPage {
  total: number;
  results: Record<string, unknown>[];
}

function parseList(json: unknown): ListPage | undefined {
  if (!json || typeof json !== 'object') return undefined;
  const o = json as Record<string, unknown>;
  if (!Array.isArray(o.Results)) return undefined;
  const results = o.Results.filter((r): r is Record<string, unknown> => !!r && typeof r === 'object');
  const total = typeof o.TotalResults === 'number' ? o.TotalResults : results.length;
  return { total, results };
}

export function customerIdOf(json: unknown): string | undefined {
  const id = json && typeof json === 'object' ? (json as Record<string, unknown>).ID : undefined;
  if (typeof id === 'number' && Number.isInteger(id) && id > 0) return String(id);
  if (typeof id === 'string' && /^\d+$/.test(id) && id !== '0') return id;
  return undefined;
}

/**
 * Finds the customer holding `key` in TextField1: `$filter=TextField1 eq '<key>'`, newest first. The match is
 * re-checked here, so a Sage that ignored the filter cannot hand back a stranger; in that case the newest
 * pages are scanned (a customer created by a lost attempt is among the newest). TextField1 is a user-defined
 * field people also type into, so its holder is this customer unless it holds another tax reference or
 * registration number (then `conflict` at /externalId). Several holders → the oldest that carries this job's
 * identity. `sent`: the body this job sends (the fields compared).
 */
export async function findByLookupKey(
  ctx: AdapterContext<SageCredentials>,
  key: string,
  sent: Record<string, unknown>,
): Promise<LookupOutcome> {
  const filter = `${LOOKUP_FIELD} eq ${odataString(key)}`;
  for (let page = 0; page < MAX_PAGES; page++) {
    const url = companyUrl(ctx, 'Customer/Get', {
      $filter: filter,
      $orderby: 'ID desc',
      $top: String(PAGE),
      $skip: String(page * PAGE),
    });
    const res = await sageCall(ctx, { method: 'GET', url }, false);
    if (isFailure(res)) return res;
    if (res.status < 200 || res.status >= 300) return genericFailure(res, ctx.connection.credentials, false);
    const list = parseList(res.json);
    if (!list) {
      return {
        kind: 'transient',
        upstream: {
          erp: 'sage',
          status: res.status,
          code: 'unexpected_body',
          message: 'Customer/Get did not return Results',
        },
      };
    }
    const holders = list.results
      .filter((r) => r[LOOKUP_FIELD] === key && customerIdOf(r) !== undefined)
      .sort((a, b) => Number(customerIdOf(a)) - Number(customerIdOf(b)));
    const verdicts = holders.map((r) =>
      judgeHit(
        { erp: 'Sage', id: customerIdOf(r) as string, pointer: '/externalId', keyField: LOOKUP_FIELD },
        claimsOf(IDENTITY_FIELDS, { ...sent, [LOOKUP_FIELD]: key }, r),
      ),
    );
    const verdict = firstProven(verdicts);
    if (verdict) return verdict;
    const filterApplied = list.results.every((r) => r[LOOKUP_FIELD] === key);
    if (filterApplied || (page + 1) * PAGE >= list.total || list.results.length === 0)
      return { kind: 'not_found' };
  }
  return { kind: 'not_found' };
}
