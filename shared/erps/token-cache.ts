import type { TokenCache } from './types';

/** In-memory TokenCache: one fetch in flight per key, tokens reused until `minValidityMs` before expiry. */
export function createTokenCache(now: () => number = Date.now): TokenCache {
  const tokens = new Map<string, { token: string; expiresAt: number }>();
  const inflight = new Map<string, Promise<{ token: string; expiresAt: number }>>();
  return {
    async get(key, fetch, minValidityMs = 60_000) {
      const hit = tokens.get(key);
      if (hit && hit.expiresAt - minValidityMs > now()) return hit.token;
      let p = inflight.get(key);
      if (!p) {
        p = fetch().finally(() => inflight.delete(key));
        inflight.set(key, p);
      }
      const fresh = await p;
      tokens.set(key, fresh);
      return fresh.token;
    },
    invalidate(key) {
      tokens.delete(key);
    },
  };
}
