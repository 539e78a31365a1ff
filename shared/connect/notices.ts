import type { ErpId } from '../erps/types';
import type { EndUser, Locale } from './session';

/**
 * Connection notices: the outbox of `connection.reauth_required` and `connection.expiring` webhooks. Whoever learns
 * that a connection needs its end user again — a worker whose ERP refused the credentials, a refresh that dated
 * the refresh token — writes a notice with the time it is due; the sweeper (every minute) sends each due notice
 * once, with a fresh reconnect session, and marks it sent. New credentials clear the connection's notices.
 */
export type NoticeKind = 'reauth_required' | 'expiring';

export interface ConnectionNotice {
  tenantId: string;
  connectionId: string;
  erp: ErpId;
  kind: NoticeKind;
  /** When to tell the tenant (ISO 8601): now for reauth_required, the expiry minus the ERP's lead for expiring. */
  dueAt: string;
  /** The ERP's refusal in words (reauth_required), already free of credentials. */
  reason?: string;
  /** When the credentials stop working (expiring), ISO 8601. */
  expiresAt?: string;
  sentAt?: string;
}

/** Who connected it and where they came from: reconnect sessions the sweeper makes take the same. */
export interface ConnectionOrigin {
  endUser: EndUser;
  returnUrl?: string;
  locale?: Locale;
}

/** Port: the notices and origins (DynamoDB items on AWS). */
export interface ConnectionNoticeStore {
  /**
   * Writes a notice. reauth_required: only when none is outstanding for the connection (one webhook per
   * episode, however many jobs meet the refusal). expiring: replaces one for another expiry; the same expiry
   * again (a refresh that did not move it) leaves it as it is, sent or not.
   */
  schedule(notice: ConnectionNotice): Promise<void>;
  clear(tenantId: string, connectionId: string, kinds: NoticeKind[]): Promise<void>;
  /** Unsent notices due by `now`, oldest first. */
  due(now: Date, limit: number): Promise<ConnectionNotice[]>;
  /** Marks it sent, unless it was replaced meanwhile (another due time): then false. */
  markSent(notice: ConnectionNotice, at: Date): Promise<boolean>;
  putOrigin(tenantId: string, connectionId: string, origin: ConnectionOrigin): Promise<void>;
  origin(tenantId: string, connectionId: string): Promise<ConnectionOrigin | undefined>;
  /** The connection is gone: its notices and origin too. */
  forget(tenantId: string, connectionId: string): Promise<void>;
}

/** In-memory store (unit tests). */
export class MemoryConnectionNoticeStore implements ConnectionNoticeStore {
  readonly notices = new Map<string, ConnectionNotice>();
  readonly origins = new Map<string, ConnectionOrigin>();
  private k(t: string, c: string, kind?: string) {
    return `${t}/${c}${kind ? `#${kind}` : ''}`;
  }
  async schedule(n: ConnectionNotice) {
    const key = this.k(n.tenantId, n.connectionId, n.kind);
    const cur = this.notices.get(key);
    if (n.kind === 'reauth_required' && cur) return;
    if (n.kind === 'expiring' && cur?.expiresAt === n.expiresAt) return;
    this.notices.set(key, { ...n });
  }
  async clear(t: string, c: string, kinds: NoticeKind[]) {
    for (const kind of kinds) this.notices.delete(this.k(t, c, kind));
  }
  async due(now: Date, limit: number) {
    return [...this.notices.values()]
      .filter((n) => !n.sentAt && Date.parse(n.dueAt) <= now.getTime())
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt))
      .slice(0, limit)
      .map((n) => ({ ...n }));
  }
  async markSent(n: ConnectionNotice, at: Date) {
    const cur = this.notices.get(this.k(n.tenantId, n.connectionId, n.kind));
    if (!cur || cur.dueAt !== n.dueAt || cur.sentAt) return false;
    cur.sentAt = at.toISOString();
    return true;
  }
  async putOrigin(t: string, c: string, origin: ConnectionOrigin) {
    this.origins.set(this.k(t, c), { ...origin });
  }
  async origin(t: string, c: string) {
    return this.origins.get(this.k(t, c));
  }
  async forget(t: string, c: string) {
    await this.clear(t, c, ['reauth_required', 'expiring']);
    this.origins.delete(this.k(t, c));
  }
}
