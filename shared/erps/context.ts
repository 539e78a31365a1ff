import { type CachedConnectionStore, readFresh } from '../connections/cached-store';
import type { ConnectionStore, StoredConnection } from '../connections/store';
import type { HttpClient } from '../http/upstream';
import type { UpstreamBlocks } from '../pacing/pacer';
import { resolveEndpoint } from './endpoints';
import type { UpstreamRedactor } from './redaction';
import type { AdapterContext, ErpAdapter, LockService, OAuthApps, TokenCache } from './types';

export interface AdapterRuntime {
  http: HttpClient;
  tokens: TokenCache;
  locks: LockService;
  connections: ConnectionStore | CachedConnectionStore;
  /** Shared ERP blocks (the pacing state); see AdapterContext.blocks. */
  blocks?: UpstreamBlocks;
  env?: Record<string, string | undefined>;
  now?: () => number;
  /** The operator's OAuth apps (QuickBooks, NetSuite connections stored with app: "operator"). */
  apps?: OAuthApps;
  /** Learns this connection's credentials and every token the adapter is handed, to redact what the ERP says. */
  redactor?: UpstreamRedactor;
}

/** The one place an AdapterContext is assembled from a stored connection (worker, API verify, dry run). */
export function adapterContext<C>(
  adapter: ErpAdapter<C>,
  conn: StoredConnection,
  credentials: C,
  jobId: string,
  rt: AdapterRuntime,
): AdapterContext<C> {
  let current = credentials;
  const { tenantId, connectionId } = conn;
  const redactor = rt.redactor?.addCredentials(credentials);
  const tokens: TokenCache = redactor
    ? {
        invalidate: (key) => rt.tokens.invalidate(key),
        dropConnection: (t, c) => rt.tokens.dropConnection(t, c),
        get: async (key, fetch, minValidityMs) => {
          const token = await rt.tokens.get(key, fetch, minValidityMs);
          redactor.addToken(token);
          return token;
        },
      }
    : rt.tokens;
  return {
    jobId,
    http: rt.http,
    tokens,
    locks: rt.locks,
    blocks: rt.blocks,
    apps: rt.apps,
    now: rt.now ?? Date.now,
    endpoint: (name) => resolveEndpoint(adapter, name, conn.environment, rt.env),
    connection: {
      tenantId,
      connectionId,
      environment: conn.environment,
      get credentials() {
        return current;
      },
      async saveCredentials(next) {
        // Mirrors IAM: only workers of ERPs that declare rotatesCredentials may write secret values.
        if (!adapter.rotatesCredentials) {
          throw new Error(`${adapter.id} does not declare rotatesCredentials: it may not write credentials`);
        }
        redactor?.addCredentials(next);
        await rt.connections.updateCredentials(tenantId, connectionId, next);
        current = next;
      },
      async reloadCredentials() {
        const fresh = await readFresh(rt.connections, tenantId, connectionId);
        if (!fresh) throw new Error('connection was deleted');
        current = adapter.credentialsSchema.parse(fresh.credentials);
        redactor?.addCredentials(current);
        return current;
      },
      async markNeedsReauth(reason) {
        const why = redactor ? redactor.text(reason) : reason;
        await rt.connections.setStatus(tenantId, connectionId, 'needs_reauth', why);
      },
    },
  };
}
