import { type CachedConnectionStore, readFresh } from './cached-store';
import { credentialFingerprint } from './fingerprint';
import type { ConnectionStore, StoredConnection } from './store';

/**
 * Inline credentials (Konvex `username` + `apikey` headers) the ERP refused: their secret is deleted and only
 * this marker stays — a fingerprint (a hash, never the secret), when and why. The same credentials sent again
 * get `409 connection_needs_reauth` without calling the ERP: Siigo blocks API users whose error ratio passes
 * 80 %, so retrying refused credentials upstream can lock the tenant out.
 */
export interface RefusedInlineMarker {
  fingerprint: string;
  refusedAt: string;
  reason: string;
}

/** Port: refused inline credentials, one marker per tenant connection (a DynamoDB item on AWS). */
export interface RefusedInlineStore {
  get(tenantId: string, connectionId: string): Promise<RefusedInlineMarker | undefined>;
  put(tenantId: string, connectionId: string, marker: RefusedInlineMarker): Promise<void>;
  delete(tenantId: string, connectionId: string): Promise<void>;
}

/** The fingerprint of a connection's credentials, scoped to that tenant connection, ERP and environment. */
export function connectionFingerprint(
  conn: { tenantId: string; connectionId: string; erp: string; environment: string },
  credentials: unknown,
): string {
  const { tenantId, connectionId, erp, environment } = conn;
  return credentialFingerprint({ tenantId, connectionId, erp, environment }, credentials);
}

/**
 * The ERP refused a connection's credentials for good (wrong login, revoked grant): the tenant must send new ones.
 * A stored connection is marked `needs_reauth`; inline credentials leave no secret behind — a marker is written
 * (the fingerprint, never the secret), the connection marked, then its secret deleted, so a crash at any point
 * still refuses them. Nothing changes when the store no longer holds the refused credentials: the worker tried
 * a cached copy that the tenant has replaced since.
 */
export async function credentialsRefused(
  stores: { connections: ConnectionStore | CachedConnectionStore; refusedInline?: RefusedInlineStore },
  conn: StoredConnection,
  reason: string,
  at: Date,
): Promise<void> {
  const { tenantId, connectionId } = conn;
  const fingerprint = connectionFingerprint(conn, conn.credentials);
  const inline = conn.inline && stores.refusedInline;
  if (inline) await inline.put(tenantId, connectionId, { fingerprint, refusedAt: at.toISOString(), reason });
  const current = await readFresh(stores.connections, tenantId, connectionId);
  if (!current || connectionFingerprint(current, current.credentials) !== fingerprint) return;
  await stores.connections.setStatus(tenantId, connectionId, 'needs_reauth', reason);
  if (inline) await stores.connections.delete(tenantId, connectionId);
}
