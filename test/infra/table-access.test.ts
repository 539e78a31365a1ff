import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ITEM_PREFIX, TABLE_ACCESS } from '../../cdk/constructs/job-table';
import { DynamoBatchStore } from '../../shared/batches/dynamo-store';
import { DynamoConnectionNoticeStore } from '../../shared/connect/dynamo-notice-store';
import { DynamoConnectSessionStore } from '../../shared/connect/dynamo-session-store';
import { DynamoRefusedInlineStore } from '../../shared/connections/dynamo-refused-inline';
import { DynamoJobStore } from '../../shared/jobs/dynamo-store';
import { DynamoLockService } from '../../shared/locks/dynamo-lock';
import { DynamoOptionsStore } from '../../shared/options/dynamo-store';
import { DynamoPacer } from '../../shared/pacing/dynamo-pacer';
import { DynamoTenantStore } from '../../shared/tenants/dynamo-tenant-store';
import { DynamoWebhookSettingsStore } from '../../shared/webhooks/dynamo-settings-store';
import { dynamoForTest } from '../helpers/emulators';
import { sampleJob } from '../helpers/jobs';

/**
 * IAM limits each function to the partition-key prefixes of cdk/constructs/job-table.ts (dynamodb:LeadingKeys).
 * If a store's key shape drifted from them, the deployed function would get AccessDenied while every local test
 * passed. So: run each DynamoDB store on dynalite, record every key it reads, writes or queries, and check it
 * against the prefix IAM grants for that item kind.
 */
type Touch = { pk: string; index?: string; batch?: boolean };
interface DynamoInput {
  /** BatchWriteItem: every put or delete of every table; BatchGetItem: every key it reads. */
  RequestItems?: Record<
    string,
    | { PutRequest?: { Item: { pk?: unknown } }; DeleteRequest?: { Key: { pk?: unknown } } }[]
    | { Keys: { pk?: unknown }[] }
  >;
  Key?: { pk?: unknown };
  Item?: { pk?: unknown };
  ExpressionAttributeValues?: Record<string, unknown>;
  IndexName?: string;
}
let env: Awaited<ReturnType<typeof dynamoForTest>>;
let touched: Touch[] = [];

function recording(db: DynamoDBDocumentClient): DynamoDBDocumentClient {
  const send = db.send.bind(db) as (c: unknown) => Promise<unknown>;
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== 'send') return Reflect.get(target, prop, receiver);
      return (command: { input: DynamoInput }) => {
        const i = command.input;
        for (const batch of Object.values(i.RequestItems ?? {})) {
          if (Array.isArray(batch)) {
            for (const r of batch)
              touched.push({ pk: String(r.PutRequest?.Item.pk ?? r.DeleteRequest?.Key.pk) });
          } else {
            for (const k of batch.Keys) touched.push({ pk: String(k.pk), batch: true });
          }
        }
        if (i.RequestItems) return send(command);
        const pk = i.Key?.pk ?? i.Item?.pk ?? i.ExpressionAttributeValues?.[':pk'];
        if (!i.RequestItems) touched.push({ pk: String(pk), ...(i.IndexName ? { index: i.IndexName } : {}) });
        return send(command);
      };
    },
  });
}

async function keysOf(run: (db: DynamoDBDocumentClient) => Promise<unknown>): Promise<Touch[]> {
  touched = [];
  await run(recording(env.db));
  return touched;
}

beforeAll(async () => {
  env = await dynamoForTest();
});
afterAll(() => env.close());

const onlyPrefix = (keys: Touch[], prefix: string) => {
  expect(keys.length).toBeGreaterThan(0);
  for (const k of keys.filter((k) => !k.index)) expect(k.pk.startsWith(prefix), k.pk).toBe(true);
};

describe('every key the DynamoDB stores touch is one IAM grants (cdk/constructs/job-table.ts ITEM_PREFIX)', () => {
  it('jobs: T#<tenant> items; listings only through gsi1 and gsi2', async () => {
    const keys = await keysOf(async (db) => {
      const store = new DynamoJobStore(db, env.table);
      const j = sampleJob();
      await store.create(j);
      await store.get(j.tenantId, j.jobId);
      const claimed = await store.claim(j.tenantId, j.jobId, {
        now: new Date(),
        leaseMs: 30_000,
        leaseToken: 'l',
      });
      if (claimed.kind === 'claimed')
        await store.update(claimed.job, { status: 'succeeded' }, { leaseToken: 'l' });
      await store.list(j.tenantId, { limit: 10 });
      await store.listDue('siigo', new Date(), 10);
    });
    onlyPrefix(keys, ITEM_PREFIX.job);
    expect(keys.filter((k) => k.index).map((k) => k.index)).toEqual(['gsi1', 'gsi2']);
    // The listing reads its page from the table (gsi1 projects keys, status and erp only).
    expect(keys.filter((k) => k.batch).length).toBeGreaterThan(0);
    expect(TABLE_ACCESS.api.batchRead).toEqual(['job']);
    // The indexes each function may query are exactly the ones the stores use.
    expect(new Set(Object.values(TABLE_ACCESS).flatMap((a) => a.indexes))).toEqual(new Set(['gsi1', 'gsi2']));
  });

  it('batches and cached options live in the tenant partition (T#), item access only', async () => {
    const keys = await keysOf(async (db) => {
      const batches = new DynamoBatchStore(db, env.table);
      const at = new Date().toISOString();
      await batches.markFinal('t', 'b1', 0, 'succeeded');
      await batches.record({
        batchId: 'b1',
        tenantId: 't',
        erp: 'siigo',
        connectionId: 'c1',
        environment: 'sandbox',
        requestHash: 'h',
        total: 1,
        accepted: 1,
        rejected: 0,
        createdAt: at,
      });
      await batches.putItems('t', 'b1', [{ index: 0, itemId: 'x', status: 'queued', jobId: 'j' }]);
      await batches.listItems('t', 'b1', { limit: 10 });
      await batches.get('t', 'b1');
      await batches.markFinished('t', 'b1', at);
      const options = new DynamoOptionsStore(db, env.table);
      await options.put('t', {
        erp: 'next',
        connectionId: 'c1',
        fetchedAt: at,
        expiresAt: at,
        etag: '"x"',
        fields: [],
      });
      await options.get('t', 'c1');
      await options.delete('t', 'c1');
    });
    onlyPrefix(keys, ITEM_PREFIX.job);
    expect(keys.some((k) => k.index)).toBe(false);
  });

  it('API-key hashes (APIKEY#), the operators index of keys (TENANTKEYS#) and request counters (RATE#)', async () => {
    const tenants = (db: DynamoDBDocumentClient) => new DynamoTenantStore(db, env.table);
    // What the authorizer does: reads the hash item only.
    onlyPrefix(await keysOf((db) => tenants(db).findByKeyHash('abc')), ITEM_PREFIX.apiKey);
    // What `npm run tenant-key` does (operator credentials, no function): both kinds.
    const admin = await keysOf(async (db) => {
      await tenants(db).putKey('abc', { tenantId: 't', createdAt: new Date().toISOString() });
      await tenants(db).listKeys('t');
      await tenants(db).revokeKey('t.abc', new Date());
    });
    for (const k of admin)
      expect(k.pk.startsWith(ITEM_PREFIX.apiKey) || k.pk.startsWith(ITEM_PREFIX.tenantKeys), k.pk).toBe(true);
    expect(admin.some((k) => k.pk.startsWith(ITEM_PREFIX.tenantKeys))).toBe(true);
    onlyPrefix(await keysOf((db) => tenants(db).consumeRequest('t', 10, new Date())), ITEM_PREFIX.rate);
  });

  it('webhook settings (WEBHOOK#), locks (LOCK#) and pacing slots (PACE#)', async () => {
    onlyPrefix(
      await keysOf(async (db) => {
        const s = new DynamoWebhookSettingsStore(db, env.table);
        const now = new Date().toISOString();
        await s.put({
          tenantId: 't',
          secret: 'whsec_x',
          createdAt: now,
          updatedAt: now,
          secretCreatedAt: now,
        });
        await s.get('t');
        await s.delete('t');
      }),
      ITEM_PREFIX.webhook,
    );
    onlyPrefix(
      await keysOf((db) =>
        new DynamoLockService(db, env.table).withLock('k', { ttlMs: 1000, waitMs: 1000 }, async () => 1),
      ),
      ITEM_PREFIX.lock,
    );
    onlyPrefix(
      await keysOf(async (db) => {
        const pacer = new DynamoPacer(db, env.table);
        await pacer.reserve('siigo:t:c1', { requests: 10, perSeconds: 60 }, 1, Date.now());
        const lease = await pacer.acquire('siigo:t:c1', 2, 10_000, Date.now());
        await lease?.release();
      }),
      ITEM_PREFIX.pace,
    );
  });

  it('markers of refused inline credentials (REFUSED#)', async () => {
    onlyPrefix(
      await keysOf(async (db) => {
        const s = new DynamoRefusedInlineStore(db, env.table);
        await s.put('t', 'inline-siigo-sandbox-0123456789abcdef', {
          fingerprint: 'f',
          refusedAt: new Date().toISOString(),
          reason: 'r',
        });
        await s.get('t', 'inline-siigo-sandbox-0123456789abcdef');
        await s.delete('t', 'inline-siigo-sandbox-0123456789abcdef');
      }),
      ITEM_PREFIX.refusedInline,
    );
  });

  it('connect sessions (CSESSION#) and connection notices with their origin (CNOTICE#); due ones through gsi2', async () => {
    onlyPrefix(
      await keysOf(async (db) => {
        const s = new DynamoConnectSessionStore(db, env.table);
        const now = new Date();
        const session = {
          id: '0b5f6c1e-8a1d-4c55-9b7e-2f3a4b5c6d7e',
          tenantId: 't',
          status: 'pending' as const,
          endUser: { id: 'u' },
          allowedErps: ['siigo' as const],
          connectionId: 'cs-abc',
          reconnect: false,
          environment: 'sandbox' as const,
          createdAt: now.toISOString(),
          expiresAt: new Date(now.getTime() + 60_000).toISOString(),
          tokenHash: 'h',
          attempts: 0,
          version: 1,
        };
        await s.create(session);
        await s.get(session.id);
        await s.replace({ ...session, version: 2 });
      }),
      ITEM_PREFIX.connectSession,
    );
    const notices = await keysOf(async (db) => {
      const n = new DynamoConnectionNoticeStore(db, env.table);
      const notice = {
        tenantId: 't',
        connectionId: 'cs-abc',
        erp: 'quickbooks' as const,
        kind: 'reauth_required' as const,
        dueAt: new Date(0).toISOString(),
      };
      await n.schedule(notice);
      await n.putOrigin('t', 'cs-abc', { endUser: { id: 'u' } });
      await n.origin('t', 'cs-abc');
      for (const due of await n.due(new Date(), 10)) await n.markSent(due, new Date());
      await n.clear('t', 'cs-abc', ['expiring']);
      await n.forget('t', 'cs-abc');
    });
    onlyPrefix(notices, ITEM_PREFIX.connectNotice);
    expect(notices.filter((k) => k.index).map((k) => k.index)).toEqual(['gsi2']);
  });

  it('no prefix is a prefix of another (so one grant never covers a second kind)', () => {
    const prefixes = Object.values(ITEM_PREFIX);
    for (const a of prefixes)
      for (const b of prefixes) if (a !== b) expect(b.startsWith(a), `${a} ${b}`).toBe(false);
  });
});
