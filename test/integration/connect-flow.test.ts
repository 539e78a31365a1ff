import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  QUICKBOOKS_DEMO_CREDENTIALS,
  type QuickBooksSimulator,
  startQuickBooksSimulator,
} from '../../local/simulators/quickbooks';
import { getConnectSession } from '../../shared/api/connect-sessions';
import type { ApiDeps } from '../../shared/api/deps';
import { createConnectSession } from '../../shared/connect/create';
import {
  type ConnectDeps,
  callbackPath,
  handleConnect,
  type PageRequest,
  type PageResponse,
} from '../../shared/connect/flow';
import { MemoryConnectSessionStore, publicSession } from '../../shared/connect/session';
import { createSessionBody } from '../../shared/connect/session-body';
import { LocalFileConnectionStore } from '../../shared/connections/local-file-store';
import { getAdapter, listAdapters } from '../../shared/erps/registry';
import { createTokenCache } from '../../shared/erps/token-cache';
import { createHttpClient } from '../../shared/http/upstream';
import { createMemoryLockService } from '../../shared/locks/memory-lock';
import { capture, registerSecrets } from '../helpers/leak-guard';
import { tempDir } from '../helpers/temp';

/**
 * The connect page's OAuth flow without a browser (issue 15 §2, contract for the session side): the link opens
 * once, the consent's `state` is single use, bound to the session and to the browser that opened the link, and
 * expires; an expired session is refused at every step; a `realmId` that is not the consented company stores
 * nothing; `returnUrl` obeys the webhook URL policy. QuickBooks' consent and token endpoint are the simulator's.
 */
const BASE = 'https://connect.example.com';
const TENANT = 'tenant-flow';
const RETURN = 'https://app.example.com/erp/done';
const app = {
  clientId: QUICKBOOKS_DEMO_CREDENTIALS.clientId,
  clientSecret: QUICKBOOKS_DEMO_CREDENTIALS.clientSecret,
};
registerSecrets(app);

let sim: QuickBooksSimulator;
let deps: ConnectDeps;
let now: Date;
const http = createHttpClient({ defaultTimeoutMs: 3000 });
const log = { info: () => undefined, warn: () => undefined, error: () => undefined };

beforeAll(async () => {
  sim = await startQuickBooksSimulator();
  sim.registerRedirectUri(`${BASE}${callbackPath('quickbooks')}`);
});
afterAll(() => sim.close());
beforeEach(() => {
  now = new Date('2026-11-30T12:00:00Z');
  deps = {
    sessions: new MemoryConnectSessionStore(),
    connections: LocalFileConnectionStore.open(tempDir('connect-flow-')),
    adapters: { get: getAdapter },
    http,
    tokens: createTokenCache(),
    locks: createMemoryLockService(),
    apps: { get: async (erp) => (erp === 'quickbooks' ? app : undefined) },
    policy: { allowLoopback: false },
    baseUrl: () => BASE,
    env: {
      QUICKBOOKS_BASE_URL: sim.url,
      QUICKBOOKS_TOKEN_URL: `${sim.url}/oauth2/v1/tokens/bearer`,
      QUICKBOOKS_AUTHORIZE_URL: `${sim.url}/connect/oauth2`,
    },
    log,
    clock: () => now,
  };
});

async function newSession(body: Record<string, unknown> = {}) {
  const input = createSessionBody.parse({
    endUser: { id: 'acct-1' },
    allowedErps: ['quickbooks'],
    environment: 'sandbox',
    returnUrl: RETURN,
    locale: 'en',
    ...body,
  });
  const created = await createConnectSession(
    {
      sessions: deps.sessions,
      connections: deps.connections,
      adapters: { get: getAdapter, list: listAdapters },
      policy: deps.policy,
      now: () => now,
    },
    TENANT,
    input,
    BASE,
  );
  const token = new URL(created.url).searchParams.get('token') as string;
  registerSecrets(token);
  return { id: created.session.id, url: created.url };
}

/**
 * One request to the page; every page body is captured for the leak guard (its Set-Cookie and the Location to
 * the ERP carry the browser cookie and the state by design; no page may).
 */
async function page(
  method: string,
  url: string,
  o: { cookie?: string; body?: string } = {},
): Promise<PageResponse> {
  const u = new URL(url, BASE);
  const req: PageRequest = {
    method,
    path: u.pathname,
    query: Object.fromEntries(u.searchParams),
    headers: { host: u.host },
    ...(o.body !== undefined ? { body: o.body } : {}),
    cookies: o.cookie ? Object.fromEntries([o.cookie.split('=', 2) as [string, string]]) : {},
    requestId: 'req-1',
  };
  const res = await handleConnect(req, deps);
  capture('page', res.body);
  return res;
}

/** Opens the link: the browser's cookie (name=value). */
async function open(url: string): Promise<string> {
  const res = await page('GET', url);
  expect(res.status).toBe(303);
  const cookie = (res.cookies?.[0] ?? '').split(';')[0] as string;
  registerSecrets(cookie.split('=')[1]);
  return cookie;
}

/** Starts the consent: Intuit's authorize URL. */
async function start(id: string, cookie: string): Promise<URL> {
  const res = await page('POST', `/connect/${id}/erps/quickbooks/oauth`, { cookie, body: 'lang=en' });
  expect(res.status, res.body).toBe(303);
  return new URL(res.headers.location as string);
}

/** What a person does on Intuit's (simulated) page: pick the company, Connect. The callback URL Intuit sends. */
async function consent(authorize: URL): Promise<URL> {
  const html = await http.request({ method: 'GET', url: authorize.href });
  const fields = Object.fromEntries(
    [...html.text.matchAll(/type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [
      m[1],
      m[2]?.replace(/&amp;/g, '&'),
    ]),
  ) as Record<string, string>;
  const res = await http.request({
    method: 'POST',
    url: `${sim.url}/connect/oauth2/consent`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      ...fields,
      realmId: QUICKBOOKS_DEMO_CREDENTIALS.realmId,
      decision: 'allow',
    }).toString(),
  });
  expect(res.status).toBe(302);
  const callback = new URL(res.headers.location as string);
  registerSecrets([callback.searchParams.get('code'), callback.searchParams.get('state')]);
  return callback;
}

const statusOf = async (id: string) => publicSession((await deps.sessions.get(id))!, now);
const stored = () => deps.connections.list(TENANT);

describe('connect session: the OAuth round trip', () => {
  it('consent → callback → the connection is stored, the browser goes back to returnUrl', async () => {
    const s = await newSession();
    const cookie = await open(s.url);
    const authorize = await start(s.id, cookie);
    expect(authorize.searchParams.get('scope')).toBe('com.intuit.quickbooks.accounting');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${BASE}/connect/oauth/quickbooks/callback`);
    const back = await page('GET', (await consent(authorize)).href, { cookie });
    expect(back.status).toBe(303);
    expect(back.headers.location).toBe(`${RETURN}?session=${s.id}&status=completed`);
    expect(await statusOf(s.id)).toMatchObject({ status: 'completed', erp: 'quickbooks' });
    const conns = await stored();
    expect(conns).toHaveLength(1);
    const conn = await deps.connections.get(TENANT, conns[0]!.connectionId);
    registerSecrets(conn?.credentials);
    expect(conn?.credentials).toMatchObject({
      app: 'operator',
      realmId: QUICKBOOKS_DEMO_CREDENTIALS.realmId,
    });
  });

  it('state replay: the callback replayed after success is refused and nothing is exchanged again', async () => {
    const s = await newSession();
    const cookie = await open(s.url);
    const callback = await consent(await start(s.id, cookie));
    expect((await page('GET', callback.href, { cookie })).status).toBe(303);
    const replay = await page('GET', callback.href, { cookie });
    expect(replay.status).toBe(400);
    expect(replay.body).toContain('The authorization is not valid');
    expect(await stored()).toHaveLength(1);
  });

  it('state replay within the session: an older state is dead once a new consent starts', async () => {
    const s = await newSession();
    const cookie = await open(s.url);
    const first = await consent(await start(s.id, cookie));
    const second = await consent(await start(s.id, cookie));
    expect((await page('GET', first.href, { cookie })).status).toBe(400);
    expect(await stored()).toHaveLength(0);
    expect((await page('GET', second.href, { cookie })).status).toBe(303);
  });

  it('CSRF: a callback in a browser that did not open the link is refused (403), its state not spent', async () => {
    const s = await newSession();
    const cookie = await open(s.url);
    const callback = await consent(await start(s.id, cookie));
    expect((await page('GET', callback.href)).status).toBe(403);
    expect((await page('GET', callback.href, { cookie: `${cookie.split('=')[0]}=forged` })).status).toBe(403);
    expect(await stored()).toHaveLength(0);
    expect((await page('GET', callback.href, { cookie })).status).toBe(303);
  });

  it('a state of another session, or made up, is refused', async () => {
    const a = await newSession();
    const b = await newSession();
    const cookieA = await open(a.url);
    const cookieB = await open(b.url);
    const callbackA = await consent(await start(a.id, cookieA));
    await start(b.id, cookieB);
    const forged = new URL(callbackA);
    forged.searchParams.set('state', `${b.id}.${callbackA.searchParams.get('state')?.split('.')[1]}`);
    expect((await page('GET', forged.href, { cookie: cookieB })).status).toBe(400);
    forged.searchParams.set('state', 'nonsense');
    expect((await page('GET', forged.href, { cookie: cookieA })).status).toBe(400);
    expect(await stored()).toHaveLength(0);
  });

  it('expired session refused: the link, the page, the consent start and the callback all answer "expired"', async () => {
    const s = await newSession({ expiresIn: 600 });
    const late = await newSession({ expiresIn: 60 });
    const cookie = await open(s.url);
    const callback = await consent(await start(s.id, cookie));
    now = new Date(now.getTime() + 601_000);
    const cb = await page('GET', callback.href, { cookie });
    expect(cb.status).toBe(410);
    expect(cb.body).toContain('This link has expired');
    expect((await page('GET', `/connect/${s.id}`, { cookie })).status).toBe(410);
    expect(
      (await page('POST', `/connect/${s.id}/erps/quickbooks/oauth`, { cookie, body: 'lang=en' })).status,
    ).toBe(410);
    expect((await page('GET', late.url)).status).toBe(410);
    expect(await statusOf(s.id)).toMatchObject({ status: 'expired' });
    expect(await stored()).toHaveLength(0);
  });

  it('a consent older than 15 minutes is refused even while the session lives', async () => {
    const s = await newSession({ expiresIn: 3600 });
    const cookie = await open(s.url);
    const callback = await consent(await start(s.id, cookie));
    now = new Date(now.getTime() + 16 * 60_000);
    expect((await page('GET', callback.href, { cookie })).status).toBe(400);
    expect(await stored()).toHaveLength(0);
  });

  it('wrong realmId: a company other than the consented one is refused by QuickBooks, nothing stored', async () => {
    const s = await newSession();
    const cookie = await open(s.url);
    const callback = await consent(await start(s.id, cookie));
    callback.searchParams.set('realmId', '4620816365999999999');
    const res = await page('GET', callback.href, { cookie });
    expect(res.status).toBe(422);
    expect(res.body).toMatch(/class="alert" role="alert">QuickBooks Online did not accept/);
    expect(await stored()).toHaveLength(0);
    expect(await statusOf(s.id)).toMatchObject({ status: 'pending' });
  });

  it('the link opens once; a wrong token is not found', async () => {
    const s = await newSession();
    const wrong = new URL(s.url);
    wrong.searchParams.set('token', 'A'.repeat(43));
    expect((await page('GET', wrong.href)).status).toBe(404);
    await open(s.url);
    expect((await page('GET', s.url)).status).toBe(410);
  });

  it('declining at Intuit fails the session and says so on returnUrl', async () => {
    const s = await newSession();
    const cookie = await open(s.url);
    const authorize = await start(s.id, cookie);
    const denied = new URL(`${BASE}${callbackPath('quickbooks')}`);
    denied.searchParams.set('error', 'access_denied');
    denied.searchParams.set('state', authorize.searchParams.get('state') as string);
    const res = await page('GET', denied.href, { cookie });
    expect(res.headers.location).toBe(`${RETURN}?session=${s.id}&status=failed`);
    expect(await statusOf(s.id)).toMatchObject({ status: 'failed', failure: { code: 'consent_denied' } });
  });

  it('endUser.id: empty is one error (too short), a control character another (printable text)', () => {
    const issues = (id: string) =>
      createSessionBody.safeParse({ endUser: { id } }).error?.issues.map((i) => [i.path.join('/'), i.code]);
    expect(issues('')).toEqual([['endUser/id', 'too_small']]);
    expect(issues('   ')).toEqual([['endUser/id', 'too_small']]);
    expect(issues('acct\n1')).toEqual([['endUser/id', 'invalid_format']]);
    expect(issues('acct-1')).toBeUndefined();
  });

  it('returnUrl obeys the webhook URL policy: no private host, no plain http, no credentials in it', async () => {
    for (const returnUrl of [
      'https://127.0.0.1/done',
      'http://app.example.com/done',
      'https://u:p@app.example.com/',
    ]) {
      await expect(newSession({ returnUrl })).rejects.toMatchObject({
        status: 422,
        extra: {
          details: [expect.objectContaining({ pointer: '/returnUrl', code: 'invalid_return_url' })],
        },
      });
    }
  });

  it('GET /v1/connect-sessions/{id}: no token, hash or state in it; another tenant (or a non-id) gets 404', async () => {
    const s = await newSession();
    const cookie = await open(s.url);
    await start(s.id, cookie);
    const api = { connectSessions: deps.sessions, now: () => now } as unknown as ApiDeps;
    const res = await getConnectSession(s.id, TENANT, api);
    capture('response', res.body);
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body);
    expect(body).toMatchObject({ id: s.id, status: 'pending', endUser: { id: 'acct-1' }, returnUrl: RETURN });
    expect(res.body).not.toMatch(/hash|oauth|state|token|verifier/i);
    expect(body.connectionId).toBeUndefined();
    await expect(getConnectSession(s.id, 'another-tenant', api)).rejects.toMatchObject({ status: 404 });
    await expect(getConnectSession('not-a-session', TENANT, api)).rejects.toMatchObject({ status: 404 });
  });
});
