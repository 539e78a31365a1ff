import type {
  ConnectionMetadata,
  ConnectionStatus,
  ConnectionStore,
  NewConnection,
  StoredConnection,
} from '../connections/store';
import type { ErpAdapter, ErpId } from '../erps/types';
import type { Log } from '../worker/deps';
import type { ConnectionNoticeStore } from './notices';

/**
 * A ConnectionStore that writes connection notices as credentials change, wherever the change comes from (the
 * API, the connect page, a worker's refresh or refusal), so no path can forget them:
 * - `needs_reauth` → a `reauth_required` notice, due now (one per episode);
 * - credentials with an end (`adapter.credentialsExpiry`: QuickBooks' `x_refresh_token_expires_in`, NetSuite's
 *   7-day refresh token) → an `expiring` notice, due the ERP's lead time before it;
 * - new credentials (`put`) clear the episode; deleting the connection forgets everything.
 * A notice that cannot be written is logged and never fails the credential write (a rotated QuickBooks refresh
 * token must be kept whatever happens to the reminder).
 */
export class NoticingConnectionStore implements ConnectionStore {
  constructor(
    private readonly inner: ConnectionStore,
    private readonly notices: ConnectionNoticeStore,
    private readonly adapterOf: (erp: ErpId) => ErpAdapter<unknown> | undefined,
    private readonly log: Log,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get(tenantId: string, connectionId: string): Promise<StoredConnection | undefined> {
    return this.inner.get(tenantId, connectionId);
  }
  getMetadata(tenantId: string, connectionId: string): Promise<ConnectionMetadata | undefined> {
    return this.inner.getMetadata(tenantId, connectionId);
  }
  list(tenantId: string): Promise<ConnectionMetadata[]> {
    return this.inner.list(tenantId);
  }

  async put(conn: NewConnection): Promise<ConnectionMetadata> {
    const meta = await this.inner.put(conn);
    await this.safely(async () => {
      await this.notices.clear(conn.tenantId, conn.connectionId, ['reauth_required', 'expiring']);
      await this.scheduleExpiry(conn.tenantId, conn.connectionId, conn.erp, conn.credentials);
    });
    return meta;
  }

  async updateCredentials(tenantId: string, connectionId: string, credentials: unknown): Promise<void> {
    await this.inner.updateCredentials(tenantId, connectionId, credentials);
    await this.safely(async () => {
      const meta = await this.inner.getMetadata(tenantId, connectionId);
      if (meta) await this.scheduleExpiry(tenantId, connectionId, meta.erp, credentials);
    });
  }

  async setStatus(tenantId: string, connectionId: string, status: ConnectionStatus, reason?: string) {
    await this.inner.setStatus(tenantId, connectionId, status, reason);
    if (status !== 'needs_reauth') return;
    await this.safely(async () => {
      const meta = await this.inner.getMetadata(tenantId, connectionId);
      if (!meta) return;
      await this.notices.schedule({
        tenantId,
        connectionId,
        erp: meta.erp,
        kind: 'reauth_required',
        dueAt: this.now().toISOString(),
        ...(reason ? { reason: reason.slice(0, 300) } : {}),
      });
    });
  }

  async delete(tenantId: string, connectionId: string): Promise<boolean> {
    const existed = await this.inner.delete(tenantId, connectionId);
    await this.safely(() => this.notices.forget(tenantId, connectionId));
    return existed;
  }

  private async scheduleExpiry(tenantId: string, connectionId: string, erp: ErpId, credentials: unknown) {
    const adapter = this.adapterOf(erp);
    const parsed = adapter?.credentialsSchema.safeParse(credentials);
    const expiry = parsed?.success ? adapter?.credentialsExpiry?.(parsed.data) : undefined;
    if (!expiry) return;
    await this.notices.schedule({
      tenantId,
      connectionId,
      erp,
      kind: 'expiring',
      dueAt: new Date(expiry.expiresAt - expiry.noticeBeforeMs).toISOString(),
      expiresAt: new Date(expiry.expiresAt).toISOString(),
    });
  }

  private async safely(fn: () => Promise<void>) {
    try {
      await fn();
    } catch (e) {
      this.log.warn('connection notice not written', { error: (e as Error).name });
    }
  }
}
