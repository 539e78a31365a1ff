import type { Log } from '../worker/deps';
import { type CreateSessionDeps, createConnectSession } from './create';
import { type ConnectionEventSink, connectionEventId, publicConnection } from './events';
import type { ConnectionNoticeStore } from './notices';
import { MAX_EXPIRES_IN } from './session';

/** No ERP adapters: a notice only makes a reconnect session, which offers its own connection's ERP alone. */
export interface NotifyDeps extends Omit<CreateSessionDeps, 'adapters'> {
  notices: ConnectionNoticeStore;
  events: ConnectionEventSink;
  /** Where the connect page is served (the stage's public URL). */
  baseUrl: string;
  log: Log;
}

/** Reconnect links in webhooks last as long as a session may (the end user may read the e-mail days later). */
const RECONNECT_EXPIRES_IN = MAX_EXPIRES_IN;

/** A reconnect names its connection, so no other ERP is offered or looked up. */
const NO_OTHER_ERP: CreateSessionDeps['adapters'] = { get: () => undefined, list: () => [] };

/**
 * Sends every due connection notice once (the sweeper, every minute): re-reads the connection (a reconnect or a
 * deletion since makes the notice moot), makes a reconnect session for the same end user and return URL, queues
 * the `connection.reauth_required` / `connection.expiring` webhook with its link, and marks the notice sent. A
 * crash before the mark sends it again next time with the same event id, so receivers see one event.
 */
export async function sweepConnectionNotices(deps: NotifyDeps, limit = 50): Promise<{ sent: number }> {
  const now = deps.now?.() ?? new Date();
  let sent = 0;
  for (const n of await deps.notices.due(now, limit)) {
    const meta = await deps.connections.getMetadata(n.tenantId, n.connectionId);
    const moot =
      !meta ||
      meta.erp !== n.erp ||
      (n.kind === 'reauth_required' ? meta.status !== 'needs_reauth' : meta.status === 'needs_reauth');
    if (moot || !(await deps.events.listening(n.tenantId))) {
      // Nothing to say, or nobody to say it to: the connection's status stays readable through the API.
      await deps.notices.markSent(n, now);
      continue;
    }
    const origin = await deps.notices.origin(n.tenantId, n.connectionId);
    const { session, url } = await createConnectSession(
      { ...deps, adapters: NO_OTHER_ERP },
      n.tenantId,
      {
        endUser: origin?.endUser ?? { id: `connection:${n.connectionId}` },
        connectionId: n.connectionId,
        expiresIn: RECONNECT_EXPIRES_IN,
        ...(origin?.returnUrl ? { returnUrl: origin.returnUrl } : {}),
        ...(origin?.locale ? { locale: origin.locale } : {}),
      },
      deps.baseUrl,
      n.kind,
    );
    const type = n.kind === 'reauth_required' ? 'connection.reauth_required' : 'connection.expiring';
    await deps.events.publish(n.tenantId, {
      type,
      eventId: connectionEventId(n.tenantId, n.connectionId, type, n.dueAt),
      occurredAt: now.toISOString(),
      connection: publicConnection(meta),
      ...(n.reason ? { reason: n.reason } : {}),
      ...(n.expiresAt ? { expiresAt: n.expiresAt } : {}),
      reconnect: { sessionId: session.id, url, expiresAt: session.expiresAt },
    });
    if (await deps.notices.markSent(n, now)) sent++;
    deps.log.info('connection notice sent', {
      tenantId: n.tenantId,
      connectionId: n.connectionId,
      kind: n.kind,
      sessionId: session.id,
    });
  }
  return { sent };
}
