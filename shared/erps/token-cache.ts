import { credentialFingerprint } from '../connections/fingerprint';
import type { ConnectionHandle, TokenCache, TokenKey } from './types';

/**
 * The key of an upstream token: the connection, and a fingerprint of the credentials that obtained it with the
 * connection's environment (SHA-256, never the secret itself). Credentials replaced under the same connection
 * id never get a token of the old ones: a new company's customers never go to the old company.
 * `identity` is what names the upstream account and the login (e.g. Siigo's username and access key); it
 * leaves out values that rotate on their own (a QuickBooks refresh token).
 */
export function tokenKeyFor(
  connection: Pick<ConnectionHandle<unknown>, 'tenantId' | 'connectionId' | 'environment'>,
  identity: Record<string, unknown>,
): TokenKey {
  return {
    connection: `${connection.tenantId}/${connection.connectionId}`,
    fingerprint: credentialFingerprint({ environment: connection.environment }, identity),
  };
}

const slot = (k: TokenKey) => `${k.connection}#${k.fingerprint}`;

/**
 * In-memory TokenCache: one fetch in flight per key, tokens reused until `minValidityMs` before expiry. A token
 * obtained for new credentials of a connection drops the tokens of its earlier credentials.
 */
export function createTokenCache(now: () => number = Date.now): TokenCache {
  const tokens = new Map<string, { key: TokenKey; token: string; expiresAt: number }>();
  const inflight = new Map<string, Promise<{ token: string; expiresAt: number }>>();
  const dropConnection = (connection: string, keep?: string) => {
    for (const [s, entry] of tokens) if (entry.key.connection === connection && s !== keep) tokens.delete(s);
  };
  return {
    async get(key, fetch, minValidityMs = 60_000) {
      const s = slot(key);
      const hit = tokens.get(s);
      if (hit && hit.expiresAt - minValidityMs > now()) return hit.token;
      let p = inflight.get(s);
      if (!p) {
        p = fetch().finally(() => inflight.delete(s));
        inflight.set(s, p);
      }
      const fresh = await p;
      tokens.set(s, { key, ...fresh });
      dropConnection(key.connection, s);
      return fresh.token;
    },
    invalidate(key) {
      tokens.delete(slot(key));
    },
    dropConnection(tenantId, connectionId) {
      dropConnection(`${tenantId}/${connectionId}`);
    },
  };
}
