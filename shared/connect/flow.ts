import type { ConnectionStore } from '../connections/store';
import { storeConnection } from '../connections/store-verified';
import type { AdapterRuntime } from '../erps/context';
import { resolveEndpoint } from '../erps/endpoints';
import { pkcePair } from '../erps/oauth2';
import type { ErpAdapter, ErpId, FailureOutcome, OAuthApps } from '../erps/types';
import { issuesFromZod } from '../errors';
import { callbackUrlIssue, type UrlPolicy } from '../webhooks/url-policy';
import type { Log } from '../worker/deps';
import { type ConnectionEventSink, connectionEventId, publicConnection } from './events';
import type { ConnectionNoticeStore } from './notices';
import { CONNECT_CSS, CONNECT_JS } from './page/assets';
import { fieldErrors, formFields, formValues } from './page/fields';
import { MESSAGES, pickLocale } from './page/messages';
import { alertBox, esc, layout, listPage, messagePage, oauthButton, schemaForm } from './page/render';
import {
  type ConnectSession,
  type ConnectSessionStore,
  hashSecret,
  type Locale,
  MAX_ATTEMPTS,
  matchesHash,
  newSecret,
  OAUTH_TTL_MS,
  statusAt,
} from './session';

/** A request to the connect page, whatever carried it (API Gateway or the local server). */
export interface PageRequest {
  method: string;
  path: string;
  query: Record<string, string | undefined>;
  /** Lower-cased names. */
  headers: Record<string, string | undefined>;
  body?: string;
  cookies: Record<string, string>;
  requestId: string;
}

export interface PageResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Set-Cookie values. */
  cookies?: string[];
}

export interface ConnectDeps extends Omit<AdapterRuntime, 'connections' | 'apps'> {
  sessions: ConnectSessionStore;
  /** The tenant connections (Secrets Manager), written as PUT /v1/connections writes them. */
  connections: ConnectionStore;
  notices?: ConnectionNoticeStore;
  events?: ConnectionEventSink;
  adapters: { get(name: string): ErpAdapter<unknown> | undefined };
  apps: OAuthApps;
  /** The URL rules of webhooks, applied again to `returnUrl` at redirect time. */
  policy: UrlPolicy;
  /** Where this page is served (the OAuth redirect URI is built from it). */
  baseUrl: (req: PageRequest) => string;
  log: Log;
  clock?: () => Date;
}

const SESSION_PATH = /^\/connect\/([0-9a-f-]{36})$/;
const ACTION_PATH = /^\/connect\/([0-9a-f-]{36})\/erps\/([a-z]+)\/(credentials|oauth)$/;
const CALLBACK_PATH = /^\/connect\/oauth\/([a-z]+)\/callback$/;

export const cookieName = (sessionId: string) => `erpb_cs_${sessionId.replace(/-/g, '')}`;
/** The OAuth redirect URI an operator registers with the ERP (Intuit, NetSuite's integration record). */
export const callbackPath = (erp: ErpId) => `/connect/oauth/${erp}/callback`;

/** The origin of an endpoint template (`https://{accountId}.app.netsuite.com/…` → `https://*.app.netsuite.com`). */
function originOf(template: string): string | undefined {
  return /^(https?:\/\/[^/?#]+)/.exec(template.replaceAll('{accountId}', '*'))?.[1];
}

/**
 * Strict CSP: nothing but our own files; forms may post to us and be redirected on to the ERPs' consent pages
 * and to the session's return URL (Chrome applies form-action to the redirects of a form submission).
 */
function headersFor(formTargets: string[], type = 'text/html; charset=utf-8'): Record<string, string> {
  const formAction = ["'self'", ...new Set(formTargets)].join(' ');
  return {
    'content-type': type,
    'cache-control': 'no-store',
    'content-security-policy': `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  };
}

class Page {
  readonly now: Date;
  constructor(
    readonly req: PageRequest,
    readonly deps: ConnectDeps,
  ) {
    this.now = deps.clock?.() ?? new Date();
  }
  locale(session?: ConnectSession): Locale {
    const formLang = this.req.method === 'POST' ? new URLSearchParams(this.req.body ?? '').get('lang') : null;
    return pickLocale(
      this.req.query.lang ?? formLang ?? undefined,
      session?.locale,
      this.req.headers['accept-language'],
    );
  }
  targets(session?: ConnectSession): string[] {
    const out: string[] = [];
    for (const erp of session?.allowedErps ?? []) {
      const a = this.deps.adapters.get(erp);
      if (!a?.connect?.oauth || !a.endpoints.authorize) continue;
      const origin = originOf(
        resolveEndpoint(a, 'authorize', session?.environment ?? 'production', this.deps.env),
      );
      if (origin) out.push(origin);
    }
    if (session?.returnUrl) out.push(new URL(session.returnUrl).origin);
    return out;
  }
  html(status: number, body: string, session?: ConnectSession, cookies?: string[]): PageResponse {
    return { status, headers: headersFor(this.targets(session)), body, ...(cookies ? { cookies } : {}) };
  }
  redirect(location: string, session?: ConnectSession, cookies?: string[]): PageResponse {
    return {
      status: 303,
      headers: { ...headersFor(this.targets(session)), location },
      body: '',
      ...(cookies ? { cookies } : {}),
    };
  }
  message(status: number, l: Locale, heading: string, text: string, session?: ConnectSession) {
    return this.html(status, messagePage({ locale: l, title: heading }, heading, text), session);
  }
  cookie(session: ConnectSession, value: string, maxAgeSeconds: number): string {
    const secure = this.deps.baseUrl(this.req).startsWith('https:') ? '; Secure' : '';
    return `${cookieName(session.id)}=${value}; Path=/connect; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}; HttpOnly; SameSite=Lax${secure}`;
  }
}

/** One request to the connect page (functions/connect): static assets, the session's pages, the OAuth callbacks. */
export async function handleConnect(req: PageRequest, deps: ConnectDeps): Promise<PageResponse> {
  const p = new Page(req, deps);
  try {
    return await route(p);
  } catch (e) {
    deps.log.error('connect page error', { requestId: req.requestId, error: (e as Error).name });
    const m = MESSAGES[p.locale()];
    return p.message(500, p.locale(), m.failedTitle, m.erpUnreachable('ERP Bridge'));
  }
}

async function route(p: Page): Promise<PageResponse> {
  const { method, path } = p.req;
  if (path === '/connect/assets/connect.css' || path === '/connect/assets/connect.js') {
    const css = path.endsWith('.css');
    return {
      status: 200,
      headers: {
        ...headersFor([], css ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8'),
        'cache-control': 'public, max-age=3600',
      },
      body: css ? CONNECT_CSS : CONNECT_JS,
    };
  }
  const l = p.locale();
  const m = MESSAGES[l];
  if (path === '/connect/quickbooks/reconnect') return p.message(200, l, m.reconnectTitle, m.reconnect);
  const callback = CALLBACK_PATH.exec(path);
  if (callback && method === 'GET') return oauthCallback(p, callback[1] as string);
  const page = SESSION_PATH.exec(path);
  if (page && method === 'GET')
    return p.req.query.token ? open(p, page[1] as string) : show(p, page[1] as string);
  const action = ACTION_PATH.exec(path);
  if (action && method === 'POST') {
    const [, id, erp, kind] = action as unknown as [string, string, string, string];
    return kind === 'credentials' ? submitCredentials(p, id, erp) : startOAuth(p, id, erp);
  }
  return p.message(page || action || callback ? 405 : 404, l, m.notFoundTitle, m.notFound);
}

/** The link was opened: the token is spent and this browser gets the session's cookie (then the token leaves the URL). */
async function open(p: Page, id: string): Promise<PageResponse> {
  const session = await p.deps.sessions.get(id);
  const l = p.locale(session);
  const m = MESSAGES[l];
  if (!session || !matchesHash(p.req.query.token, session.tokenHash)) {
    return p.message(404, l, m.notFoundTitle, m.notFound);
  }
  const status = statusAt(session, p.now);
  if (status !== 'pending') return ended(p, session, l);
  if (session.openedAt) return p.message(410, l, m.usedTitle, m.used, session);
  const browser = newSecret();
  const next: ConnectSession = {
    ...session,
    openedAt: p.now.toISOString(),
    browserHash: hashSecret(browser),
    version: session.version + 1,
  };
  if (!(await p.deps.sessions.replace(next))) return p.message(410, l, m.usedTitle, m.used, session);
  p.deps.log.info('connect session opened', { sessionId: id, tenantId: session.tenantId });
  const maxAge = (Date.parse(session.expiresAt) - p.now.getTime()) / 1000;
  const lang = p.req.query.lang ? `?lang=${l}` : '';
  return p.redirect(`/connect/${id}${lang}`, next, [p.cookie(next, browser, maxAge)]);
}

/** The session, if this browser is the one that opened its link and it is still pending; else the page to show. */
async function guard(
  p: Page,
  id: string,
): Promise<{ session: ConnectSession; l: Locale } | { page: PageResponse }> {
  const session = await p.deps.sessions.get(id);
  const l = p.locale(session);
  const m = MESSAGES[l];
  if (!session?.browserHash || !matchesHash(p.req.cookies[cookieName(id)], session.browserHash)) {
    return {
      page: p.message(
        session?.openedAt ? 403 : 404,
        l,
        session?.openedAt ? m.usedTitle : m.notFoundTitle,
        session?.openedAt ? m.used : m.notFound,
        session,
      ),
    };
  }
  if (statusAt(session, p.now) !== 'pending') return { page: ended(p, session, l) };
  return { session, l };
}

/** A session that is no longer pending: where it ended. */
function ended(p: Page, session: ConnectSession, l: Locale): PageResponse {
  const m = MESSAGES[l];
  const status = statusAt(session, p.now);
  if (status === 'completed') {
    const erp = session.erp ? (p.deps.adapters.get(session.erp)?.displayName ?? session.erp) : '';
    return p.message(200, l, m.doneTitle, m.done(erp), session);
  }
  if (status === 'failed') return p.message(410, l, m.failedTitle, m.failed, session);
  return p.message(410, l, m.expiredTitle, m.expired, session);
}

async function show(p: Page, id: string): Promise<PageResponse> {
  const g = await guard(p, id);
  if ('page' in g) return g.page;
  const { session, l } = g;
  const chosen = p.req.query.erp;
  const only = session.allowedErps.length === 1 ? session.allowedErps[0] : undefined;
  const erp = only ?? session.allowedErps.find((e) => e === chosen);
  if (!erp) {
    const adapters = session.allowedErps.flatMap((e) => p.deps.adapters.get(e) ?? []);
    const html = listPage(
      { locale: l, title: MESSAGES[l].title, switchHref: `/connect/${id}?lang=${l === 'es' ? 'en' : 'es'}` },
      `/connect/${id}`,
      adapters,
    );
    return p.html(200, html, session);
  }
  return p.html(200, await erpPage(p, session, erp, l, {}), session);
}

interface ErpPageState {
  form?: { values?: Record<string, string>; errors?: Record<string, string> };
  oauth?: { values?: Record<string, string>; errors?: Record<string, string> };
  alert?: string;
}

/** One ERP's page: its credentials form (from the schema) and/or its consent button. */
async function erpPage(
  p: Page,
  s: ConnectSession,
  erp: ErpId,
  l: Locale,
  state: ErpPageState,
): Promise<string> {
  const m = MESSAGES[l];
  const adapter = p.deps.adapters.get(erp) as ErpAdapter<unknown>;
  const name = adapter.displayName;
  const base = `/connect/${s.id}`;
  const oauthApp = adapter.connect?.oauth ? await p.deps.apps.get(erp, s.environment) : undefined;
  const parts: string[] = [`<h1>${esc(name)}</h1>`];
  if (s.reconnect) parts.push(`<p>${esc(m.reconnectIntro(name))}</p>`);
  if (state.alert) parts.push(alertBox(state.alert));
  const oauth = adapter.connect?.oauth;
  if (oauth && oauthApp) {
    if (adapter.connect?.form) parts.push(`<h2>${esc(m.netsuiteOAuth)}</h2>`);
    parts.push(`<p>${esc(m.oauthIntro(name))}</p>`);
    parts.push(
      oauth.startFields
        ? schemaForm({
            id: 'oauth',
            locale: l,
            action: `${base}/erps/${erp}/oauth`,
            schema: oauth.startFields,
            button: m.continueTo(name),
            state: state.oauth,
          })
        : oauthButton({
            id: 'oauth',
            locale: l,
            action: `${base}/erps/${erp}/oauth`,
            label: m.continueTo(name),
          }),
    );
  } else if (oauth && !adapter.connect?.form) {
    parts.push(`<p>${esc(m.notConfigured(name))}</p>`);
  }
  const form = adapter.connect?.form;
  if (form) {
    const html = schemaForm({
      id: 'credentials',
      locale: l,
      action: `${base}/erps/${erp}/credentials`,
      schema: form,
      button: m.connect,
      state: state.form,
    });
    parts.push(
      oauth && oauthApp
        ? `<details${state.form ? ' open' : ''}><summary>${esc(m.netsuiteTba)}</summary>${html}</details>`
        : html,
    );
  }
  if (s.allowedErps.length > 1) parts.push(`<p><a href="${base}?lang=${l}">${esc(m.otherErp)}</a></p>`);
  return layout(
    {
      locale: l,
      title: `${name} — ${m.title}`,
      switchHref: `${base}?erp=${erp}&lang=${l === 'es' ? 'en' : 'es'}`,
    },
    parts.join('\n'),
  );
}

/** The session's ERP named in the path, when it offers it. */
function allowedAdapter(s: ConnectSession, erp: string, deps: ConnectDeps) {
  return s.allowedErps.includes(erp as ErpId) ? deps.adapters.get(erp) : undefined;
}

/** POST of a credentials form: checked with the ERP's schema, proven upstream, stored, then back to the tenant. */
async function submitCredentials(p: Page, id: string, erp: string): Promise<PageResponse> {
  const g = await guard(p, id);
  if ('page' in g) return g.page;
  const { session, l } = g;
  const m = MESSAGES[l];
  const adapter = allowedAdapter(session, erp, p.deps);
  const schema = adapter?.connect?.form;
  if (!adapter || !schema) return p.message(404, l, m.notFoundTitle, m.notFound, session);
  const fields = formFields(schema, l);
  const values = formValues(p.req.body, fields);
  const shown = Object.fromEntries(
    Object.entries(values).filter(([k]) => !fields.find((f) => f.name === k)?.secret),
  );
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    const errors = fieldErrors(issuesFromZod(parsed.error), fields, m);
    const page = await erpPage(p, session, adapter.id, l, {
      form: { values: shown, errors },
      alert: m.fixErrors,
    });
    return p.html(422, page, session);
  }
  const credentials = adapter.credentialsSchema.parse(parsed.data);
  return complete(p, session, adapter, credentials, l, (alert) =>
    erpPage(p, session, adapter.id, l, { form: { values: shown }, alert }),
  );
}

/** POST that starts a consent: a single-use state bound to this session and browser, PKCE where the ERP takes it. */
async function startOAuth(p: Page, id: string, erp: string): Promise<PageResponse> {
  const g = await guard(p, id);
  if ('page' in g) return g.page;
  const { session, l } = g;
  const m = MESSAGES[l];
  const adapter = allowedAdapter(session, erp, p.deps);
  const oauth = adapter?.connect?.oauth;
  if (!adapter || !oauth) return p.message(404, l, m.notFoundTitle, m.notFound, session);
  const app = await p.deps.apps.get(adapter.id, session.environment);
  if (!app) return p.message(503, l, m.failedTitle, m.notConfigured(adapter.displayName), session);
  let start: Record<string, string> = {};
  if (oauth.startFields) {
    const fields = formFields(oauth.startFields, l);
    const values = formValues(p.req.body, fields);
    const parsed = oauth.startFields.safeParse(values);
    if (!parsed.success) {
      const errors = fieldErrors(issuesFromZod(parsed.error), fields, m);
      const page = await erpPage(p, session, adapter.id, l, {
        oauth: { values, errors },
        alert: m.fixErrors,
      });
      return p.html(422, page, session);
    }
    start = Object.fromEntries(
      Object.entries(parsed.data).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
  }
  const state = `${session.id}.${newSecret()}`;
  const pkce = oauth.pkce ? pkcePair() : undefined;
  const redirectUri = `${p.deps.baseUrl(p.req)}${callbackPath(adapter.id)}`;
  const next: ConnectSession = {
    ...session,
    oauth: {
      erp: adapter.id,
      stateHash: hashSecret(state),
      ...(pkce ? { codeVerifier: pkce.verifier } : {}),
      redirectUri,
      start,
      expiresAt: new Date(p.now.getTime() + OAUTH_TTL_MS).toISOString(),
    },
    version: session.version + 1,
  };
  if (!(await p.deps.sessions.replace(next))) return p.message(409, l, m.badStateTitle, m.badState, session);
  const url = oauth.authorizeUrl({
    endpoint: (name) => resolveEndpoint(adapter, name, session.environment, p.deps.env),
    app,
    redirectUri,
    state,
    ...(pkce ? { codeChallenge: pkce.challenge } : {}),
    start,
  });
  p.deps.log.info('connect consent started', { sessionId: id, erp: adapter.id });
  return p.redirect(url, next);
}

/**
 * The ERP sent the browser back. The state names the session and must be the one issued for it (compared by
 * hash), still unused and unexpired, to the same browser (its cookie): it is spent before the code is used, so a
 * replayed callback finds nothing. Then the code is exchanged, proven and stored like a credentials form.
 */
async function oauthCallback(p: Page, erp: string): Promise<PageResponse> {
  const q = p.req.query;
  const state = q.state ?? '';
  const id = state.split('.')[0] ?? '';
  const loaded = /^[0-9a-f-]{36}$/.test(id) ? await p.deps.sessions.get(id) : undefined;
  const l = p.locale(loaded);
  const m = MESSAGES[l];
  const bad = (status: number) => p.message(status, l, m.badStateTitle, m.badState, loaded);
  const flight = loaded?.oauth;
  if (!loaded || !flight || flight.erp !== erp || !matchesHash(state, flight.stateHash)) return bad(400);
  if (!matchesHash(p.req.cookies[cookieName(id)], loaded.browserHash)) return bad(403);
  if (statusAt(loaded, p.now) !== 'pending') return ended(p, loaded, l);
  if (Date.parse(flight.expiresAt) <= p.now.getTime()) return bad(400);
  const session: ConnectSession = { ...loaded, oauth: undefined, version: loaded.version + 1 };
  if (!(await p.deps.sessions.replace(session))) return bad(400);
  const adapter = allowedAdapter(session, erp, p.deps);
  const oauth = adapter?.connect?.oauth;
  if (!adapter || !oauth) return bad(400);
  const name = adapter.displayName;
  const retry = (alert: string) => erpPage(p, session, adapter.id, l, { alert });
  if (q.error) {
    if (q.error === 'access_denied')
      return fail(p, session, 'consent_denied', `the end user declined at ${name}`, l);
    return p.html(400, await retry(m.consentFailed(name, q.error_description ?? q.error)), session);
  }
  const app = await p.deps.apps.get(adapter.id, session.environment);
  if (!app || !q.code) return p.html(400, await retry(m.consentFailed(name, 'no code')), session);
  const exchanged = await oauth.exchange({
    http: p.deps.http,
    endpoint: (n) => resolveEndpoint(adapter, n, session.environment, p.deps.env),
    now: () => Date.now(),
    app,
    code: q.code,
    redirectUri: flight.redirectUri,
    ...(flight.codeVerifier ? { codeVerifier: flight.codeVerifier } : {}),
    callback: new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined)),
    start: flight.start,
  });
  if (exchanged.kind !== 'ok') {
    p.deps.log.warn('connect consent refused', { sessionId: id, erp, code: exchanged.upstream.code });
    return p.html(400, await retry(m.consentFailed(name, exchanged.upstream.message)), session);
  }
  return complete(p, session, adapter, exchanged.credentials, l, retry);
}

/** A session that cannot go on: failed with a reason the tenant reads, and the browser back to the return URL. */
async function fail(
  p: Page,
  s: ConnectSession,
  code: string,
  message: string,
  l: Locale,
): Promise<PageResponse> {
  const m = MESSAGES[l];
  const next: ConnectSession = { ...s, status: 'failed', failure: { code, message }, version: s.version + 1 };
  await p.deps.sessions.replace(next);
  p.deps.log.info('connect session failed', { sessionId: s.id, tenantId: s.tenantId, code });
  return backToTenant(p, next, 'failed', () => p.message(410, l, m.failedTitle, m.failed, next));
}

/** Sends the browser to `returnUrl?session=<id>&status=…` (re-checked against the URL policy), else a page. */
function backToTenant(
  p: Page,
  s: ConnectSession,
  status: 'completed' | 'failed',
  page: () => PageResponse,
): PageResponse {
  const clear = [p.cookie(s, '', 0)];
  if (!s.returnUrl || callbackUrlIssue(s.returnUrl, p.deps.policy, '/returnUrl')) {
    return { ...page(), cookies: clear };
  }
  const url = new URL(s.returnUrl);
  url.searchParams.set('session', s.id);
  url.searchParams.set('status', status);
  return p.redirect(url.href, s, clear);
}

/**
 * Stores the credentials as PUT /v1/connections?verify=true would (proven first; a reconnect keeps its company),
 * completes the session, tells the tenant (connection.created / connection.updated) and sends the browser back.
 * A refusal re-renders the page with the ERP's own words; too many fail the session.
 */
async function complete(
  p: Page,
  session: ConnectSession,
  adapter: ErpAdapter<unknown>,
  credentials: unknown,
  l: Locale,
  again: (alert: string) => Promise<string>,
): Promise<PageResponse> {
  const m = MESSAGES[l];
  const name = adapter.displayName;
  const { tenantId, connectionId } = session;
  if (session.reconnect) {
    const existing = await p.deps.connections.get(tenantId, connectionId);
    const before = existing && adapter.credentialsSchema.safeParse(existing.credentials);
    if (!existing || existing.erp !== adapter.id) {
      return fail(p, session, 'connection_not_found', `connection ${connectionId} no longer exists`, l);
    }
    if (
      adapter.companyOf &&
      before?.success &&
      adapter.companyOf(before.data) !== adapter.companyOf(credentials)
    ) {
      return p.html(422, await again(m.otherCompany(name)), session);
    }
  }
  const stored = await storeConnection(
    { ...p.deps, connections: p.deps.connections },
    { tenantId, connectionId, adapter, environment: session.environment, credentials, verify: true },
  );
  if (stored.kind === 'refused') return refused(p, session, adapter, stored.outcome, l, again);
  const done: ConnectSession = {
    ...session,
    status: 'completed',
    erp: adapter.id,
    completedAt: p.now.toISOString(),
    version: session.version + 1,
  };
  await p.deps.sessions.replace(done);
  await p.deps.notices
    ?.putOrigin(tenantId, connectionId, {
      endUser: session.endUser,
      ...(session.returnUrl ? { returnUrl: session.returnUrl } : {}),
      ...(session.locale ? { locale: session.locale } : {}),
    })
    .catch((e) => p.deps.log.warn('connection origin not kept', { error: (e as Error).name }));
  const type = stored.existed ? 'connection.updated' : 'connection.created';
  await p.deps.events
    ?.publish(tenantId, {
      type,
      eventId: connectionEventId(tenantId, connectionId, type, session.id),
      occurredAt: p.now.toISOString(),
      connection: publicConnection(stored.meta),
      session: { id: session.id, endUser: session.endUser },
    })
    // The session records the outcome; GET /v1/connect-sessions/{id} tells it if the webhook cannot be queued.
    .catch((e) =>
      p.deps.log.error('connection event not queued', { sessionId: session.id, error: (e as Error).name }),
    );
  p.deps.log.info('connect session completed', {
    sessionId: session.id,
    tenantId,
    connectionId,
    erp: adapter.id,
  });
  return backToTenant(p, done, 'completed', () => p.message(200, l, m.doneTitle, m.done(name), done));
}

/** The ERP refused: its words on the page; the session counts the attempt and fails after MAX_ATTEMPTS. */
async function refused(
  p: Page,
  session: ConnectSession,
  adapter: ErpAdapter<unknown>,
  outcome: FailureOutcome,
  l: Locale,
  again: (alert: string) => Promise<string>,
): Promise<PageResponse> {
  const m = MESSAGES[l];
  const name = adapter.displayName;
  if (outcome.kind === 'transient' || outcome.kind === 'unknown' || outcome.kind === 'rate_limited') {
    return p.html(503, await again(m.erpUnreachable(name)), session);
  }
  const attempts = session.attempts + 1;
  p.deps.log.info('connect credentials refused', { sessionId: session.id, erp: adapter.id, attempts });
  if (attempts >= MAX_ATTEMPTS) {
    return fail(p, session, 'too_many_attempts', `${name} refused ${attempts} sets of credentials`, l);
  }
  const next = { ...session, attempts, version: session.version + 1 };
  await p.deps.sessions.replace(next);
  return p.html(422, await again(m.erpRefused(name, outcome.upstream.message)), next);
}

/** `a=1; b=2` (the Cookie header, or API Gateway's `cookies` joined) → {a: '1', b: '2'}. */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}
