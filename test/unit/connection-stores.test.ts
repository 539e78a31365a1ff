import fs from 'node:fs';
import path from 'node:path';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
  TagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { CachedConnectionStore } from '../../shared/connections/cached-store';
import { LocalFileConnectionStore } from '../../shared/connections/local-file-store';
import { SecretsManagerConnectionStore } from '../../shared/connections/secrets-manager-store';
import type { ConnectionStore, StoredConnection } from '../../shared/connections/store';
import { tempDir } from '../helpers/temp';

const SECRET = 'sk_live_very-secret-access-key-123';
const conn = {
  tenantId: 'acme',
  connectionId: 'main',
  erp: 'siigo' as const,
  environment: 'sandbox' as const,
};

describe('LocalFileConnectionStore', () => {
  const dir = () => tempDir('conn-');

  it('round-trips connections and never writes a credential in clear text', async () => {
    const d = dir();
    const store = LocalFileConnectionStore.open(d);
    await store.put({ ...conn, credentials: { username: 'u@x.co', accessKey: SECRET } });
    const raw = fs.readFileSync(path.join(d, 'connections.enc'));
    expect(raw.includes(Buffer.from(SECRET))).toBe(false);
    expect(raw.includes(Buffer.from('u@x.co'))).toBe(false);
    const reopened = LocalFileConnectionStore.open(d);
    expect((await reopened.get('acme', 'main'))?.credentials).toEqual({
      username: 'u@x.co',
      accessKey: SECRET,
    });
    expect(fs.statSync(path.join(d, 'connections.key')).mode & 0o777).toBe(0o600);
  });

  it('refuses to decrypt with another key (GCM authentication)', async () => {
    const d = dir();
    await LocalFileConnectionStore.open(d).put({ ...conn, credentials: { a: 1 } });
    const wrong = new LocalFileConnectionStore(path.join(d, 'connections.enc'), Buffer.alloc(32, 7));
    await expect(wrong.get('acme', 'main')).rejects.toThrow();
  });

  it('scopes by tenant and hides credentials from metadata', async () => {
    const store = LocalFileConnectionStore.open(dir());
    await store.put({ ...conn, credentials: { k: SECRET } });
    await store.put({ ...conn, tenantId: 'other', credentials: { k: 'x' } });
    expect(await store.get('other', 'nope')).toBeUndefined();
    const listed = await store.list('acme');
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(SECRET);
    expect(await store.getMetadata('acme', 'main')).not.toHaveProperty('credentials');
    await store.setStatus('acme', 'main', 'needs_reauth', 'invalid_grant');
    expect((await store.getMetadata('acme', 'main'))?.status).toBe('needs_reauth');
    expect(await store.delete('acme', 'main')).toBe(true);
    expect(await store.delete('acme', 'main')).toBe(false);
  });

  it('serialises concurrent writes without losing any', async () => {
    const store = LocalFileConnectionStore.open(dir());
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.put({ ...conn, connectionId: `c${i}`, credentials: { i } })),
    );
    expect(await store.list('acme')).toHaveLength(20);
  });
});

describe('SecretsManagerConnectionStore', () => {
  it('names one secret per connection under the stage prefix and tenant, with metadata in tags', async () => {
    const sm = mockClient(SecretsManagerClient);
    sm.on(CreateSecretCommand).resolves({});
    const store = new SecretsManagerConnectionStore(
      new SecretsManagerClient({}),
      'erp-bridge/dev/',
      'kms-key',
    );
    await store.put({ ...conn, credentials: { accessKey: SECRET } });
    const call = sm.commandCalls(CreateSecretCommand)[0]?.args[0].input;
    expect(call?.Name).toBe('erp-bridge/dev/acme/main');
    expect(call?.KmsKeyId).toBe('kms-key');
    expect(JSON.parse(call?.SecretString ?? '{}')).toEqual({ credentials: { accessKey: SECRET } });
    expect(JSON.stringify(call?.Tags)).not.toContain(SECRET);
    expect(call?.Tags).toContainEqual({ Key: 'erp-bridge:erp', Value: 'siigo' });
  });

  it('overwrites an existing connection with a new secret version', async () => {
    const sm = mockClient(SecretsManagerClient);
    sm.on(CreateSecretCommand).rejects(new ResourceExistsException({ message: 'exists', $metadata: {} }));
    sm.on(DescribeSecretCommand).resolves({
      Name: 'erp-bridge/dev/acme/main',
      Tags: [
        { Key: 'erp-bridge:erp', Value: 'siigo' },
        { Key: 'erp-bridge:created', Value: '2030-01-01' },
      ],
    });
    sm.on(PutSecretValueCommand).resolves({});
    sm.on(TagResourceCommand).resolves({});
    const store = new SecretsManagerConnectionStore(new SecretsManagerClient({}), 'erp-bridge/dev/');
    const meta = await store.put({ ...conn, credentials: { accessKey: 'new' } });
    expect(meta.createdAt).toBe('2030-01-01');
    expect(sm.commandCalls(PutSecretValueCommand)[0]?.args[0].input.SecretString).toBe(
      '{"credentials":{"accessKey":"new"}}',
    );
  });

  it('reads credentials, and reports a missing secret as not found', async () => {
    const sm = mockClient(SecretsManagerClient);
    sm.on(DescribeSecretCommand, { SecretId: 'erp-bridge/dev/acme/main' }).resolves({
      Name: 'erp-bridge/dev/acme/main',
      Tags: [
        { Key: 'erp-bridge:erp', Value: 'siigo' },
        { Key: 'erp-bridge:environment', Value: 'production' },
        { Key: 'erp-bridge:status', Value: 'active' },
      ],
    });
    sm.on(DescribeSecretCommand, { SecretId: 'erp-bridge/dev/acme/gone' }).rejects(
      new ResourceNotFoundException({ message: 'nope', $metadata: {} }),
    );
    sm.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({ credentials: { accessKey: SECRET } }),
    });
    const store = new SecretsManagerConnectionStore(new SecretsManagerClient({}), 'erp-bridge/dev/');
    const got = await store.get('acme', 'main');
    expect(got).toMatchObject({
      tenantId: 'acme',
      connectionId: 'main',
      erp: 'siigo',
      environment: 'production',
    });
    expect(got?.credentials).toEqual({ accessKey: SECRET });
    expect(await store.get('acme', 'gone')).toBeUndefined();
  });

  // The limits tag is read back without zod (the sweeper's bundle): a value outside the API's rule is no override.
  it.each([
    ['100/60/2', { requests: 100, perSeconds: 60, concurrency: 2 }],
    ['500/60', { requests: 500, perSeconds: 60 }],
    ['none', undefined],
    ['0/60', undefined],
    ['100/60/0', undefined],
    ['100001/60', undefined],
    ['100/1.5/1.5', undefined],
    ['100/0.5', undefined],
    // Only formatLimitsTag's own form: Number() alone would read these loosely.
    ['0x10/60', undefined],
    [' 100/60', undefined],
    ['100/60/2/9', undefined],
    ['1e3/60', undefined],
    ['100/Infinity', undefined],
  ])('reads the limits tag %s as %j', async (tag, limits) => {
    const sm = mockClient(SecretsManagerClient);
    sm.on(DescribeSecretCommand).resolves({
      Name: 'erp-bridge/dev/acme/main',
      Tags: [
        { Key: 'erp-bridge:erp', Value: 'siigo' },
        { Key: 'erp-bridge:environment', Value: 'production' },
        { Key: 'erp-bridge:limits', Value: tag },
      ],
    });
    const store = new SecretsManagerConnectionStore(new SecretsManagerClient({}), 'erp-bridge/dev/');
    expect((await store.getMetadata('acme', 'main'))?.limits).toEqual(limits);
  });

  it("lists only the tenant's own secrets (the name filter is a prefix match)", async () => {
    const sm = mockClient(SecretsManagerClient);
    sm.on(ListSecretsCommand).resolves({
      SecretList: [
        { Name: 'erp-bridge/dev/acme/a', Tags: [{ Key: 'erp-bridge:erp', Value: 'alegra' }] },
        { Name: 'erp-bridge/dev/acme-evil/b', Tags: [{ Key: 'erp-bridge:erp', Value: 'siigo' }] },
      ],
    });
    const store = new SecretsManagerConnectionStore(new SecretsManagerClient({}), 'erp-bridge/dev/');
    expect((await store.list('acme')).map((c) => c.connectionId)).toEqual(['a']);
    expect(sm.commandCalls(ListSecretsCommand)[0]?.args[0].input.Filters).toEqual([
      { Key: 'name', Values: ['erp-bridge/dev/acme/'] },
    ]);
  });
});

describe('CachedConnectionStore', () => {
  function counting(): ConnectionStore & { reads: number } {
    const stored: StoredConnection = {
      ...conn,
      status: 'active',
      credentials: { v: 1 },
      createdAt: '',
      updatedAt: '',
    };
    const s = {
      reads: 0,
      async get() {
        s.reads++;
        await new Promise((r) => setTimeout(r, 5));
        return { ...stored };
      },
      getMetadata: async () => stored,
      list: async () => [stored],
      put: async () => stored,
      delete: async () => true,
      updateCredentials: async (_t: string, _c: string, c: unknown) => {
        stored.credentials = c;
      },
      setStatus: async () => undefined,
    };
    return s;
  }

  it('does not keep a miss: a connection stored a moment later is read at once', async () => {
    const dir = tempDir('conn-');
    const inner = LocalFileConnectionStore.open(dir);
    const cached = new CachedConnectionStore(inner, 60_000);
    expect(await cached.get('acme', 'later')).toBeUndefined();
    await inner.put({ ...conn, connectionId: 'later', credentials: { k: 'x' } });
    expect((await cached.get('acme', 'later'))?.credentials).toEqual({ k: 'x' });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads once per TTL, sharing the in-flight read between concurrent callers', async () => {
    let now = 0;
    const inner = counting();
    const cache = new CachedConnectionStore(inner, 300_000, () => now);
    await Promise.all(Array.from({ length: 10 }, () => cache.get('acme', 'main')));
    await cache.get('acme', 'main');
    expect(inner.reads).toBe(1);
    now = 300_001;
    await cache.get('acme', 'main');
    expect(inner.reads).toBe(2);
  });

  it('serves rotated credentials right after an update, and fresh() bypasses the cache', async () => {
    const inner = counting();
    const cache = new CachedConnectionStore(inner, 300_000);
    await cache.get('acme', 'main');
    await cache.updateCredentials('acme', 'main', { v: 2 });
    expect((await cache.get('acme', 'main'))?.credentials).toEqual({ v: 2 });
    await cache.fresh('acme', 'main');
    expect(inner.reads).toBe(2);
  });
});
