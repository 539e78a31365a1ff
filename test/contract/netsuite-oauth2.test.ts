import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  NETSUITE_DEMO_INTEGRATION,
  type NetSuiteSimulator,
  startNetSuiteSimulator,
} from '../../local/simulators/netsuite';
import { customerSchema } from '../../shared/customer/schema';
import { netsuiteAdapter } from '../../shared/erps/netsuite';
import { clearNetSuiteSuccesses } from '../../shared/erps/netsuite/client';
import { netsuiteConsent } from '../../shared/erps/netsuite/consent';
import type { NetSuiteCredentials } from '../../shared/erps/netsuite/credentials';
import { pkcePair } from '../../shared/erps/oauth2';
import type { OAuthApps } from '../../shared/erps/types';
import { createHttpClient } from '../../shared/http/upstream';
import { adapterContext } from '../helpers/adapter-context';
import { registerSecrets } from '../helpers/leak-guard';

/**
 * NetSuite OAuth 2.0 against the simulator (issue 15 §2-3): client credentials with a JWT client assertion the
 * simulator verifies with the certificate's public key, and the authorization code grant with PKCE.
 */
const REDIRECT = 'https://connect.example.com/connect/oauth/netsuite/callback';
const app = {
  clientId: NETSUITE_DEMO_INTEGRATION.clientId,
  clientSecret: NETSUITE_DEMO_INTEGRATION.clientSecret,
};
const apps: OAuthApps = { get: async (erp) => (erp === 'netsuite' ? app : undefined) };
registerSecrets(app);

let sim: NetSuiteSimulator;
let base: string;
const http = createHttpClient({ defaultTimeoutMs: 2000 });
const endpoints = () => ({ base, authorize: `${sim.url}/{accountId}/app/login/oauth2/authorize.nl` });
const customer = (externalId: string) =>
  customerSchema.parse({
    personType: 'company',
    name: { company: 'Acme Ltd' },
    externalId,
    email: 'a@acme.co',
  });
const ctxFor = (credentials: NetSuiteCredentials, extra: { connectionId?: string } = {}) =>
  adapterContext(netsuiteAdapter, { credentials, endpoints: endpoints(), apps, ...extra });

function keyPair(kind: 'ec' | 'rsa') {
  const pair =
    kind === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
}
const ec = keyPair('ec');
const rsa = keyPair('rsa');
const stranger = keyPair('ec');
registerSecrets([ec.privateKey, rsa.privateKey, stranger.privateKey]);

const m2m = (certificateId: string, privateKey: string): NetSuiteCredentials => ({
  auth: 'oauth2_m2m',
  accountId: '1234567_SB1',
  clientId: NETSUITE_DEMO_INTEGRATION.clientId,
  certificateId,
  privateKey,
  subsidiaryId: '1',
});

beforeAll(async () => {
  sim = await startNetSuiteSimulator();
  base = `${sim.url}/{accountId}`;
  sim.registerRedirectUri(REDIRECT);
  sim.addCertificate({
    clientId: app.clientId,
    certificateId: 'cert-ec-000000000001',
    publicKey: ec.publicKey,
  });
  sim.addCertificate({
    clientId: app.clientId,
    certificateId: 'cert-rsa-00000000001',
    publicKey: rsa.publicKey,
  });
});
afterAll(() => sim.close());
beforeEach(() => {
  clearNetSuiteSuccesses();
  sim.calls.length = 0;
});

describe('NetSuite OAuth 2.0 client credentials (M2M)', () => {
  it.each([
    ['ES256 (EC P-256 key)', 'cert-ec-000000000001', () => ec.privateKey],
    ['PS256 (RSA key)', 'cert-rsa-00000000001', () => rsa.privateKey],
  ])('%s: mints an assertion, gets a Bearer token, creates; the token is reused', async (_n, kid, key) => {
    const before = sim.oauth2Grants().clientCredentials;
    const ctx = ctxFor(m2m(kid, key()));
    expect((await netsuiteAdapter.create(customer(`M2M-${kid}-1`), ctx)).kind).toBe('created');
    expect((await netsuiteAdapter.create(customer(`M2M-${kid}-2`), ctx)).kind).toBe('created');
    expect(sim.oauth2Grants().clientCredentials - before).toBe(1);
    expect(sim.calls.map((c) => [c.method, c.path.replace(/eid:.*/, 'eid:…'), c.status])).toEqual([
      ['POST', '/1234567-sb1/services/rest/auth/oauth2/v1/token', 200],
      ['PUT', '/1234567-sb1/services/rest/record/v1/customer/eid:…', 204],
      ['PUT', '/1234567-sb1/services/rest/record/v1/customer/eid:…', 204],
    ]);
  });

  it('an assertion signed with a key other than the certificate’s is refused (auth), nothing created', async () => {
    const before = sim.customers().length;
    const out = await netsuiteAdapter.create(
      customer('M2M-WRONG'),
      ctxFor(m2m('cert-ec-000000000001', stranger.privateKey)),
    );
    expect(out).toMatchObject({
      kind: 'auth',
      upstream: { erp: 'netsuite', status: 401, code: 'invalid_client' },
    });
    expect(sim.customers().length).toBe(before);
    expect(sim.calls.every((c) => c.path.endsWith('/oauth2/v1/token'))).toBe(true);
  });

  it('an unknown certificate id (kid) is refused', async () => {
    const out = await netsuiteAdapter.verify(ctxFor(m2m('cert-not-mapped-0001', ec.privateKey)));
    expect(out).toMatchObject({ kind: 'auth', upstream: { code: 'invalid_client' } });
  });

  it('a token refused mid-life (401) is replaced once and the call succeeds', async () => {
    const ctx = ctxFor(m2m('cert-ec-000000000001', ec.privateKey), { connectionId: 'renew' });
    expect((await netsuiteAdapter.verify(ctx)).kind).toBe('ok');
    sim.expireAccessTokens();
    expect((await netsuiteAdapter.create(customer('M2M-RENEW'), ctx)).kind).toBe('created');
    expect(sim.calls.map((c) => c.status)).toEqual([200, 200, 401, 200, 204]);
  });
});

describe('NetSuite OAuth 2.0 authorization code with PKCE', () => {
  /** What the browser does on the consent page: allow, and follow the redirect back to us (not followed here). */
  async function consent(url: string, decision = 'allow') {
    const page = await http.request({ method: 'GET', url });
    expect(page.status).toBe(200);
    const hidden = Object.fromEntries(
      [...page.text.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [
        m[1],
        m[2]?.replace(/&amp;/g, '&'),
      ]),
    ) as Record<string, string>;
    const action = /action="([^"]+)"/.exec(page.text)?.[1] as string;
    const res = await http.request({
      method: 'POST',
      url: `${sim.url}${action}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...hidden, decision }).toString(),
    });
    expect(res.status).toBe(302);
    return new URL(res.headers.location as string);
  }

  async function start(state = 'state-0123456789abcdefghijkl') {
    const { verifier, challenge } = pkcePair();
    const url = netsuiteConsent.authorizeUrl({
      endpoint: (n) => endpoints()[n as 'base' | 'authorize'],
      app,
      redirectUri: REDIRECT,
      state,
      codeChallenge: challenge,
      start: { accountId: '1234567_SB1' },
    });
    return { verifier, url };
  }

  const exchange = (callback: URL, verifier: string) =>
    netsuiteConsent.exchange({
      http,
      endpoint: (n) => endpoints()[n as 'base' | 'authorize'],
      now: Date.now,
      app,
      code: callback.searchParams.get('code') ?? '',
      redirectUri: REDIRECT,
      codeVerifier: verifier,
      callback: callback.searchParams,
      start: { accountId: '1234567_SB1', subsidiaryId: '1' },
    });

  it('consent → code → exchange with the verifier → a refresh token that creates customers', async () => {
    const { verifier, url } = await start();
    expect(new URL(url).searchParams.get('code_challenge_method')).toBe('S256');
    expect(new URL(url).searchParams.get('scope')).toBe('rest_webservices');
    const back = await consent(url);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('state-0123456789abcdefghijkl');
    expect(back.searchParams.get('company')).toBe('1234567_SB1');
    const out = await exchange(back, verifier);
    expect(out).toMatchObject({
      kind: 'ok',
      credentials: { auth: 'oauth2', accountId: '1234567_SB1', app: 'operator', subsidiaryId: '1' },
    });
    if (out.kind !== 'ok') return;
    registerSecrets(out.credentials);
    // The refresh token is a JWT: its own exp dates it (7 days in the simulator).
    const exp = (out.credentials as { refreshTokenExpiresAt: number }).refreshTokenExpiresAt;
    expect(Math.abs(exp - (Date.now() + 7 * 86_400_000))).toBeLessThan(60_000);
    const ctx = ctxFor(out.credentials);
    expect((await netsuiteAdapter.create(customer('AUTHCODE-1'), ctx)).kind).toBe('created');
    expect(netsuiteAdapter.credentialsExpiry?.(out.credentials)?.noticeBeforeMs).toBe(2 * 86_400_000);
  });

  it('a code verifier that does not match the challenge is refused (invalid_grant)', async () => {
    const { url } = await start();
    const back = await consent(url);
    const out = await exchange(back, pkcePair().verifier);
    expect(out).toMatchObject({
      kind: 'auth',
      reauthorize: true,
      upstream: { status: 400, code: 'invalid_grant' },
    });
  });

  it('a code is exchanged once: the replay is refused', async () => {
    const { verifier, url } = await start();
    const back = await consent(url);
    expect((await exchange(back, verifier)).kind).toBe('ok');
    expect(await exchange(back, verifier)).toMatchObject({
      kind: 'auth',
      upstream: { code: 'invalid_grant' },
    });
  });

  it('the simulator refuses what NetSuite refuses: plain PKCE, a short state, an unregistered redirect URI', async () => {
    const { url } = await start();
    const variants: [string, string][] = [
      ['code_challenge_method', 'plain'],
      ['state', 'too-short'],
      ['redirect_uri', 'https://evil.example/cb'],
    ];
    for (const [k, v] of variants) {
      const u = new URL(url);
      u.searchParams.set(k, v);
      const res = await http.request({ method: 'GET', url: u.href });
      expect(res.status, k).toBe(400);
    }
  });

  it('a consent given in another account is refused before the exchange', async () => {
    const { verifier, url } = await start();
    const back = await consent(url);
    back.searchParams.set('company', '7654321');
    expect(await exchange(back, verifier)).toMatchObject({
      kind: 'auth',
      upstream: { code: 'account_mismatch' },
    });
  });

  it('a refresh token past its end → invalid_grant → needs_reauth, auth with reauthorize', async () => {
    const { verifier, url } = await start();
    const out = await exchange(await consent(url), verifier);
    if (out.kind !== 'ok') throw new Error('no credentials');
    registerSecrets(out.credentials);
    sim.expireRefreshTokens();
    const ctx = ctxFor(out.credentials, { connectionId: 'expired' });
    const res = await netsuiteAdapter.create(customer('AUTHCODE-EXPIRED'), ctx);
    expect(res).toMatchObject({ kind: 'auth', reauthorize: true, upstream: { code: 'invalid_grant' } });
    expect(ctx.reauth).toHaveLength(1);
  });
});
