import { describe, expect, it } from 'vitest';
import { createTokenCache, tokenKeyFor } from '../../shared/erps/token-cache';

const conn = { tenantId: 't1', connectionId: 'c1', environment: 'sandbox' as const };
const SECRET = 'access-key-that-must-never-be-a-key';

describe('upstream token cache (issue 12 §2)', () => {
  it('keys a token on the connection and a fingerprint of its credentials and environment, never the secret', () => {
    const a = tokenKeyFor(conn, { username: 'u', accessKey: SECRET });
    expect(JSON.stringify(a)).not.toContain(SECRET);
    expect(a.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenKeyFor(conn, { username: 'u', accessKey: SECRET })).toEqual(a);
    expect(tokenKeyFor(conn, { username: 'u', accessKey: 'other' }).fingerprint).not.toBe(a.fingerprint);
    expect(
      tokenKeyFor({ ...conn, environment: 'production' }, { username: 'u', accessKey: SECRET }),
    ).not.toEqual(a);
  });

  it('new credentials fetch their own token and drop the old ones; a deleted connection keeps none', async () => {
    const cache = createTokenCache(() => 0);
    let fetches = 0;
    const fetch = (token: string) => async () => {
      fetches++;
      return { token, expiresAt: 3_600_000 };
    };
    const oldKey = tokenKeyFor(conn, { accessKey: 'old' });
    const newKey = tokenKeyFor(conn, { accessKey: 'new' });
    expect(await cache.get(oldKey, fetch('T-old'))).toBe('T-old');
    expect(await cache.get(oldKey, fetch('unused'))).toBe('T-old');
    expect(await cache.get(newKey, fetch('T-new'))).toBe('T-new');
    // The old credentials' token is gone: asked again (an old cached copy of the credentials), it is fetched anew.
    expect(await cache.get(oldKey, fetch('T-old-2'))).toBe('T-old-2');
    expect(fetches).toBe(3);

    const other = tokenKeyFor({ ...conn, connectionId: 'c2' }, { accessKey: 'x' });
    await cache.get(other, fetch('T-other'));
    cache.dropConnection('t1', 'c1');
    expect(await cache.get(oldKey, fetch('T-after-delete'))).toBe('T-after-delete');
    expect(await cache.get(other, fetch('unused'))).toBe('T-other');
  });
});
