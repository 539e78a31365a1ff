import { v5 as uuidv5 } from 'uuid';
import type { ConnectionMetadata } from '../connections/store';
import type { WebhookQueue } from '../webhooks/delivery';
import type { WebhookSettingsStore } from '../webhooks/settings';
import type { Log } from '../worker/deps';
import type { EndUser } from './session';

/** What happened to a connection (docs/webhooks.md, "Connection events"). */
export type ConnectionEventType =
  | 'connection.created'
  | 'connection.updated'
  | 'connection.reauth_required'
  | 'connection.expiring';

/** A connection event's body: the connection's metadata (never a credential) and what the tenant can do next. */
export interface ConnectionEvent {
  type: ConnectionEventType;
  eventId: string;
  occurredAt: string;
  connection: Omit<ConnectionMetadata, 'tenantId'>;
  /** The connect session that made or renewed the connection. */
  session?: { id: string; endUser: EndUser };
  /** Why the end user is needed again (the ERP's refusal, in words). */
  reason?: string;
  /** When the credentials stop working (connection.expiring). */
  expiresAt?: string;
  /** A ready reconnect link to hand the end user (connection.reauth_required, connection.expiring). */
  reconnect?: { sessionId: string; url: string; expiresAt: string };
}

const EVENT_NAMESPACE = '5f0e9c1a-3b7d-4e2f-8a6c-9d1b2e3f4a5c';

/** The same happening gives the same id (a retried sweep, a redelivery): receivers de-duplicate on it. */
export function connectionEventId(
  tenantId: string,
  connectionId: string,
  type: string,
  occurrence: string,
): string {
  return uuidv5(`${tenantId}/${connectionId}/${type}/${occurrence}`, EVENT_NAMESPACE);
}

export function publicConnection(meta: ConnectionMetadata): Omit<ConnectionMetadata, 'tenantId'> {
  const { tenantId: _t, ...rest } = meta;
  return rest;
}

/** Port: where connection events go. `false` when the tenant has no default webhook URL (nobody to tell). */
export interface ConnectionEventSink {
  publish(tenantId: string, event: ConnectionEvent): Promise<boolean>;
  /** Whether a publish would reach anyone (the sweeper makes no reconnect session for nobody). */
  listening(tenantId: string): Promise<boolean>;
}

/** Connection events as webhook deliveries to the tenant's default URL, signed like every delivery. */
export function webhookConnectionEvents(deps: {
  settings: WebhookSettingsStore;
  queue: WebhookQueue;
  log: Log;
}): ConnectionEventSink {
  const urlOf = async (tenantId: string) => (await deps.settings.get(tenantId))?.url;
  return {
    async listening(tenantId) {
      return !!(await urlOf(tenantId));
    },
    async publish(tenantId, event) {
      const url = await urlOf(tenantId);
      if (!url) return false;
      await deps.queue.send({
        version: 1,
        eventId: event.eventId,
        type: event.type,
        tenantId,
        url,
        event: JSON.parse(JSON.stringify(event)) as Record<string, unknown>,
      });
      deps.log.info('connection event queued', {
        tenantId,
        connectionId: event.connection.connectionId,
        type: event.type,
        eventId: event.eventId,
      });
      return true;
    },
  };
}
