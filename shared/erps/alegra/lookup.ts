import type { UnifiedCustomer } from '../../customer/schema';
import type { AdapterContext, LookupOutcome } from '../types';
import { send } from './client';
import type { AlegraCredentials } from './credentials';
import { contactsUrl } from './endpoints';
import { classifyFailure } from './errors';
import { alegraIdentificationNumber } from './identification';

/** Alegra's page size cap for lists. */
export const PAGE_SIZE = 30;
/**
 * Pages read per search. The server-side filter normally returns only matches; a community report says the
 * identification filter is ignored on some Colombian accounts, so results are checked client-side and, newest
 * first, a few pages cover a contact created by an attempt moments ago without walking the whole list.
 */
export const MAX_PAGES = 3;

type Contact = Record<string, unknown>;

const norm = (v: string) => v.replace(/[.\s]/g, '').toUpperCase();

/** Reads return `identification` as a string and `identificationObject` as an object; writes echo the object. */
function identificationsOf(c: Contact): string[] {
  const out: string[] = [];
  for (const v of [c.identification, c.identificationObject]) {
    if (typeof v === 'string' || typeof v === 'number') out.push(String(v));
    else if (v && typeof v === 'object' && 'number' in v) out.push(String((v as { number: unknown }).number));
  }
  return out.map(norm).filter((v) => v.length > 0);
}

function sameIdentification(c: Contact, number: string): boolean {
  const want = norm(number);
  // "900373913-4" is how some accounts store a NIT with its DV.
  return identificationsOf(c).some((v) => v === want || v.replace(/-\d$/, '') === want);
}

const idOf = (c: Contact): string | undefined =>
  typeof c.id === 'string' || typeof c.id === 'number' ? String(c.id) : undefined;

/** The list answer: a bare array, or `{data: […]}` when `metadata=true` was asked for. */
function listOf(json: unknown): Contact[] | undefined {
  if (Array.isArray(json)) return json as Contact[];
  if (json && typeof json === 'object' && Array.isArray((json as { data?: unknown }).data)) {
    return (json as { data: Contact[] }).data;
  }
  return undefined;
}

async function search(
  ctx: AdapterContext<AlegraCredentials>,
  filter: Record<string, string>,
  matches: (c: Contact) => boolean,
): Promise<LookupOutcome> {
  for (let page = 0; page < MAX_PAGES; page++) {
    const q = new URLSearchParams({
      ...filter,
      start: String(page * PAGE_SIZE),
      limit: String(PAGE_SIZE),
      order_field: 'id',
      order_direction: 'DESC',
    });
    const sent = await send(ctx, { method: 'GET', url: `${contactsUrl(ctx.endpoint('base'))}?${q}` });
    if (!sent.ok) return sent.outcome;
    const { res } = sent;
    if (res.status < 200 || res.status >= 300) {
      const failed = classifyFailure(res, {
        write: false,
        creds: ctx.connection.credentials,
        now: ctx.now(),
      });
      return failed.kind === 'duplicate' ? { kind: 'not_found' } : failed;
    }
    const list = listOf(res.json);
    if (!list) {
      return {
        kind: 'transient',
        upstream: { erp: 'alegra', status: res.status, message: 'contact list answer is not a list' },
      };
    }
    const hit = list.find((c) => idOf(c) !== undefined && matches(c));
    if (hit) return { kind: 'found', erpCustomerId: idOf(hit) as string };
    if (list.length < PAGE_SIZE) break;
  }
  return { kind: 'not_found' };
}

/**
 * Finds the contact a previous attempt may have created: by identification, then by email (compared
 * case-insensitively, and never a contact holding a different identification). Alegra allows duplicate contacts,
 * so this is what keeps a retry after a lost response from creating a second one.
 */
export async function lookupContact(
  customer: UnifiedCustomer,
  ctx: AdapterContext<AlegraCredentials>,
): Promise<LookupOutcome> {
  // The number as the create sent it (a Spanish VAT loses its "ES" prefix), so a retry finds that contact.
  const number = alegraIdentificationNumber(customer);
  if (number) {
    const byId = await search(ctx, { identification: number }, (c) => sameIdentification(c, number));
    if (byId.kind !== 'not_found') return byId;
  }
  const email = customer.email?.toLowerCase();
  if (email) {
    return search(
      ctx,
      { email: customer.email as string },
      (c) =>
        typeof c.email === 'string' &&
        c.email.trim().toLowerCase() === email &&
        (!number || identificationsOf(c).length === 0 || sameIdentification(c, number)),
    );
  }
  return { kind: 'not_found' };
}
