import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Environment, ErpId } from '../erps/types';

/**
 * A connect session (issue 15 §1): a short-lived, single-use link a tenant hands its end user, who opens it,
 * connects an ERP (a credentials form or the ERP's OAuth consent) and is sent back to the tenant's `returnUrl`.
 * Only hashes of the secrets it involves are kept: the link's token, the browser cookie, the OAuth `state`.
 */
export type StoredSessionStatus = 'pending' | 'completed' | 'failed';
export type SessionStatus = StoredSessionStatus | 'expired';
export type Locale = 'es' | 'en';
export const LOCALES: readonly Locale[] = ['es', 'en'];

/** Why ERP Bridge made a session itself (a reconnect link in a connection.* webhook). */
export type SessionReason = 'reauth_required' | 'expiring';

export interface EndUser {
  id: string;
  email?: string;
}

export interface OAuthInFlight {
  erp: ErpId;
  /** SHA-256 of the `state` sent to the ERP (single use: removed when the callback arrives). */
  stateHash: string;
  /** The PKCE code verifier (RFC 7636), kept only until the callback; the table is encrypted at rest. */
  codeVerifier?: string;
  redirectUri: string;
  /** Fields asked before the redirect (NetSuite's account id). */
  start: Record<string, string>;
  expiresAt: string;
}

export interface ConnectSession {
  id: string;
  tenantId: string;
  status: StoredSessionStatus;
  endUser: EndUser;
  allowedErps: ErpId[];
  /** The connection this session creates, or the one it reconnects in place (`reconnect`). */
  connectionId: string;
  reconnect: boolean;
  environment: Environment;
  returnUrl?: string;
  locale?: Locale;
  reason?: SessionReason;
  createdAt: string;
  expiresAt: string;
  /** SHA-256 of the link's token; the token itself is shown once, in the 201 answer. */
  tokenHash: string;
  openedAt?: string;
  /** SHA-256 of the cookie given to the browser that opened the link: only that browser may go on. */
  browserHash?: string;
  oauth?: OAuthInFlight;
  /** Credentials the ERP refused on this session (the session fails after MAX_ATTEMPTS). */
  attempts: number;
  erp?: ErpId;
  completedAt?: string;
  failure?: { code: string; message: string };
  /** Optimistic concurrency: every write expects the version it read. */
  version: number;
}

export const DEFAULT_EXPIRES_IN = 1800;
export const MAX_EXPIRES_IN = 7 * 86_400;
/** Refused credentials before a session fails (an end user guessing, or a script). */
export const MAX_ATTEMPTS = 10;
/** How long an OAuth consent may take, from the redirect to the callback. */
export const OAUTH_TTL_MS = 15 * 60_000;

/** A new random secret (256 bits, URL-safe): link tokens, browser cookies, OAuth states. */
export const newSecret = (): string => randomBytes(32).toString('base64url');
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** Constant-time comparison of a presented secret with a stored hash. */
export function matchesHash(secret: string | undefined, hash: string | undefined): boolean {
  if (!secret || !hash) return false;
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Pending past its expiry is expired; nothing else changes with time. */
export function statusAt(s: ConnectSession, now: Date): SessionStatus {
  return s.status === 'pending' && Date.parse(s.expiresAt) <= now.getTime() ? 'expired' : s.status;
}

/** What GET /v1/connect-sessions/{id} shows: never a hash, a verifier or the link. */
export function publicSession(s: ConnectSession, now: Date) {
  const status = statusAt(s, now);
  return {
    id: s.id,
    status,
    endUser: s.endUser,
    allowedErps: s.allowedErps,
    environment: s.environment,
    reconnect: s.reconnect,
    ...(s.reason ? { reason: s.reason } : {}),
    // A new connection's id is promised only once it exists; a reconnect names its connection from the start.
    ...(status === 'completed' || s.reconnect ? { connectionId: s.connectionId } : {}),
    ...(s.erp && status === 'completed' ? { erp: s.erp } : {}),
    ...(s.returnUrl ? { returnUrl: s.returnUrl } : {}),
    ...(s.locale ? { locale: s.locale } : {}),
    createdAt: s.createdAt,
    expiresAt: s.expiresAt,
    ...(s.openedAt ? { openedAt: s.openedAt } : {}),
    ...(s.completedAt ? { completedAt: s.completedAt } : {}),
    ...(s.failure ? { failure: s.failure } : {}),
  };
}

/** Port: where sessions live (one DynamoDB item each on AWS). */
export interface ConnectSessionStore {
  create(session: ConnectSession): Promise<void>;
  get(id: string): Promise<ConnectSession | undefined>;
  /** Writes `next` if the stored session is still at `next.version - 1`; false when another request changed it. */
  replace(next: ConnectSession): Promise<boolean>;
}

/** In-memory store (unit tests). */
export class MemoryConnectSessionStore implements ConnectSessionStore {
  private readonly items = new Map<string, ConnectSession>();
  async create(session: ConnectSession) {
    if (this.items.has(session.id)) throw new Error('session exists');
    this.items.set(session.id, structuredClone(session));
  }
  async get(id: string) {
    const s = this.items.get(id);
    return s && structuredClone(s);
  }
  async replace(next: ConnectSession) {
    const cur = this.items.get(next.id);
    if (!cur || cur.version !== next.version - 1) return false;
    this.items.set(next.id, structuredClone(next));
    return true;
  }
}
