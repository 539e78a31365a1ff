import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoLockService, LockTimeoutError } from '../../shared/locks/dynamo-lock';
import { apiKeyFromHeader, generateApiKey, hashApiKey } from '../../shared/tenants/api-keys';
import { DynamoTenantStore, rateBlockSize } from '../../shared/tenants/dynamo-tenant-store';
import { dynamoForTest } from '../helpers/emulators';

let env: Awaited<ReturnType<typeof dynamoForTest>>;
beforeAll(async () => {
  env = await dynamoForTest();
});
afterAll(() => env.close());

describe('tenant API keys', () => {
  it('stores only the hash and finds the tenant by it', async () => {
    const store = new DynamoTenantStore(env.db, env.table);
    const key = generateApiKey();
    await store.putKey(hashApiKey(key), { tenantId: 'acme', createdAt: 'now' });
    expect((await store.findByKeyHash(hashApiKey(key)))?.tenantId).toBe('acme');
    expect(await store.findByKeyHash(hashApiKey(generateApiKey()))).toBeUndefined();
    const raw = await env.db.send(
      new (await import('@aws-sdk/lib-dynamodb')).ScanCommand({ TableName: env.table }),
    );
    expect(JSON.stringify(raw.Items)).not.toContain(key);
  });

  it('parses only well-formed bearer keys', () => {
    const key = generateApiKey();
    expect(apiKeyFromHeader(`Bearer ${key}`)).toBe(key);
    expect(apiKeyFromHeader(key)).toBeUndefined();
    expect(apiKeyFromHeader('Bearer erpb_short')).toBeUndefined();
    expect(apiKeyFromHeader('Basic dXNlcjpwYXNz')).toBeUndefined();
  });

  it('counts requests per tenant and minute and says how long to wait', async () => {
    const store = new DynamoTenantStore(env.db, env.table);
    const t = new Date('2030-01-01T00:00:15Z');
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await store.consumeRequest('rate-t', 3, t));
    expect(results).toEqual([0, 0, 0, 45]);
    expect(await store.consumeRequest('other-t', 3, t)).toBe(0);
    expect(await store.consumeRequest('rate-t', 3, new Date('2030-01-01T00:01:00Z'))).toBe(0);
  });

  it('takes the budget in blocks: one counter write per block, not per request', async () => {
    const store = new DynamoTenantStore(env.db, env.table);
    let writes = 0;
    const send = env.db.send.bind(env.db);
    const counted = new Proxy(env.db, {
      get: (t, p) =>
        p === 'send'
          ? (cmd: never) => {
              writes++;
              return send(cmd);
            }
          : Reflect.get(t, p),
    });
    const batched = new DynamoTenantStore(counted, env.table);
    const t = new Date('2030-01-01T00:02:10Z');
    expect(rateBlockSize(600)).toBe(12);
    for (let i = 0; i < 100; i++) expect(await batched.consumeRequest('block-t', 600, t)).toBe(0);
    expect(writes).toBe(Math.ceil(100 / 12));
    // The same counter holds the budget for every container: another container sees what this one took.
    const taken = [];
    for (let i = 0; i < 600; i++) taken.push(await store.consumeRequest('block-t', 600, t));
    const granted = taken.filter((w) => w === 0).length;
    expect(granted).toBeLessThanOrEqual(600 - 100);
    expect(granted).toBeGreaterThanOrEqual(600 - 9 * 12);
    expect(taken.at(-1)).toBe(50);
  });

  it('two containers never admit more than the limit between them', async () => {
    const a = new DynamoTenantStore(env.db, env.table);
    const b = new DynamoTenantStore(env.db, env.table);
    const t = new Date('2030-01-01T00:03:00Z');
    let admitted = 0;
    for (let i = 0; i < 150; i++) {
      if ((await (i % 2 ? a : b).consumeRequest('two-t', 100, t)) === 0) admitted++;
    }
    expect(admitted).toBeLessThanOrEqual(100);
    expect(admitted).toBeGreaterThanOrEqual(100 - 2 * (rateBlockSize(100) - 1));
  });
});

describe('DynamoLockService', () => {
  it('never lets two holders overlap', async () => {
    const a = new DynamoLockService(env.db, env.table);
    const b = new DynamoLockService(env.db, env.table);
    let inside = 0;
    let maxInside = 0;
    const work = async () => {
      inside++;
      maxInside = Math.max(maxInside, inside);
      await new Promise((r) => setTimeout(r, 20));
      inside--;
    };
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (i % 2 ? a : b).withLock('k1', { ttlMs: 5000, waitMs: 10_000 }, work),
      ),
    );
    expect(maxInside).toBe(1);
  });

  it('gives up after waitMs, and takes over a lock whose holder died', async () => {
    const locks = new DynamoLockService(env.db, env.table);
    let release!: () => void;
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    // A ttl a loaded machine cannot outrun between the take and the second caller's give-up.
    const held = locks.withLock('k2', { ttlMs: 2_000, waitMs: 100 }, () => {
      entered();
      return new Promise<void>((r) => (release = r));
    });
    await inside;
    await expect(locks.withLock('k2', { ttlMs: 1000, waitMs: 50 }, async () => 1)).rejects.toBeInstanceOf(
      LockTimeoutError,
    );
    // The holder is "dead" (never releases): after its ttl another caller gets in.
    expect(await locks.withLock('k2', { ttlMs: 1000, waitMs: 10_000 }, async () => 'taken over')).toBe(
      'taken over',
    );
    release();
    await held;
  });
});
