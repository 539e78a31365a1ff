import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { QUICKBOOKS_DEMO_CREDENTIALS } from '../../local/simulators/quickbooks';
import { DynamoConnectionNoticeStore } from '../../shared/connect/dynamo-notice-store';
import type { ConnectionEvent, ConnectionEventSink } from '../../shared/connect/events';
import { NoticingConnectionStore } from '../../shared/connect/noticing-store';
import { sweepConnectionNotices } from '../../shared/connect/notify';
import { MemoryConnectSessionStore } from '../../shared/connect/session';
import { LocalFileConnectionStore } from '../../shared/connections/local-file-store';
import { getAdapter } from '../../shared/erps/registry';
import { dynamoForTest } from '../helpers/emulators';
import { capture, registerSecrets } from '../helpers/leak-guard';
import { tempDir } from '../helpers/temp';

/**
 * Issue 15 §1: connections that need their end user again. Whatever writes a connection (the API, the connect
 * page, a worker's refresh or refusal) goes through the NoticingConnectionStore; the sweeper then sends each due
 * notice once — connection.reauth_required (QuickBooks invalid_grant, NetSuite's refresh token past its end,
 * refused credentials) or connection.expiring (30 days before QuickBooks' refresh token ends, 2 days before
 * NetSuite's) — with a ready reconnect session. Notices are DynamoDB items (dynalite, the stack's table shape:
 * gsi2 projects keys only).
 */
const TENANT = 'tenant-notices';
const DAY = 86_400_000;
let env: Awaited<ReturnType<typeof dynamoForTest>>;
let now: Date;
let events: ConnectionEvent[];
let listening: boolean;
let store: NoticingConnectionStore;
let inner: LocalFileConnectionStore;
let notices: DynamoConnectionNoticeStore;
let sessions: MemoryConnectSessionStore;
const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
registerSecrets(QUICKBOOKS_DEMO_CREDENTIALS);

beforeAll(async () => {
  env = await dynamoForTest(`notices-${Date.now()}`);
});
afterAll(() => env.close());
beforeEach(() => {
  now = new Date('2026-11-30T12:00:00Z');
  events = [];
  listening = true;
  inner = LocalFileConnectionStore.open(tempDir('notices-'));
  notices = new DynamoConnectionNoticeStore(env.db, env.table);
  store = new NoticingConnectionStore(inner, notices, getAdapter, log, () => now);
  sessions = new MemoryConnectSessionStore();
});

const sink: ConnectionEventSink = {
  async listening() {
    return listening;
  },
  async publish(_tenant, event) {
    if (!listening) return false;
    capture('webhook', JSON.stringify(event));
    events.push(event);
    return true;
  },
};

const sweep = () =>
  sweepConnectionNotices({
    sessions,
    connections: store,
    policy: { allowLoopback: false },
    notices,
    events: sink,
    baseUrl: 'https://api.example.com',
    log,
    now: () => now,
  });

let n = 0;
async function quickbooks(refreshTokenExpiresAt?: number) {
  const connectionId = `cs-notice-${++n}`;
  await store.put({
    tenantId: TENANT,
    connectionId,
    erp: 'quickbooks',
    environment: 'production',
    credentials: {
      ...QUICKBOOKS_DEMO_CREDENTIALS,
      ...(refreshTokenExpiresAt ? { refreshTokenExpiresAt } : {}),
    },
  });
  await notices.putOrigin(TENANT, connectionId, {
    endUser: { id: 'acct-7' },
    returnUrl: 'https://app.example.com/erp/done',
    locale: 'es',
  });
  return connectionId;
}
const mine = (id: string) => events.filter((e) => e.connection.connectionId === id);

describe('connection notices', () => {
  it('invalid_grant → needs_reauth → one connection.reauth_required with a reconnect session, however many jobs meet it', async () => {
    const id = await quickbooks();
    const reason = 'QuickBooks rejected the refresh token (invalid_grant): reconnect the app';
    await store.setStatus(TENANT, id, 'needs_reauth', reason);
    await store.setStatus(TENANT, id, 'needs_reauth', reason);
    await sweep();
    await store.setStatus(TENANT, id, 'needs_reauth', reason);
    await sweep();
    expect(mine(id)).toHaveLength(1);
    const [e] = mine(id);
    expect(e).toMatchObject({
      type: 'connection.reauth_required',
      reason,
      connection: { connectionId: id, erp: 'quickbooks', status: 'needs_reauth' },
      reconnect: {
        url: expect.stringMatching(/^https:\/\/api\.example\.com\/connect\/[0-9a-f-]{36}\?token=/),
      },
    });
    expect(JSON.stringify(e)).not.toContain('tenantId');
    // The link's token is in this event by design (the tenant hands it on); only its hash is stored.
    const token = new URL(e!.reconnect!.url).searchParams.get('token') as string;
    expect(JSON.stringify(await sessions.get(e!.reconnect!.sessionId))).not.toContain(token);
    // The reconnect session: this connection only, same end user, return URL and language, 7 days.
    const s = await sessions.get(e!.reconnect!.sessionId);
    expect(s).toMatchObject({
      tenantId: TENANT,
      connectionId: id,
      reconnect: true,
      allowedErps: ['quickbooks'],
      environment: 'production',
      endUser: { id: 'acct-7' },
      returnUrl: 'https://app.example.com/erp/done',
      locale: 'es',
      reason: 'reauth_required',
    });
    expect(Date.parse(s!.expiresAt) - now.getTime()).toBe(7 * DAY);
  });

  it('reconnected before the sweep: nothing is sent', async () => {
    const id = await quickbooks();
    await store.setStatus(TENANT, id, 'needs_reauth', 'refused');
    await store.put({
      tenantId: TENANT,
      connectionId: id,
      erp: 'quickbooks',
      environment: 'production',
      credentials: {
        ...QUICKBOOKS_DEMO_CREDENTIALS,
        refreshToken: 'AB11new-refresh-token-after-reconnect-000',
      },
    });
    await sweep();
    expect(mine(id)).toEqual([]);
  });

  it('a QuickBooks refresh token ending in 20 days → connection.expiring now; one ending in 90 days → not yet', async () => {
    const soon = await quickbooks(now.getTime() + 20 * DAY);
    const later = await quickbooks(now.getTime() + 90 * DAY);
    await sweep();
    expect(mine(soon)).toEqual([
      expect.objectContaining({
        type: 'connection.expiring',
        expiresAt: new Date(now.getTime() + 20 * DAY).toISOString(),
        reconnect: expect.objectContaining({ sessionId: expect.any(String) }),
      }),
    ]);
    expect(mine(later)).toEqual([]);
    // 61 days on, the second is 29 days from its end: told once.
    now = new Date(now.getTime() + 61 * DAY);
    await sweep();
    await sweep();
    expect(mine(later)).toHaveLength(1);
    expect(mine(soon)).toHaveLength(1);
  });

  it('a refresh that moves the end (rolling lifetime) replaces the notice: the old due time is not sent', async () => {
    const id = await quickbooks(now.getTime() + 40 * DAY);
    await store.updateCredentials(TENANT, id, {
      ...QUICKBOOKS_DEMO_CREDENTIALS,
      refreshTokenExpiresAt: now.getTime() + 100 * DAY,
    });
    now = new Date(now.getTime() + 15 * DAY);
    await sweep();
    expect(mine(id)).toEqual([]);
  });

  it('NetSuite OAuth 2.0: a 7-day refresh token is announced 2 days ahead', async () => {
    const connectionId = `cs-notice-ns-${++n}`;
    await store.put({
      tenantId: TENANT,
      connectionId,
      erp: 'netsuite',
      environment: 'sandbox',
      credentials: {
        auth: 'oauth2',
        accountId: '1234567_SB1',
        app: 'operator',
        refreshToken: 'eyJraWQiOiJucy1yZWZyZXNoIn0.notice-test-token',
        refreshTokenExpiresAt: now.getTime() + 7 * DAY,
      },
    });
    await sweep();
    expect(events.filter((e) => e.connection.connectionId === connectionId)).toEqual([]);
    now = new Date(now.getTime() + 5 * DAY);
    await sweep();
    expect(events.filter((e) => e.connection.connectionId === connectionId)).toEqual([
      expect.objectContaining({
        type: 'connection.expiring',
        connection: expect.objectContaining({ erp: 'netsuite' }),
      }),
    ]);
  });

  it('a tenant without a webhook URL: no event and no reconnect session; the notice is spent', async () => {
    listening = false;
    const id = await quickbooks();
    await store.setStatus(TENANT, id, 'needs_reauth', 'refused');
    await sweep();
    listening = true;
    await sweep();
    expect(mine(id)).toEqual([]);
    expect((await inner.getMetadata(TENANT, id))?.status).toBe('needs_reauth');
  });

  it('a deleted connection forgets its notices', async () => {
    const id = await quickbooks(now.getTime() + 10 * DAY);
    await store.setStatus(TENANT, id, 'needs_reauth', 'refused');
    await store.delete(TENANT, id);
    await sweep();
    expect(mine(id)).toEqual([]);
    expect(await notices.origin(TENANT, id)).toBeUndefined();
  });
});
