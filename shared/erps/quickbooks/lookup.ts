import type { UnifiedCustomer } from '../../customer/schema';
import type { UpstreamResponse } from '../../http/upstream';
import { conflict, type Hit, type IdentityClaim, judgeHit, weigh } from '../identity';
import type { AdapterContext, LookupConflict, LookupFound, LookupOutcome } from '../types';
import { send } from './client';
import type { QuickBooksCredentials } from './credentials';
import { companyUrl, MINOR_VERSION } from './endpoints';
import { duplicateIdFrom, type Fault, hasCode, parseFault } from './faults';
import { displayNameOf } from './mapper';
import { failureFromResponse } from './outcomes';

/**
 * A string literal of Intuit's query language. Inside quotes a backslash escapes the next character, so the
 * backslash is escaped first (`\` → `\\`), then the quote (`'` → `\'`, QB-REF): "Tools \ Hardware" and
 * "Dept. A\" then mean themselves instead of swallowing a character or the closing quote.
 */
export function queryLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

type Party = 'Customer' | 'Vendor' | 'Employee';

/**
 * Records of any status whose DisplayName equals `name`. `Active IN (true, false)` because queries return
 * active records only by default, and a customer created inactive (`active: false`) must still be found.
 */
export function displayNameQuery(name: string, entity: Party = 'Customer'): string {
  return `select * from ${entity} where Active IN (true, false) AND DisplayName = ${queryLiteral(name)}`;
}

/** The GET that runs a query against the company. */
export function queryUrl(base: string, realmId: string, query: string): string {
  return `${companyUrl(base, realmId)}/query?${new URLSearchParams({ query, minorversion: MINOR_VERSION })}`;
}

const norm = (s: string) => s.trim().toLowerCase();
type Row = Record<string, unknown> & { Id: string | number };

/** The rows of a QueryResponse whose DisplayName equals `displayName` (case-insensitively, as QuickBooks compares). */
export function rowsNamed(res: UpstreamResponse, entity: Party, displayName: string): Row[] {
  const list = (res.json as { QueryResponse?: Record<string, unknown> } | undefined)?.QueryResponse?.[entity];
  if (!Array.isArray(list)) return [];
  return list.filter(
    (c): c is Row =>
      !!c &&
      typeof c === 'object' &&
      norm(String((c as { DisplayName?: unknown }).DisplayName ?? '')) === norm(displayName) &&
      (c as { Id?: unknown }).Id !== undefined,
  );
}

/** Where the DisplayName came from in the unified body: the collision's pointer. */
export function displayNamePointer(c: UnifiedCustomer): string {
  if (typeof c.erpFields?.DisplayName === 'string') return '/erpFields/DisplayName';
  return c.personType === 'company' ? '/name/company' : '/name';
}

/** The tax id as the adapter sends it (mapper: a NIT keeps its check digit). */
function sentTaxId(c: UnifiedCustomer): string | undefined {
  const id = c.identification;
  return id ? `${id.number}${id.checkDigit ? `-${id.checkDigit}` : ''}` : undefined;
}

/**
 * Whether a customer holding this DisplayName is this job's customer. QuickBooks keeps no external id on a
 * Customer, so the identity it can show is the e-mail (`PrimaryEmailAddr`); the tax id comes back masked
 * (`XXXXXX6789`), so it can only refute. Never the DisplayName alone: two people called "Juan Pérez".
 */
function customerClaims(c: UnifiedCustomer, row: Row): IdentityClaim[] {
  const email = (row.PrimaryEmailAddr as { Address?: unknown } | undefined)?.Address;
  return [
    { kind: 'email', field: 'PrimaryEmailAddr', sent: c.email, stored: email },
    {
      kind: 'identification',
      field: 'PrimaryTaxIdentifier',
      sent: sentTaxId(c),
      stored: row.PrimaryTaxIdentifier,
      masked: true,
    },
  ];
}

const hitOf = (c: UnifiedCustomer, id: string, keyField: string): Hit => ({
  erp: 'QuickBooks',
  id,
  pointer: displayNamePointer(c),
  keyField,
});

async function query(
  ctx: AdapterContext<QuickBooksCredentials>,
  q: string,
): Promise<{ res: UpstreamResponse } | Exclude<LookupOutcome, LookupFound | LookupConflict>> {
  const res = await send(ctx, {
    method: 'GET',
    url: queryUrl(ctx.endpoint('base'), ctx.connection.credentials.realmId, q),
    headers: { Accept: 'application/json' },
  });
  return res.status === 200 ? { res } : failureFromResponse(res, { write: false, now: ctx.now() });
}

/**
 * The record behind a DisplayName clash, judged: the customer holding the name (adopted only with this job's
 * identity), else the vendor or employee holding it (always a conflict: QuickBooks keeps DisplayName unique
 * across all three), else `not_found`. `replay`: how to ask QuickBooks whether this job's own create made the
 * customer (re-sending it with the same `requestid` answers the original response); absent when the caller
 * already holds that answer. Throws like `send`.
 */
export async function resolveDisplayName(
  c: UnifiedCustomer,
  ctx: AdapterContext<QuickBooksCredentials>,
  opts: { fault?: Fault; replay?: () => Promise<UpstreamResponse> } = {},
): Promise<LookupOutcome> {
  const name = displayNameOf(c);
  const customers = await query(ctx, displayNameQuery(name));
  if (!('res' in customers)) return customers;
  const row = rowsNamed(customers.res, 'Customer', name)[0];
  if (row) {
    const claims = customerClaims(c, row);
    const verdict = judgeHit(hitOf(c, String(row.Id), 'DisplayName'), claims);
    const { proving, refuting } = weigh(claims);
    if (proving.length || refuting.length || !opts.replay) return verdict;
    // Nothing on the record proves or refutes it: QuickBooks itself knows whether this job created it.
    const replayed = await opts.replay();
    const id = (replayed.json as { Customer?: { Id?: unknown } } | undefined)?.Customer?.Id;
    if (replayed.status === 200 && (typeof id === 'string' || typeof id === 'number')) {
      return { kind: 'found', erpCustomerId: String(id), provenBy: 'requestid' };
    }
    if (hasCode(parseFault(replayed), '6240')) return verdict;
    return failureFromResponse(replayed, { write: true, now: ctx.now() });
  }
  const other = duplicateIdFrom(opts.fault);
  if (other) return conflict(hitOf(c, other, 'DisplayName'), vendorMessage(other, 'vendor or employee'));
  for (const entity of ['Vendor', 'Employee'] as const) {
    const found = await query(ctx, displayNameQuery(name, entity));
    if (!('res' in found)) return found;
    const holder = rowsNamed(found.res, entity, name)[0];
    if (holder) {
      return conflict(
        hitOf(c, String(holder.Id), 'DisplayName'),
        vendorMessage(String(holder.Id), entity.toLowerCase()),
      );
    }
  }
  return { kind: 'not_found' };
}

const vendorMessage = (id: string, who: string) =>
  `QuickBooks ${who} ${id} holds this DisplayName, which must be unique across customers, vendors and employees: choose another name (erpFields.DisplayName)`;
