import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NETSUITE_DEMO_INTEGRATION } from '../../local/simulators/netsuite';
import { QUICKBOOKS_DEMO_CREDENTIALS } from '../../local/simulators/quickbooks';
import { SIIGO_DEMO_CREDENTIALS } from '../../local/simulators/siigo';
import { type LocalStack, startLocalStack } from '../../local/stack';
import {
  EVENT_TYPE_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifySignature,
} from '../../shared/webhooks/signature';
import { chromiumAvailable, withChromium } from '../helpers/chromium';
import { capture, registerSecrets } from '../helpers/leak-guard';
import { tempDir } from '../helpers/temp';

/**
 * Issue 15 §2, in a real browser: a tenant creates a connect session with the API, its end user opens the link
 * in headless Chromium, fills the ERP's form or consents on the (simulated) ERP's page, lands on the tenant's
 * returnUrl, and the tenant then sees the connection and creates a customer with it. Every page load is checked
 * for requests leaving our origins and for page errors; every page's HTML is captured for the leak guard.
 */
const haveChromium = chromiumAvailable('connect page test');

let stack: LocalStack;
let app: http.Server;
let appUrl = '';
let webhookSecret = '';
const deliveries: { headers: http.IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  stack = await startLocalStack({
    dataDir: tempDir('connect-page-'),
    apiPort: 0,
    dynamoPort: 0,
    sqsPort: 0,
    randomPorts: true,
  });
  // Siigo's API user name is not a secret field of its form: the page writes it back after a refusal (the end
  // user's own typing, in their own browser); its access key never is.
  registerSecrets([
    stack.apiKey,
    QUICKBOOKS_DEMO_CREDENTIALS,
    NETSUITE_DEMO_INTEGRATION,
    SIIGO_DEMO_CREDENTIALS.accessKey,
  ]);
  // The tenant's own application: the return URL the browser lands on, and its webhook receiver.
  app = http.createServer(async (req, res) => {
    let body = '';
    for await (const c of req) body += c;
    if (req.method === 'POST') {
      deliveries.push({ headers: req.headers, body });
      capture('webhook', body);
      res.writeHead(204).end();
      return;
    }
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<!doctype html><title>Back in the app</title><h1>ok</h1>');
  });
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  const put = await api('PUT', '/v1/webhook', { url: `${appUrl}/hooks` });
  webhookSecret = put.json.secret;
  registerSecrets(webhookSecret);
}, 90_000);
afterAll(async () => {
  await new Promise<void>((r) => app?.close(() => r()));
  await stack?.stop();
});

async function api(method: string, p: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.url}${p}`, {
    method,
    headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  // By design two answers carry a secret: the 201 of a session (the link's token, the one place it appears) and
  // the webhook settings' signing secret. Everything else is captured for the leak guard.
  const carriesSecret =
    (method === 'POST' && p === '/v1/connect-sessions') || (method === 'PUT' && p === '/v1/webhook');
  if (!carriesSecret) capture('response', text);
  return { status: res.status, json: text ? JSON.parse(text) : undefined, text };
}

async function newSession(body: Record<string, unknown>) {
  const res = await api('POST', '/v1/connect-sessions', { returnUrl: `${appUrl}/done`, ...body });
  expect(res.status, res.text).toBe(201);
  // From here on the token must never show up anywhere (responses, logs, pages, records).
  registerSecrets(new URL(res.json.url).searchParams.get('token'));
  return res.json as { id: string; url: string; expiresAt: string };
}

async function browser<T>(
  fn: (ctx: BrowserContext, seen: { foreign: string[]; errors: string[] }) => Promise<T>,
) {
  return withChromium(async (context) => {
    const seen = { foreign: [] as string[], errors: [] as string[] };
    const ours = () => [stack.url, appUrl, ...Object.values(stack.simulators).map((s) => s?.url ?? '')];
    context.on('request', (r) => {
      if (!ours().some((o) => o && r.url().startsWith(o))) seen.foreign.push(r.url());
    });
    context.on('page', (p) => p.on('pageerror', (e) => seen.errors.push(e.message)));
    return fn(context, seen);
  });
}

/** Each page we serve is captured for the leak guard and checked for a strict CSP. */
async function ourPage(page: Page) {
  capture('page', await page.content());
}

async function waitForDelivery(type: string, connectionId: string) {
  // Siigo's sandbox is paced at 10 a minute.
  const end = Date.now() + 60_000;
  for (;;) {
    const d = deliveries.find(
      (x) =>
        x.headers[EVENT_TYPE_HEADER] === type && JSON.parse(x.body).connection?.connectionId === connectionId,
    );
    if (d) return d;
    if (Date.now() > end) throw new Error(`no ${type} webhook for ${connectionId}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function createCustomer(erp: string, connectionId: string, body: Record<string, unknown>) {
  const created = await api('POST', '/v1/customers', body, { 'x-erp': erp, 'x-connection': connectionId });
  expect(created.status, created.text).toBe(202);
  const end = Date.now() + 20_000;
  for (;;) {
    const job = await api('GET', `/v1/jobs/${created.json.jobId}`);
    if (['succeeded', 'failed', 'dead_lettered'].includes(job.json.status)) return job.json;
    if (Date.now() > end) return job.json;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(!haveChromium)('the connect page in headless Chromium', () => {
  it('QuickBooks: consent on Intuit (simulated) → back on returnUrl → connection → a customer', async () => {
    const s = await newSession({
      endUser: { id: 'acct-qbo-1' },
      allowedErps: ['quickbooks'],
      environment: 'sandbox',
      locale: 'en',
    });
    const landed = await browser(async (ctx, seen) => {
      const page = await ctx.newPage();
      const first = await page.goto(s.url);
      expect(first?.headers()['content-security-policy']).toContain("script-src 'self'");
      expect(new URL(page.url()).search).toBe(''); // the token left the address bar
      await ourPage(page);
      await expect(page.locator('h1').innerText()).resolves.toBe('QuickBooks Online');
      await page.getByRole('button', { name: 'Continue to QuickBooks Online' }).click();
      await page.waitForURL((u) => u.pathname === '/connect/oauth2');
      await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toContain('Intuit');
      await page.getByLabel(new RegExp(QUICKBOOKS_DEMO_CREDENTIALS.realmId)).check();
      await page.getByRole('button', { name: 'Connect' }).click();
      await page.waitForURL((u) => u.pathname === '/done');
      expect(seen.foreign).toEqual([]);
      expect(seen.errors).toEqual([]);
      return new URL(page.url());
    });
    expect(Object.fromEntries(landed.searchParams)).toEqual({ session: s.id, status: 'completed' });

    const session = await api('GET', `/v1/connect-sessions/${s.id}`);
    expect(session.json).toMatchObject({
      id: s.id,
      status: 'completed',
      erp: 'quickbooks',
      environment: 'sandbox',
    });
    const connectionId = session.json.connectionId as string;
    const conn = await api('GET', `/v1/connections/${connectionId}`);
    expect(conn.json).toMatchObject({ erp: 'quickbooks', status: 'active', environment: 'sandbox' });
    const stored = await stack.connections.get(stack.tenantId, connectionId);
    registerSecrets(stored?.credentials);
    // The connection names the operator's app; its client secret is not copied into it.
    expect(stored?.credentials).toMatchObject({
      app: 'operator',
      realmId: QUICKBOOKS_DEMO_CREDENTIALS.realmId,
    });
    expect(JSON.stringify(stored?.credentials)).not.toContain(QUICKBOOKS_DEMO_CREDENTIALS.clientSecret);

    const job = await createCustomer('quickbooks', connectionId, {
      personType: 'company',
      name: { company: 'Consented Co' },
      email: 'billing@consented.co',
    });
    expect(job).toMatchObject({ status: 'succeeded', erpCustomerId: expect.any(String) });

    const hook = await waitForDelivery('connection.created', connectionId);
    const ok = verifySignature(
      webhookSecret,
      {
        timestamp: hook.headers[TIMESTAMP_HEADER] as string,
        signature: hook.headers[SIGNATURE_HEADER] as string,
      },
      hook.body,
      { nowSeconds: Date.now() / 1000 },
    );
    expect(ok).toBe(true);
    expect(JSON.parse(hook.body)).toMatchObject({
      type: 'connection.created',
      connection: { connectionId, erp: 'quickbooks', status: 'active' },
      session: { id: s.id, endUser: { id: 'acct-qbo-1' } },
    });
  }, 120_000);

  it('Siigo in Spanish: checked in the browser, refused by Siigo in its own words, then connected', async () => {
    const s = await newSession({
      endUser: { id: 'acct-siigo-1' },
      allowedErps: ['siigo', 'alegra'],
      environment: 'sandbox',
    });
    const connectionId = await browser(async (ctx, seen) => {
      await ctx.setExtraHTTPHeaders({ 'accept-language': 'es-CO,es;q=0.9,en;q=0.5' });
      const page = await ctx.newPage();
      await page.goto(s.url);
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('es');
      await page.getByRole('link', { name: 'Siigo Nube' }).click();
      const posts: string[] = [];
      page.on('request', (r) => r.method() === 'POST' && posts.push(r.url()));
      // Nothing typed: the browser refuses with the field's message, and nothing is sent.
      await page.getByRole('button', { name: 'Conectar' }).click();
      const usernameError = page.locator('#credentials-e-username');
      await expect(usernameError.innerText()).resolves.toBe('Este campo es obligatorio.');
      await expect(page.getByLabel('Usuario API').getAttribute('aria-invalid')).resolves.toBe('true');
      expect(posts).toEqual([]);
      // A wrong key: Siigo refuses and the page says so in Siigo's words; the key is not written back.
      await page.getByLabel('Usuario API').fill(SIIGO_DEMO_CREDENTIALS.username);
      await page.getByLabel('Llave de acceso (access key)').fill('bm90LXRoZS1yaWdodC1rZXk=');
      registerSecrets('bm90LXRoZS1yaWdodC1rZXk=');
      await page.getByRole('button', { name: 'Conectar' }).click();
      await page.locator('.alert').waitFor();
      const alert = await page.locator('.alert').innerText();
      expect(alert).toMatch(/^Siigo Nube no aceptó estos datos: «.+»$/);
      await ourPage(page);
      await expect(page.getByLabel('Usuario API').inputValue()).resolves.toBe(
        SIIGO_DEMO_CREDENTIALS.username,
      );
      await expect(page.getByLabel('Llave de acceso (access key)').inputValue()).resolves.toBe('');
      // The right key: connected, back in the app.
      await page.getByLabel('Llave de acceso (access key)').fill(SIIGO_DEMO_CREDENTIALS.accessKey);
      await page.getByRole('button', { name: 'Conectar' }).click();
      await page.waitForURL((u) => u.pathname === '/done');
      expect(new URL(page.url()).searchParams.get('status')).toBe('completed');
      expect(seen.foreign).toEqual([]);
      expect(seen.errors).toEqual([]);
      return (await api('GET', `/v1/connect-sessions/${s.id}`)).json.connectionId as string;
    });
    const job = await createCustomer('siigo', connectionId, {
      personType: 'company',
      name: { company: 'Conectada SAS' },
      identification: { type: 'NIT', number: '900373913' },
      email: 'facturacion@conectada.co',
      billingAddress: { lines: ['Cra. 7 # 71-21'], cityCode: '11001', stateCode: '11', country: 'CO' },
      phones: [{ number: '3006003345' }],
    });
    expect(job.status).toBe('succeeded');
  }, 120_000);

  it('NetSuite: OAuth 2.0 with PKCE on authorize.nl (simulated) → connected → a customer', async () => {
    const s = await newSession({
      endUser: { id: 'acct-ns-1' },
      allowedErps: ['netsuite'],
      environment: 'sandbox',
      locale: 'en',
    });
    await browser(async (ctx, seen) => {
      const page = await ctx.newPage();
      await page.goto(s.url);
      await ourPage(page);
      // The TBA form is there for existing integrations, folded away.
      await expect(page.locator('details summary').innerText()).resolves.toContain(
        'Token-Based Authentication',
      );
      await page.locator('#oauth').getByLabel('Account ID').fill('1234567_SB1');
      await page
        .locator('#oauth')
        .getByLabel(/Subsidiary internal ID/)
        .fill('1');
      await page.getByRole('button', { name: 'Continue to Oracle NetSuite' }).click();
      await page.waitForURL((u) => u.pathname.endsWith('/app/login/oauth2/authorize.nl'));
      const authorize = new URL(page.url());
      expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authorize.searchParams.get('scope')).toBe('rest_webservices');
      await page.getByRole('button', { name: 'Connect' }).click();
      await page.waitForURL((u) => u.pathname === '/done');
      expect(new URL(page.url()).searchParams.get('status')).toBe('completed');
      expect(seen.foreign).toEqual([]);
      expect(seen.errors).toEqual([]);
    });
    const session = await api('GET', `/v1/connect-sessions/${s.id}`);
    const connectionId = session.json.connectionId as string;
    const stored = await stack.connections.get(stack.tenantId, connectionId);
    registerSecrets(stored?.credentials);
    expect(stored?.credentials).toMatchObject({ auth: 'oauth2', accountId: '1234567_SB1', app: 'operator' });
    const job = await createCustomer('netsuite', connectionId, {
      personType: 'company',
      name: { company: 'Oauth Two Ltd' },
      externalId: 'CRM-OAUTH2-1',
      email: 'ap@oauthtwo.example',
    });
    expect(job.status).toBe('succeeded');
  }, 120_000);

  it('the link opens once: a second browser gets "already used", and the first keeps its page', async () => {
    const s = await newSession({ endUser: { id: 'acct-once' }, allowedErps: ['alegra'], locale: 'en' });
    await browser(async (ctx) => {
      const page = await ctx.newPage();
      await page.goto(s.url);
      await expect(page.locator('h1').innerText()).resolves.toBe('Alegra');
      await browser(async (other) => {
        const p2 = await other.newPage();
        const res = await p2.goto(s.url);
        expect(res?.status()).toBe(410);
        await expect(p2.locator('h1').innerText()).resolves.toBe('This link was already used');
        await ourPage(p2);
      });
      await page.reload();
      await expect(page.locator('h1').innerText()).resolves.toBe('Alegra');
    });
  }, 120_000);
});
