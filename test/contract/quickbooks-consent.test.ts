import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  QUICKBOOKS_DEMO_CREDENTIALS,
  type QuickBooksSimulator,
  startQuickBooksSimulator,
} from '../../local/simulators/quickbooks';
import { customerSchema } from '../../shared/customer/schema';
import { type QuickBooksCredentials, quickbooksAdapter } from '../../shared/erps/quickbooks';
import { ACCOUNTING_SCOPE, quickbooksConsent } from '../../shared/erps/quickbooks/consent';
import type { OAuthApps } from '../../shared/erps/types';
import { createHttpClient } from '../../shared/http/upstream';
import { adapterContext } from '../helpers/adapter-context';
import { registerSecrets } from '../helpers/leak-guard';

/**
 * QuickBooks' authorization code grant against the simulator (issue 15 §2): Intuit's consent page, the code
 * exchange, and connections that name the stage's app (`app: "operator"`) instead of carrying its secret.
 */
const REDIRECT = 'https://connect.example.com/connect/oauth/quickbooks/callback';
const app = {
  clientId: QUICKBOOKS_DEMO_CREDENTIALS.clientId,
  clientSecret: QUICKBOOKS_DEMO_CREDENTIALS.clientSecret,
};
const apps: OAuthApps = { get: async (erp) => (erp === 'quickbooks' ? app : undefined) };
registerSecrets(app);

let sim: QuickBooksSimulator;
const http = createHttpClient({ defaultTimeoutMs: 2000 });
const endpoints = () =>
  ({
    base: sim.url,
    token: `${sim.url}/oauth2/v1/tokens/bearer`,
    authorize: `${sim.url}/connect/oauth2`,
  }) as Record<string, string>;
const endpoint = (n: string) => endpoints()[n] as string;
const ctxFor = (credentials: QuickBooksCredentials, withApps = true) =>
  adapterContext(quickbooksAdapter, { credentials, endpoints: endpoints(), ...(withApps ? { apps } : {}) });

beforeAll(async () => {
  sim = await startQuickBooksSimulator();
  sim.registerRedirectUri(REDIRECT);
});
afterAll(() => sim.close());

/** What a person does on Intuit's page: pick the first company, click Connect (or Cancel). */
async function consent(url: string, decision = 'allow') {
  const page = await http.request({ method: 'GET', url });
  expect(page.status).toBe(200);
  const fields = Object.fromEntries(
    [...page.text.matchAll(/type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [
      m[1],
      m[2]?.replace(/&amp;/g, '&'),
    ]),
  ) as Record<string, string>;
  const realmId = /type="radio" name="realmId" value="(\d+)"/.exec(page.text)?.[1] ?? '';
  const res = await http.request({
    method: 'POST',
    url: `${sim.url}/connect/oauth2/consent`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, realmId, decision }).toString(),
  });
  expect(res.status).toBe(302);
  return new URL(res.headers.location as string);
}

const authorizeUrl = (state = 'qbo-state-1') =>
  quickbooksConsent.authorizeUrl({ endpoint, app, redirectUri: REDIRECT, state, start: {} });
const exchange = (callback: URL) =>
  quickbooksConsent.exchange({
    http,
    endpoint,
    now: Date.now,
    app,
    code: callback.searchParams.get('code') ?? '',
    redirectUri: REDIRECT,
    callback: callback.searchParams,
    start: {},
  });

describe('QuickBooks authorization code', () => {
  it('consent → code + realmId → tokens: a connection naming the operator app, verified, creating customers', async () => {
    const url = new URL(authorizeUrl());
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: app.clientId,
      response_type: 'code',
      scope: ACCOUNTING_SCOPE,
      redirect_uri: REDIRECT,
      state: 'qbo-state-1',
    });
    const back = await consent(url.href);
    expect(back.searchParams.get('state')).toBe('qbo-state-1');
    expect(back.searchParams.get('realmId')).toBe(QUICKBOOKS_DEMO_CREDENTIALS.realmId);
    const out = await exchange(back);
    expect(out.kind).toBe('ok');
    if (out.kind !== 'ok') return;
    registerSecrets(out.credentials);
    expect(out.credentials).toMatchObject({ realmId: QUICKBOOKS_DEMO_CREDENTIALS.realmId, app: 'operator' });
    expect(out.credentials).not.toHaveProperty('clientSecret');
    // x_refresh_token_expires_in dates the refresh token; the tenant hears of it 30 days ahead.
    const expiry = quickbooksAdapter.credentialsExpiry?.(out.credentials);
    expect(expiry?.noticeBeforeMs).toBe(30 * 86_400_000);
    expect(expiry?.expiresAt).toBeGreaterThan(Date.now() + 90 * 86_400_000);
    const ctx = ctxFor(out.credentials);
    expect(await quickbooksAdapter.verify(ctx)).toMatchObject({ kind: 'ok' });
    const created = await quickbooksAdapter.create(
      customerSchema.parse({ personType: 'company', name: { company: 'Consent Co' } }),
      ctx,
    );
    expect(created.kind).toBe('created');
    // The access token expires: the refresh uses the operator's app from the store, never one in the connection.
    sim.expireAccessTokens();
    const again = await quickbooksAdapter.create(
      customerSchema.parse({ personType: 'company', name: { company: 'Consent Co 2' } }),
      ctx,
    );
    expect(again.kind).toBe('created');
    expect(ctx.saved.at(-1)).toMatchObject({ app: 'operator' });
    expect(ctx.saved.at(-1)).not.toHaveProperty('clientSecret');
  });

  it('without the operator app configured, such a connection fails as auth, naming what is missing', async () => {
    const out = await exchange(await consent(authorizeUrl()));
    if (out.kind !== 'ok') throw new Error('no credentials');
    registerSecrets(out.credentials);
    const ctx = ctxFor(
      { ...out.credentials, accessToken: undefined, accessTokenExpiresAt: undefined },
      false,
    );
    expect(await quickbooksAdapter.verify(ctx)).toMatchObject({
      kind: 'auth',
      upstream: { code: 'oauth_app_missing' },
    });
  });

  it('a code is exchanged once: the replay is refused (invalid_grant)', async () => {
    const back = await consent(authorizeUrl());
    const first = await exchange(back);
    if (first.kind === 'ok') registerSecrets(first.credentials);
    expect(first.kind).toBe('ok');
    expect(await exchange(back)).toMatchObject({
      kind: 'auth',
      upstream: { status: 400, code: 'invalid_grant' },
    });
  });

  it('a realmId that is not the consented company: the tokens do not open it (verify → auth 3100)', async () => {
    const back = await consent(authorizeUrl());
    back.searchParams.set('realmId', '4620816365999999999');
    const out = await exchange(back);
    if (out.kind !== 'ok') throw new Error('the exchange itself does not know the realm');
    registerSecrets(out.credentials);
    expect(await quickbooksAdapter.verify(ctxFor(out.credentials))).toMatchObject({
      kind: 'auth',
      upstream: { status: 403, code: '3100' },
    });
  });

  it('Cancel on the consent page → error=access_denied with the state', async () => {
    const back = await consent(authorizeUrl('qbo-state-deny'), 'deny');
    expect(Object.fromEntries(back.searchParams)).toEqual({
      error: 'access_denied',
      state: 'qbo-state-deny',
    });
  });

  it('Intuit shows an error instead of redirecting for an unregistered redirect URI or a foreign scope', async () => {
    for (const [k, v] of [
      ['redirect_uri', 'https://evil.example/cb'],
      ['scope', 'openid'],
      ['client_id', 'not-an-app'],
    ] as const) {
      const u = new URL(authorizeUrl());
      u.searchParams.set(k, v);
      const res = await http.request({ method: 'GET', url: u.href });
      expect(res.status, k).toBe(400);
      expect(res.headers.location).toBeUndefined();
    }
  });
});
