import type { UpstreamResponse } from '../../http/upstream';
import type { AdapterContext, LookupOutcome } from '../types';
import { send } from './client';
import type { QuickBooksCredentials } from './credentials';
import { companyUrl, MINOR_VERSION } from './endpoints';
import { failureFromResponse } from './outcomes';

/** A string literal of the query language: single quotes escaped as `\'` (Intuit's documented escape). */
export function queryLiteral(value: string): string {
  return `'${value.replace(/'/g, "\\'")}'`;
}

/**
 * Customers of any status whose DisplayName equals `name`. `Active IN (true, false)` because queries return
 * active records only by default, and a customer created inactive (`active: false`) must still be found.
 */
export function displayNameQuery(name: string): string {
  return `select * from Customer where Active IN (true, false) AND DisplayName = ${queryLiteral(name)}`;
}

/** The GET that runs a query against the company. */
export function queryUrl(base: string, realmId: string, query: string): string {
  return `${companyUrl(base, realmId)}/query?${new URLSearchParams({ query, minorversion: MINOR_VERSION })}`;
}

const norm = (s: string) => s.trim().toLowerCase();

/** The Id of the customer with this DisplayName in a QueryResponse (compared case-insensitively, as QuickBooks does). */
export function customerIdIn(res: UpstreamResponse, displayName: string): string | undefined {
  const list = (res.json as { QueryResponse?: { Customer?: unknown } } | undefined)?.QueryResponse?.Customer;
  if (!Array.isArray(list)) return undefined;
  const hit = list.find(
    (c): c is { Id: string | number } =>
      !!c &&
      typeof c === 'object' &&
      norm(String((c as { DisplayName?: unknown }).DisplayName ?? '')) === norm(displayName) &&
      (c as { Id?: unknown }).Id !== undefined,
  );
  return hit ? String(hit.Id) : undefined;
}

/** Finds the customer by DisplayName, the name QuickBooks keeps unique. Throws like `send`. */
export async function findByDisplayName(
  ctx: AdapterContext<QuickBooksCredentials>,
  displayName: string,
): Promise<LookupOutcome> {
  const res = await send(ctx, {
    method: 'GET',
    url: queryUrl(ctx.endpoint('base'), ctx.connection.credentials.realmId, displayNameQuery(displayName)),
    headers: { Accept: 'application/json' },
  });
  if (res.status !== 200) return failureFromResponse(res, { write: false, now: ctx.now() });
  const id = customerIdIn(res, displayName);
  return id ? { kind: 'found', erpCustomerId: id } : { kind: 'not_found' };
}
