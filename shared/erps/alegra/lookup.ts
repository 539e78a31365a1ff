import type { UnifiedCustomer } from '../../customer/schema';
import { firstProven, judgeHit } from '../identity';
import type { AdapterContext, FailureOutcome, LookupConflict, LookupFound, LookupOutcome } from '../types';
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

/** The contacts a filtered list returns that `isCandidate` keeps, newest first, over at most MAX_PAGES pages. */
async function search(
  ctx: AdapterContext<AlegraCredentials>,
  filter: Record<string, string>,
  isCandidate: (c: Contact) => boolean,
): Promise<Contact[] | FailureOutcome> {
  const out: Contact[] = [];
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
      return failed.kind === 'duplicate' ? out : failed;
    }
    const list = listOf(res.json);
    if (!list) {
      return {
        kind: 'transient',
        upstream: { erp: 'alegra', status: res.status, message: 'contact list answer is not a list' },
      };
    }
    out.push(...list.filter((c) => idOf(c) !== undefined && isCandidate(c)));
    if (out.length || list.length < PAGE_SIZE) break;
  }
  return out;
}

const isFailure = (x: Contact[] | FailureOutcome): x is FailureOutcome => !Array.isArray(x);

/**
 * The contacts holding this customer's identification, then those holding its e-mail, each judged
 * (shared/erps/identity.ts): `found` is the first that carries this job's identity; `conflict` the first that
 * holds the value but another identity (another identification number).
 */
async function judgeContacts(
  customer: UnifiedCustomer,
  ctx: AdapterContext<AlegraCredentials>,
): Promise<{ found?: LookupFound; conflict?: LookupConflict } | FailureOutcome> {
  // The number as the create sent it (a Spanish VAT loses its "ES" prefix), so a retry finds that contact.
  const number = alegraIdentificationNumber(customer);
  const email = customer.email?.trim().toLowerCase();
  const searches: {
    filter: Record<string, string>;
    pointer: string;
    keyField: string;
    is: (c: Contact) => boolean;
  }[] = [];
  if (number) {
    searches.push({
      filter: { identification: number },
      pointer: '/identification/number',
      keyField: 'identification',
      is: (c) => sameIdentification(c, number),
    });
  }
  if (email) {
    searches.push({
      filter: { email: customer.email as string },
      pointer: '/email',
      keyField: 'email',
      is: (c) => typeof c.email === 'string' && c.email.trim().toLowerCase() === email,
    });
  }
  const verdicts: (LookupFound | LookupConflict)[] = [];
  for (const s of searches) {
    const contacts = await search(ctx, s.filter, s.is);
    if (isFailure(contacts)) return contacts;
    for (const c of contacts) {
      const verdict = judgeHit(
        { erp: 'Alegra', id: idOf(c) as string, pointer: s.pointer, keyField: s.keyField },
        [
          // "900373913-4" is how some accounts store a NIT with its DV: both forms are this NIT.
          {
            kind: 'identification',
            field: 'identification',
            sent: number,
            stored: identificationsOf(c).flatMap((v) => [v, v.replace(/-\d$/, '')]),
          },
          { kind: 'email', field: 'email', sent: email, stored: c.email },
        ],
      );
      if (verdict.kind === 'found') return { found: verdict };
      verdicts.push(verdict);
    }
  }
  const first = firstProven(verdicts);
  return first?.kind === 'conflict' ? { conflict: first } : {};
}

/**
 * Finds the contact a previous attempt may have created: by identification, then by e-mail, adopted only with
 * this job's identity — a contact holding the e-mail but another identification is someone else. Alegra allows
 * duplicate contacts, so no other contact stops this one from being created: the look-up says `not_found`.
 * This is what keeps a retry after a lost response from creating a second contact.
 */
export async function lookupContact(
  customer: UnifiedCustomer,
  ctx: AdapterContext<AlegraCredentials>,
): Promise<LookupOutcome> {
  const judged = await judgeContacts(customer, ctx);
  if ('kind' in judged) return judged;
  return judged.found ?? { kind: 'not_found' };
}

/**
 * An account that refuses repeated identifications or e-mails (code 905) refused this contact: the contact
 * holding the value is this customer's (found) or another's (conflict); unresolved when none is found.
 */
export async function resolveDuplicate(
  customer: UnifiedCustomer,
  ctx: AdapterContext<AlegraCredentials>,
): Promise<LookupFound | LookupConflict | undefined> {
  const judged = await judgeContacts(customer, ctx);
  if ('kind' in judged) return undefined;
  return judged.found ?? judged.conflict;
}
