import type {
  ConnectionMetadata,
  ConnectionStatus,
  ConnectionStore,
  NewConnection,
  StoredConnection,
} from './store';

/**
 * Worker-side cache in front of a ConnectionStore: one read per connection per TTL, concurrent readers
 * share the in-flight read (no stampede on a cold start). Writes go through and refresh the entry.
 */
export class CachedConnectionStore implements ConnectionStore {
  private readonly entries = new Map<string, { at: number; value: Promise<StoredConnection | undefined> }>();

  constructor(
    private readonly inner: ConnectionStore,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private key(t: string, c: string) {
    return `${t}/${c}`;
  }

  get(tenantId: string, connectionId: string): Promise<StoredConnection | undefined> {
    const k = this.key(tenantId, connectionId);
    const hit = this.entries.get(k);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    const value = this.inner.get(tenantId, connectionId);
    const entry = { at: this.now(), value };
    this.entries.set(k, entry);
    // A miss is not kept: a connection stored a moment later (new inline credentials) must be seen at once.
    const forget = () => this.entries.get(k) === entry && this.entries.delete(k);
    value.then((v) => v || forget(), forget);
    return value;
  }

  /** Bypasses the cache (another worker may have rotated the credentials) and refreshes it. */
  fresh(tenantId: string, connectionId: string): Promise<StoredConnection | undefined> {
    this.entries.delete(this.key(tenantId, connectionId));
    return this.get(tenantId, connectionId);
  }

  async getMetadata(tenantId: string, connectionId: string): Promise<ConnectionMetadata | undefined> {
    return this.inner.getMetadata(tenantId, connectionId);
  }

  list(tenantId: string) {
    return this.inner.list(tenantId);
  }

  async put(conn: NewConnection) {
    this.entries.delete(this.key(conn.tenantId, conn.connectionId));
    return this.inner.put(conn);
  }

  async delete(tenantId: string, connectionId: string) {
    this.entries.delete(this.key(tenantId, connectionId));
    return this.inner.delete(tenantId, connectionId);
  }

  async updateCredentials(tenantId: string, connectionId: string, credentials: unknown) {
    await this.inner.updateCredentials(tenantId, connectionId, credentials);
    const k = this.key(tenantId, connectionId);
    const hit = await this.entries.get(k)?.value.catch(() => undefined);
    if (hit) this.entries.set(k, { at: this.now(), value: Promise.resolve({ ...hit, credentials }) });
  }

  async setStatus(tenantId: string, connectionId: string, status: ConnectionStatus, reason?: string) {
    this.entries.delete(this.key(tenantId, connectionId));
    await this.inner.setStatus(tenantId, connectionId, status, reason);
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
