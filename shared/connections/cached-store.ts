import {
  type ConnectionMetadata,
  type ConnectionStatus,
  type ConnectionStore,
  metadataOf,
  type NewConnection,
  type StoredConnection,
} from './store';

type Entry<T> = { at: number; value: Promise<T | undefined> };

/**
 * A per-container cache in front of a ConnectionStore: one read per connection per TTL, concurrent readers
 * share the in-flight read (no stampede on a cold start), a miss is never kept. Writes through this container
 * go through and drop or refresh its entries. The worker caches connections with their credentials
 * (`ttlMs`); the API caches only metadata (`metadataTtlMs`: a connection replaced, re-pointed or revoked through
 * another container is seen here within that time — the worker re-reads it before any upstream call and
 * fails the job `connection_not_found`, `environment_conflict` or `auth_failed`, so a stale entry never reaches
 * an ERP).
 */
export class CachedConnectionStore implements ConnectionStore {
  private readonly entries = new Map<string, Entry<StoredConnection>>();
  private readonly metadata = new Map<string, Entry<ConnectionMetadata>>();

  constructor(
    private readonly inner: ConnectionStore,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly metadataTtlMs = 0,
  ) {}

  /** The cached read of `key`, or a new one through `read` that is kept only when it found something. */
  private cached<T>(
    map: Map<string, Entry<T>>,
    key: string,
    ttlMs: number,
    read: () => Promise<T | undefined>,
  ): Promise<T | undefined> {
    const hit = map.get(key);
    if (hit && this.now() - hit.at < ttlMs) return hit.value;
    const value = read();
    if (ttlMs <= 0) return value;
    const entry = { at: this.now(), value };
    map.set(key, entry);
    // A miss is not kept: a connection stored a moment later (new inline credentials) must be seen at once.
    const forget = () => map.get(key) === entry && map.delete(key);
    value.then((v) => v || forget(), forget);
    return value;
  }

  private drop(tenantId: string, connectionId: string) {
    const k = this.key(tenantId, connectionId);
    this.entries.delete(k);
    this.metadata.delete(k);
  }

  private key(t: string, c: string) {
    return `${t}/${c}`;
  }

  get(tenantId: string, connectionId: string): Promise<StoredConnection | undefined> {
    return this.cached(this.entries, this.key(tenantId, connectionId), this.ttlMs, () =>
      this.inner.get(tenantId, connectionId),
    );
  }

  /** Bypasses the cache (another worker may have rotated the credentials) and refreshes it. */
  fresh(tenantId: string, connectionId: string): Promise<StoredConnection | undefined> {
    this.drop(tenantId, connectionId);
    return this.get(tenantId, connectionId);
  }

  /** From the credentials entry when there is a fresh one, else from the metadata cache (API). */
  getMetadata(tenantId: string, connectionId: string): Promise<ConnectionMetadata | undefined> {
    const k = this.key(tenantId, connectionId);
    const full = this.entries.get(k);
    if (full && this.now() - full.at < this.ttlMs) return full.value.then((c) => c && metadataOf(c));
    return this.cached(this.metadata, k, this.metadataTtlMs, () =>
      this.inner.getMetadata(tenantId, connectionId),
    );
  }

  list(tenantId: string) {
    return this.inner.list(tenantId);
  }

  async put(conn: NewConnection) {
    this.drop(conn.tenantId, conn.connectionId);
    try {
      return await this.inner.put(conn);
    } finally {
      // A read that raced the write may have cached the old version.
      this.drop(conn.tenantId, conn.connectionId);
    }
  }

  async delete(tenantId: string, connectionId: string) {
    this.drop(tenantId, connectionId);
    try {
      return await this.inner.delete(tenantId, connectionId);
    } finally {
      this.drop(tenantId, connectionId);
    }
  }

  async updateCredentials(tenantId: string, connectionId: string, credentials: unknown) {
    await this.inner.updateCredentials(tenantId, connectionId, credentials);
    const k = this.key(tenantId, connectionId);
    this.metadata.delete(k);
    const hit = await this.entries.get(k)?.value.catch(() => undefined);
    if (hit) this.entries.set(k, { at: this.now(), value: Promise.resolve({ ...hit, credentials }) });
  }

  async setStatus(tenantId: string, connectionId: string, status: ConnectionStatus, reason?: string) {
    this.drop(tenantId, connectionId);
    try {
      await this.inner.setStatus(tenantId, connectionId, status, reason);
    } finally {
      this.drop(tenantId, connectionId);
    }
  }
}

/** The connection as stored now, past any cache (another worker or the API may have replaced it). */
export function readFresh(
  store: ConnectionStore | CachedConnectionStore,
  tenantId: string,
  connectionId: string,
): Promise<StoredConnection | undefined> {
  return 'fresh' in store ? store.fresh(tenantId, connectionId) : store.get(tenantId, connectionId);
}
