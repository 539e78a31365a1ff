import { createHash, randomBytes } from 'node:crypto';

/** Tenant API keys: 256 random bits, shown once; only their SHA-256 is stored. */
export function generateApiKey(): string {
  return `erpb_${randomBytes(32).toString('base64url')}`;
}

/** A plain hash is enough for 256-bit random keys (no dictionary to attack); it keeps look-ups O(1). */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * `Authorization: Bearer <key>` → key, or undefined when absent or malformed. The scheme is case-insensitive
 * (RFC 9110 §11.1: `bearer …` works); the key is exactly what `generateApiKey` makes: `erpb_` and 43 base64url
 * characters (32 bytes). Anything else cannot be a key, so it is refused without a read.
 */
export function apiKeyFromHeader(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const m = /^Bearer +(erpb_[A-Za-z0-9_-]{43})\s*$/i.exec(value);
  return m?.[1];
}

/**
 * A key's id: its tenant and the first 12 hex digits of its hash — what operators list and revoke by. It names the
 * key without revealing it (the hash of 256 random bits gives nothing back).
 */
export function apiKeyId(tenantId: string, hash: string): string {
  return `${tenantId}.${hash.slice(0, 12)}`;
}

export interface TenantKeyRecord {
  tenantId: string;
  label?: string;
  createdAt: string;
}

/** What `npm run tenant-key -- --list` shows of a key: never the key, never its hash. */
export interface TenantKeySummary {
  keyId: string;
  tenantId: string;
  label?: string;
  createdAt: string;
  revokedAt?: string;
}

/** Port: tenant API keys (by hash) and the per-tenant request budget. */
export interface TenantStore {
  /** Stores a new key's hash; returns the key's id. */
  putKey(hash: string, record: TenantKeyRecord): Promise<string>;
  findByKeyHash(hash: string): Promise<TenantKeyRecord | undefined>;
  /** Counts one request against the tenant's per-minute budget; returns seconds to wait when over it, else 0. */
  consumeRequest(tenantId: string, limitPerMinute: number, now: Date): Promise<number>;
}
