import type { LookupConflict, LookupFound } from './types';

/**
 * Whether a record found upstream is this job's customer (issue 11 §1). A look-up finds a record by a key — a
 * name, a code, our own marker — and a shared name or code proves nothing: two different customers may both be
 * "Juan Pérez" or `ACME`. So the record is adopted only when it carries this job's own identity:
 *
 * - `key`: the caller's `externalId` (or the job-derived key) where the ERP keeps it — NetSuite `externalId`,
 *   ChargeOver `external_key`, NEXT `customerno`, Sage `TextField1` — or another proof that this job created it
 *   (QuickBooks replays the answer to this job's `requestid`);
 * - `identification`: the tax or identity number, as the ERP stores it (compared without separators or case);
 * - `email`: the customer's e-mail (compared case-insensitively).
 *
 * Rules, the same for every ERP:
 * 1. A `key` or `identification` the record holds that differs from this job's refutes it (another customer).
 *    An e-mail that differs does not: people and companies change and share addresses.
 * 2. Otherwise one equal field proves it. A `masked` value (QuickBooks returns tax ids as `XXXXXX6789`) can
 *    refute through its visible end but never prove.
 * 3. A record nothing proves is another customer's: `conflict`, pointing at the colliding field.
 *
 * Which native fields each ERP compares is listed in docs/erps/<erp>.md ("Identity of a look-up hit").
 */

export type IdentityKind = 'key' | 'identification' | 'email';

/** One identity field: what this job sends and what the record found holds (absent, null or '' = none). */
export interface IdentityClaim {
  kind: IdentityKind;
  /** The native field, as messages name it (`externalId`, `PrimaryEmailAddr.Address`). */
  field: string;
  sent: unknown;
  /** Several values where the ERP keeps several (Siigo's contacts' e-mails): any equal one matches. */
  stored: unknown;
  /** The ERP returns only the end of the value: it may refute, never prove. */
  masked?: boolean;
}

/** The record found, and the key that led to it. */
export interface Hit {
  erp: string;
  /** The record's id in the ERP. */
  id: string;
  /** The unified field whose value collides (RFC 6901), e.g. `/erpFields/entityId`, `/name/company`. */
  pointer: string;
  /** The native key the record was found by, for messages (`entityId`, `DisplayName`). */
  keyField: string;
}

const present = (v: unknown): v is string | number =>
  (typeof v === 'string' && v.trim() !== '') || typeof v === 'number';

const values = (v: unknown): string[] =>
  (Array.isArray(v) ? v : [v]).filter(present).map((x) => String(x).normalize('NFC'));

const NORMALIZE: Record<IdentityKind, (v: string) => string> = {
  key: (v) => v.trim(),
  // "900.373.913-4", "900373913 4" and "900373913-4" are one NIT; letters compared upper-case (RFC, NIE).
  identification: (v) => v.toUpperCase().replace(/[^\p{L}\p{N}]/gu, ''),
  email: (v) => v.trim().toLowerCase(),
};

/** The visible end of a masked value (`XXXXXX6789` → `6789`). */
const unmasked = (v: string) => NORMALIZE.identification(v.replace(/^[X*•#]+/i, ''));

type Comparison = 'equal' | 'differ' | 'unknown';

function compare(c: IdentityClaim): Comparison {
  const sent = values(c.sent).map(NORMALIZE[c.kind]);
  const stored = values(c.stored);
  if (!sent.length || !stored.length) return 'unknown';
  if (c.masked) {
    const tails = stored.map(unmasked).filter(Boolean);
    if (!tails.length) return 'unknown';
    return tails.some((t) => sent.some((s) => s.endsWith(t))) ? 'unknown' : 'differ';
  }
  const have = stored.map(NORMALIZE[c.kind]);
  return have.some((h) => sent.includes(h)) ? 'equal' : 'differ';
}

/** The native fields that prove the record is this job's customer, and those that prove it is not. */
export function weigh(claims: IdentityClaim[]): { proving: string[]; refuting: string[] } {
  const results = claims.map((c) => ({ c, r: compare(c) }));
  return {
    proving: results.filter(({ r }) => r === 'equal').map(({ c }) => c.field),
    refuting: results.filter(({ c, r }) => r === 'differ' && c.kind !== 'email').map(({ c }) => c.field),
  };
}

/** Decides whether `hit` is this job's customer from the identity fields both sides hold (rules above). */
export function judgeHit(hit: Hit, claims: IdentityClaim[]): LookupFound | LookupConflict {
  const { proving, refuting } = weigh(claims);
  if (!refuting.length && proving.length) {
    return { kind: 'found', erpCustomerId: hit.id, provenBy: proving.join(', ') };
  }
  const compared = claims.map((c) => c.field).join(', ');
  const why = refuting.length
    ? `holds another ${refuting.join(' and ')} than this job sends`
    : `carries none of this job's identity (${compared || 'nothing to compare'})`;
  return conflict(
    hit,
    `${hit.erp} record ${hit.id} already has this ${hit.keyField} but ${why}: it is another customer`,
  );
}

/** A conflict with the record at `hit`, for cases decided without comparing fields (a vendor holds the name). */
export function conflict(hit: Hit, message: string): LookupConflict {
  return { kind: 'conflict', pointer: hit.pointer, existingId: hit.id, message: message.slice(0, 1000) };
}

/** Claims for native fields named alike in the body this job sends and the record found (`field` → kind). */
export function claimsOf(
  fields: Record<string, IdentityKind>,
  sent: Record<string, unknown>,
  stored: Record<string, unknown>,
): IdentityClaim[] {
  return Object.entries(fields).map(([field, kind]) => ({
    kind,
    field,
    sent: sent[field],
    stored: stored[field],
  }));
}

/**
 * Several records hold the key (an ERP that lets a value repeat): the first proven this job's customer, else the
 * first one's conflict; undefined when there are none. Callers order them (oldest first).
 */
export function firstProven(
  verdicts: (LookupFound | LookupConflict)[],
): LookupFound | LookupConflict | undefined {
  return verdicts.find((v) => v.kind === 'found') ?? verdicts[0];
}
