import { createHash, randomBytes } from 'node:crypto';

/** Tenant API keys: 256 random bits, shown once; only their SHA-256 is stored. */
export function generateApiKey(): string {
  return `erpb_${randomBytes(32).toString('base64url')}`;
}

/** A plain hash is enough for 256-bit random keys (no dictionary to attack); it keeps look-ups O(1). */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** `Authorization: Bearer <key>` → key, or undefined when absent or malformed. */
export function apiKeyFromHeader(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const m = /^Bearer\s+(erpb_[A-Za-z0-9_-]{20,100})\s*$/.exec(value);
  return m?.[1];
}

export interface TenantKeyRecord {
  tenantId: string;
  label?: string;
  createdAt: string;
}

/** Port: tenant API keys (by hash) and the per-tenant request budget. */
export interface TenantStore {
  putKey(hash: string, record: TenantKeyRecord): Promise<void>;
  findByKeyHash(hash: string): Promise<TenantKeyRecord | undefined>;
  /** Counts one request against the tenant's per-minute budget; returns seconds to wait when over it, else 0. */
  consumeRequest(tenantId: string, limitPerMinute: number, now: Date): Promise<number>;
}
