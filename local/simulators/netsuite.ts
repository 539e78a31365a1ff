import type { NetSuiteTbaCredentials } from '../../shared/erps/netsuite/credentials';
import { subdivisionsOf } from '../../shared/geo/subdivisions';
import {
  createConcurrencyLimiter,
  isAsciiEmail,
  type ListenOptions,
  type SimRequest,
  type SimResponse,
  type Simulator,
  startSimulator,
} from './kit';
import { parseOAuthHeader, verifyOAuthSignature } from './netsuite-oauth';
import { type NetSuiteIntegration, netsuiteOAuth2 } from './netsuite-oauth2';

/**
 * NetSuite SuiteTalk REST simulator (../shared/erp/netsuite.md, simulators.md): TBA (OAuth 1.0a) verified on
 * every call — HMAC-SHA256 only, realm must be the canonical account id and match the host-form account, nonce
 * replay and clock skew refused — all as 401 INVALID_LOGIN with NetSuite's verbatim body. Records:
 * `POST /record/v1/customer` → 204 + Location; `PUT /customer/eid:{ext}` upsert → 204 + Location;
 * `GET /customer/{id|eid:ext}` → 200/404; `GET /customer?q=…&limit=&offset=` → ids; unknown fields with
 * `X-NetSuite-PropertyNameValidation: Error` → 400 with `o:errorPath`; duplicate entityId → 400 USER_ERROR;
 * an account concurrency semaphore → 429; `Prefer: respond-async` → 202 + job Location, a repeated
 * `X-NetSuite-Idempotency-Key` → IDEMPOTENCY_ERROR.
 *
 * The account is addressed like the real host (`1234567-sb1.suitetalk…`): here as the first path segment
 * (`http://127.0.0.1:<port>/1234567-sb1/services/rest/…`, i.e. NETSUITE_BASE_URL=`<url>/{accountId}`), or by a
 * `Host` of the form `<account>.…`, or — with one account only — implicitly.
 *
 * UNCONFIRMED upstream, so configurable or tolerant here: the REST error codes of the duplicate entityId and
 * of the 429, the idempotency-conflict status, whether `country` is written as "CO" or {"id":"CO"} (both taken).
 */
/** The shipped States/Provinces/Counties short names of the countries the simulator validates (ISO 3166-2 suffixes). */
const STATE_SHORT_NAMES: Record<string, Set<string>> = Object.fromEntries(
  ['US', 'CA', 'AU'].map((c) => [c, new Set(subdivisionsOf(c).map((s) => s.suffix))]),
);

export const NETSUITE_DEMO_CREDENTIALS: NetSuiteTbaCredentials = {
  accountId: '1234567_SB1',
  consumerKey: 'demo-ns-consumer-key-0123456789abcdef',
  consumerSecret: 'demo-ns-consumer-secret-0123456789abcdef',
  tokenId: 'demo-ns-token-id-0123456789abcdef',
  tokenSecret: 'demo-ns-token-secret-0123456789abcdef',
  subsidiaryId: '1',
};

/**
 * The demo account's OAuth 2.0 integration record (authorization code; the local stack's operator integration).
 * M2M certificates are mapped with `addCertificate`; redirect URIs registered with `registerRedirectUri`.
 */
export const NETSUITE_DEMO_INTEGRATION = {
  accountId: '1234567_SB1',
  clientId: 'demo-ns-oauth2-client-id-0123456789abcdef0123456789abcdef',
  clientSecret: 'demo-ns-oauth2-client-secret-0123456789abcdef0123456789',
};

export interface NetSuiteSimAccount {
  /** Canonical account id (`1234567_SB1`). */
  accountId: string;
  consumerKey: string;
  consumerSecret: string;
  tokenId: string;
  tokenSecret: string;
  /** OneWorld accounts require `subsidiary` (default true); these internal ids exist (default ['1']). */
  oneWorld?: boolean;
  subsidiaries?: string[];
}

export interface NetSuiteSimulatorOptions {
  /** Accounts and their one access token each (default: the demo account). */
  accounts?: NetSuiteSimAccount[];
  /** OAuth 2.0 integration records (default: NETSUITE_DEMO_INTEGRATION, no redirect URI, no certificate). */
  integrations?: NetSuiteIntegration[];
  /** Life of OAuth 2.0 refresh tokens (default 7 days). */
  refreshTokenTtlMs?: number;
  /** Concurrent requests per account (default 5, the shared service tier). */
  concurrency?: number;
  /** Time each record call holds its concurrency slot (default 0). */
  latencyMs?: number;
  /** Without Auto-Generated Numbering an entityId must be sent (default false: numbers are generated). */
  requireEntityId?: boolean;
  /**
   * Refuse a request over the concurrency limit as 401 INVALID_LOGIN, NetSuite's verbatim bad-credentials body,
   * instead of 429 — what integrations report under concurrency (julbrs/netsuite-api-client#26). Default false.
   */
  invalidLoginUnderConcurrency?: boolean;
  /** Accepted clock skew of oauth_timestamp, seconds (default 300). */
  maxSkewSeconds?: number;
  /** HTTP status of a repeated idempotency key (default 409, title "Conflict"). */
  idempotencyConflictStatus?: 400 | 409;
  /**
   * The "Allow Free-Form States in Addresses" preference (default false, as shipped): when off, NetSuite checks an
   * address's `state` against the country's States/Provinces/Counties short names (US, Canada and Australia
   * here, whose short names are the postal abbreviations, e.g. "CA"): "California" or a state of another
   * country is an invalid field value. Other countries' states are free text.
   */
  freeFormStates?: boolean;
  now?: () => number;
}

export type NetSuiteSimCustomer = Record<string, unknown> & {
  id: string;
  account: string;
  entityId: string;
  externalId?: string;
  dateCreated: string;
  lastModifiedDate: string;
};

export type NetSuiteSimulator = Simulator & {
  customers(account?: string): NetSuiteSimCustomer[];
  /** Registers a redirect URI on every integration record (Setup > Integration > Manage Integrations). */
  registerRedirectUri(uri: string): void;
  /** Maps an M2M certificate (its public key or X.509 certificate, PEM) to an integration of its account. */
  addCertificate(c: { clientId: string; certificateId: string; publicKey: string }): void;
  /** OAuth 2.0 grants served so far, by type. */
  oauth2Grants(): { authorizationCode: number; refresh: number; clientCredentials: number };
  expireRefreshTokens(): void;
  expireAccessTokens(): void;
  /** Number of upserts that updated an existing record instead of creating one. */
  upsertUpdates(): number;
};

const hostForm = (accountId: string) => accountId.toLowerCase().replace(/_/g, '-');
const ERR_TYPE = 'https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.1';

function nsError(
  status: number,
  title: string,
  detail: string,
  code: string,
  extra: Record<string, string> = {},
): SimResponse {
  return {
    status,
    headers: { 'content-type': 'application/vnd.oracle.resource+json; type=error; charset=UTF-8' },
    body: { type: ERR_TYPE, title, status, 'o:errorDetails': [{ detail, 'o:errorCode': code, ...extra }] },
  };
}

// NetSuite's verbatim 401 (NS-ERR): the same body whatever went wrong, so a client learns nothing from it.
const invalidLogin = (): SimResponse => ({
  status: 401,
  headers: { 'content-type': 'application/vnd.oracle.resource+json; type=error; charset=UTF-8' },
  body: {
    type: 'https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html',
    title: 'Unauthorized',
    status: 401,
    'o:errorDetails': [
      {
        detail:
          'Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.',
        'o:errorCode': 'INVALID_LOGIN',
      },
    ],
  },
});

const invalidContent = (detail: string, path: string) =>
  nsError(400, 'Bad Request', `Error while accessing a resource. ${detail}`, 'INVALID_CONTENT', {
    'o:errorPath': path,
  });
const userError = (detail: string, path?: string) =>
  nsError(
    400,
    'Bad Request',
    `Error while accessing a resource. ${detail}`,
    'USER_ERROR',
    path ? { 'o:errorPath': path } : {},
  );

/** Writable body fields of the customer record (NS-OAS Customer.md, the standard fields of the generated schema). */
const BODY_FIELDS = new Set(
  (
    'entityId autoName altName isPerson companyName salutation firstName middleName lastName title subsidiary ' +
    'externalId email altEmail phone altPhone mobilePhone homePhone fax url comments currency terms category ' +
    'customForm salesRep priceLevel parent isInactive vatRegNumber addressBook accountNumber resaleNumber ' +
    'printOnCheckAs creditLimit openingBalance openingBalanceDate estimatedBudget defaultOrderPriority reminderDays ' +
    'startDate endDate emailTransactions faxTransactions printTransactions shipComplete giveAccess sendEmail ' +
    'isBudgetApproved overrideCurrencyFormat displaySymbol thirdPartyAcct thirdPartyZipCode password password2 ' +
    'territory partner leadSource entityStatus receivablesAccount shippingItem openingBalanceAccount ' +
    'defaultBankAccount prefCcProcessor salesReadiness buyingReason buyingTimeFrame campaignCategory campaignEvent ' +
    'sourceWebSite assignedWebSite image billingRateCard language emailPreference globalSubscriptionStatus ' +
    'symbolPlacement negativeNumberFormat numberFormat shippingCarrier thirdPartyCarrier thirdPartyCountry ' +
    'alcoholRecipientType contactRoles groupPricing itemPricing campaigns'
  ).split(' '),
);
const ITEM_FIELDS = new Set([
  'defaultBilling',
  'defaultShipping',
  'isResidential',
  'label',
  'addressBookAddress',
]);
const ADDRESS_FIELDS = new Set([
  'addressee',
  'attention',
  'addr1',
  'addr2',
  'addr3',
  'city',
  'state',
  'zip',
  'country',
  'addrPhone',
  'override',
]);
const MAX: Record<string, number> = {
  entityId: 83,
  companyName: 83,
  firstName: 32,
  lastName: 32,
  email: 254,
  phone: 32,
  mobilePhone: 32,
  fax: 32,
  altPhone: 32,
  url: 100,
  comments: 4000,
};
const ADDRESS_MAX: Record<string, number> = {
  addressee: 83,
  addr1: 150,
  addr2: 150,
  addr3: 150,
  city: 50,
  zip: 36,
};
/** Phone fields NetSuite checks: "Phone number should have seven digits or more." (NLUtil.js, type phone). */
const PHONE_FIELDS = ['phone', 'altPhone', 'mobilePhone', 'homePhone', 'fax'];
const REF_FIELDS = [
  'subsidiary',
  'currency',
  'terms',
  'category',
  'customForm',
  'salesRep',
  'priceLevel',
  'parent',
];

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

export async function startNetSuiteSimulator(
  listen: ListenOptions = {},
  options: NetSuiteSimulatorOptions = {},
): Promise<NetSuiteSimulator> {
  const now = options.now ?? Date.now;
  const accounts = options.accounts ?? [NETSUITE_DEMO_CREDENTIALS];
  const byToken = new Map(accounts.map((a) => [a.tokenId, a]));
  const concurrency = createConcurrencyLimiter(() => options.concurrency ?? 5);
  const maxSkew = (options.maxSkewSeconds ?? 300) * 1000;

  let customers: NetSuiteSimCustomer[] = [];
  let nextId = 100;
  let updates = 0;
  let idempotencyKeys: Record<string, string> = {};
  const nonces = new Map<string, number>();

  const configured: NetSuiteIntegration[] = options.integrations ?? [NETSUITE_DEMO_INTEGRATION];
  const integrations: NetSuiteIntegration[] = configured.map((i) => ({
    ...i,
    redirectUris: [...(i.redirectUris ?? [])],
    certificates: [...(i.certificates ?? [])],
  }));
  const accountOf = (req: SimRequest): string | undefined => {
    if (req.params.account) return req.params.account;
    const host = String(req.headers.host ?? '').split(':')[0] ?? '';
    const first = host.split('.')[0] ?? '';
    if (accounts.some((a) => hostForm(a.accountId) === first)) return first;
    return accounts.length === 1 ? hostForm((accounts[0] as NetSuiteSimAccount).accountId) : undefined;
  };

  const oauth2 = netsuiteOAuth2({
    now,
    integrations,
    accountOf,
    refreshTokenTtlMs: options.refreshTokenTtlMs,
  });

  /** An OAuth 2.0 Bearer token: live, and issued for the very account addressed. */
  const bearerAccount = (req: SimRequest, token: string): NetSuiteSimAccount | SimResponse => {
    const accountId = oauth2.bearerAccount(token);
    const acct = accounts.find((a) => a.accountId === accountId);
    if (!acct || accountOf(req) !== hostForm(acct.accountId)) return invalidLogin();
    return acct;
  };

  /** TBA check (or an OAuth 2.0 Bearer token); the account the token belongs to, or the 401 to send. */
  const authenticate = (req: SimRequest): NetSuiteSimAccount | SimResponse => {
    const auth = req.headers.authorization ?? '';
    if (auth.startsWith('Bearer ')) return bearerAccount(req, auth.slice(7));
    const params = parseOAuthHeader(req.headers.authorization);
    if (!params) return invalidLogin();
    const acct = byToken.get(params.oauth_token ?? '');
    if (!acct || acct.consumerKey !== params.oauth_consumer_key) return invalidLogin();
    // The realm is the canonical id; the host carries the lower-case, hyphenated form of the same account.
    if (params.realm !== acct.accountId || accountOf(req) !== hostForm(acct.accountId)) return invalidLogin();
    if (params.oauth_version !== undefined && params.oauth_version !== '1.0') return invalidLogin();
    const ts = Number(params.oauth_timestamp) * 1000;
    if (!Number.isFinite(ts) || Math.abs(now() - ts) > maxSkew) return invalidLogin();
    const nonce = params.oauth_nonce ?? '';
    if (nonce.length < 6) return invalidLogin();
    const check = verifyOAuthSignature({
      method: req.method,
      baseUrl: `http://${String(req.headers.host ?? '').toLowerCase()}${req.path}`,
      query: req.query,
      params,
      consumerSecret: acct.consumerSecret,
      tokenSecret: acct.tokenSecret,
    });
    if (!check.ok) return invalidLogin();
    const seen = `${acct.tokenId}:${nonce}`;
    for (const [k, at] of nonces) if (now() - at > maxSkew * 2) nonces.delete(k);
    if (nonces.has(seen)) return invalidLogin();
    nonces.set(seen, now());
    return acct;
  };

  const recordUrl = (req: SimRequest, id: string) => {
    const prefix = req.params.account ? `/${req.params.account}` : '';
    return `http://${req.headers.host}${prefix}/services/rest/record/v1/customer/${id}`;
  };

  /** Field checks as NetSuite does them; `existing` is the record an upsert updates. */
  const validate = (
    acct: NetSuiteSimAccount,
    body: unknown,
    req: SimRequest,
    existing?: NetSuiteSimCustomer,
  ): SimResponse | undefined => {
    if (!isObj(body)) return invalidContent('The request body must be a JSON object.', '');
    const strict =
      String(req.headers['x-netsuite-propertynamevalidation'] ?? 'Warning').toLowerCase() === 'error';
    if (strict) {
      for (const k of Object.keys(body)) {
        if (!BODY_FIELDS.has(k) && !/^cust(entity|record)/.test(k)) {
          return invalidContent(`Invalid field name: ${k}.`, k);
        }
      }
    }
    for (const [k, max] of Object.entries(MAX)) {
      const v = body[k];
      if (v !== undefined && (typeof v !== 'string' || v.length > max)) {
        return invalidContent(
          `You have entered an Invalid Field Value ${String(v).slice(0, 40)} for the following field: ${k}`,
          k,
        );
      }
    }
    for (const k of PHONE_FIELDS) {
      const v = body[k];
      // NetSuite counts characters; counting digits is at least as strict ("+1 2345" has 7 characters, 5 digits).
      if (typeof v === 'string' && v !== '' && v.replace(/\D/g, '').length < 7) {
        return invalidContent('Phone number should have seven digits or more.', k);
      }
    }
    if (typeof body.email === 'string' && body.email !== '' && !isAsciiEmail(body.email)) {
      return invalidContent(
        `You have entered an Invalid Field Value ${body.email} for the following field: email`,
        'email',
      );
    }
    for (const k of REF_FIELDS) {
      const v = body[k];
      if (v !== undefined && !(isObj(v) && (typeof v.id === 'string' || typeof v.externalId === 'string'))) {
        return invalidContent(`Invalid reference for the following field: ${k}`, k);
      }
    }
    const merged = { ...(existing ?? {}), ...body };
    const isPerson = merged.isPerson === true;
    const missing: string[] = [];
    if (isPerson) {
      if (!merged.firstName) missing.push('First Name');
      if (!merged.lastName) missing.push('Last Name');
    } else if (!merged.companyName) missing.push('Company Name');
    if ((acct.oneWorld ?? true) && !merged.subsidiary) missing.push('Subsidiary');
    if (options.requireEntityId && !merged.entityId) missing.push('Customer ID');
    if (missing.length) return userError(`Please enter value(s) for: ${missing.join(', ')}`);
    const sub = body.subsidiary as Json | undefined;
    if (sub && typeof sub.id === 'string' && !(acct.subsidiaries ?? ['1']).includes(sub.id)) {
      return invalidContent(
        `You have entered an Invalid Field Value ${sub.id} for the following field: subsidiary`,
        'subsidiary',
      );
    }
    if (typeof body.entityId === 'string') {
      const taken = customers.find(
        (c) => c.account === acct.accountId && c.entityId === body.entityId && c.id !== existing?.id,
      );
      if (taken) {
        return userError(
          'A customer record with this ID already exists. You must enter a unique customer ID for each record you create.',
        );
      }
    }
    const book = body.addressBook;
    if (book !== undefined) {
      const items = isObj(book) ? book.items : undefined;
      if (!Array.isArray(items)) return invalidContent('addressBook needs items.', 'addressBook');
      for (const [i, item] of items.entries()) {
        const at = `addressBook.items[${i}]`;
        if (!isObj(item)) return invalidContent('Invalid sublist line.', at);
        for (const k of Object.keys(item)) {
          if (strict && !ITEM_FIELDS.has(k)) return invalidContent(`Invalid field name: ${k}.`, `${at}.${k}`);
        }
        const a = item.addressBookAddress;
        if (a === undefined) continue;
        if (!isObj(a)) return invalidContent('Invalid address.', `${at}.addressBookAddress`);
        for (const [k, v] of Object.entries(a)) {
          const p = `${at}.addressBookAddress.${k}`;
          if (strict && !ADDRESS_FIELDS.has(k)) return invalidContent(`Invalid field name: ${k}.`, p);
          const max = ADDRESS_MAX[k];
          if (max && (typeof v !== 'string' || v.length > max)) {
            return invalidContent(`Invalid Field Value for the following field: ${k}`, p);
          }
          if (k === 'state' && !(options.freeFormStates ?? false)) {
            const country = isObj(a.country) ? a.country.id : a.country;
            const list = typeof country === 'string' ? STATE_SHORT_NAMES[country] : undefined;
            if (list && (typeof v !== 'string' || !list.has(v))) {
              return invalidContent(
                `Invalid Field Value ${JSON.stringify(v)} for the following field: state`,
                p,
              );
            }
          }
          if (k === 'country') {
            const code = isObj(v) ? v.id : v;
            if (typeof code !== 'string' || !/^[A-Z]{2}$/.test(code)) {
              return invalidContent(
                `Invalid Field Value ${JSON.stringify(v)} for the following field: country`,
                p,
              );
            }
          }
        }
      }
    }
    return undefined;
  };

  const save = (
    acct: NetSuiteSimAccount,
    body: Json,
    existing?: NetSuiteSimCustomer,
  ): NetSuiteSimCustomer => {
    const stamp = new Date(now()).toISOString();
    if (existing) {
      Object.assign(existing, body, { lastModifiedDate: stamp });
      updates++;
      return existing;
    }
    const id = String(nextId++);
    const c: NetSuiteSimCustomer = {
      ...body,
      id,
      account: acct.accountId,
      entityId: typeof body.entityId === 'string' ? body.entityId : `CUS${id}`,
      dateCreated: stamp,
      lastModifiedDate: stamp,
    };
    customers.push(c);
    return c;
  };

  const find = (acct: NetSuiteSimAccount, key: string) =>
    key.startsWith('eid:')
      ? customers.find((c) => c.account === acct.accountId && c.externalId === key.slice(4))
      : customers.find((c) => c.account === acct.accountId && c.id === key);

  const notFound = (key: string) =>
    nsError(
      404,
      'Not Found',
      `The record instance does not exist. Provide a valid record instance ID.`,
      'NONEXISTENT_ID',
      { 'o:errorUrl': `/services/rest/record/v1/customer/${key}` },
    );

  /** Wraps a record call: authentication, then the account's concurrency slot for the call's duration. */
  const withAccount =
    (fn: (req: SimRequest, acct: NetSuiteSimAccount) => SimResponse) =>
    async (req: SimRequest): Promise<SimResponse> => {
      const auth = authenticate(req);
      if (!('tokenId' in auth)) return auth;
      if (!concurrency.enter(auth.accountId)) {
        if (options.invalidLoginUnderConcurrency) return invalidLogin();
        return nsError(
          429,
          'Too Many Requests',
          'Concurrent request limit exceeded. Request blocked.',
          'CONCURRENCY_LIMIT_EXCEEDED',
        );
      }
      try {
        if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
        return fn(req, auth);
      } finally {
        concurrency.leave(auth.accountId);
      }
    };

  const create = (req: SimRequest, acct: NetSuiteSimAccount): SimResponse => {
    const idemKey = req.headers['x-netsuite-idempotency-key'];
    const async = /respond-async/i.test(String(req.headers.prefer ?? ''));
    if (async && typeof idemKey === 'string' && idempotencyKeys[`${acct.accountId}:${idemKey}`]) {
      const status = options.idempotencyConflictStatus ?? 409;
      return nsError(
        status,
        status === 409 ? 'Conflict' : 'Bad Request',
        'The request could not be processed. The idempotency key has already been used.',
        'IDEMPOTENCY_ERROR',
        { 'o:errorHeader': 'X-NetSuite-Idempotency-Key' },
      );
    }
    const invalid = validate(acct, req.body, req);
    if (invalid) return invalid;
    const body = req.body as Json;
    if (typeof body.externalId === 'string' && find(acct, `eid:${body.externalId}`)) {
      return userError('A record with this external ID already exists.', 'externalId');
    }
    const c = save(acct, body);
    if (async) {
      const job = String(nextId++);
      if (typeof idemKey === 'string') idempotencyKeys[`${acct.accountId}:${idemKey}`] = c.id;
      const prefix = req.params.account ? `/${req.params.account}` : '';
      return {
        status: 202,
        headers: { location: `http://${req.headers.host}${prefix}/services/rest/async/v1/job/${job}` },
      };
    }
    return { status: 204, headers: { location: recordUrl(req, c.id) } };
  };

  const upsert = (req: SimRequest, acct: NetSuiteSimAccount): SimResponse => {
    const key = req.params.key ?? '';
    if (!key.startsWith('eid:') || key.length < 5) {
      return nsError(
        405,
        'Method Not Allowed',
        'PUT is only supported with an external id (eid:).',
        'INVALID_REQUEST',
      );
    }
    const externalId = key.slice(4);
    const body = req.body as Json | undefined;
    if (isObj(body) && body.externalId !== undefined && body.externalId !== externalId) {
      return invalidContent('The externalId in the body differs from the one in the URL.', 'externalId');
    }
    const existing = find(acct, key);
    const invalid = validate(acct, body, req, existing);
    if (invalid) return invalid;
    const c = save(acct, { ...(body as Json), externalId }, existing);
    return { status: 204, headers: { location: recordUrl(req, c.id) } };
  };

  const get = (req: SimRequest, acct: NetSuiteSimAccount): SimResponse => {
    const key = req.params.key ?? '';
    const c = find(acct, key);
    if (!c) {
      return /^(\d+|eid:.+)$/.test(key)
        ? notFound(key)
        : nsError(
            400,
            'Bad Request',
            `Invalid record instance identifier '${key}'. Provide a valid record instance ID.`,
            'INVALID_ID',
            {
              'o:errorUrl': `/services/rest/record/v1/customer/${key}`,
            },
          );
    }
    const { account: _a, ...record } = c;
    return { status: 200, body: { links: [{ rel: 'self', href: recordUrl(req, c.id) }], ...record } };
  };

  const list = (req: SimRequest, acct: NetSuiteSimAccount): SimResponse => {
    let rows = customers.filter((c) => c.account === acct.accountId);
    const q = req.query.get('q');
    if (q) {
      // Supports `<field> IS "<value>"` (the form look-ups use); other operators are refused, not guessed. In the
      // literal only `\\` and `\"` are escapes: any other backslash, or a quote left bare, is a syntax error.
      const m = /^\s*(\w+)\s+IS\s+"((?:[^"\\]|\\["\\])*)"\s*$/i.exec(q);
      if (!m) {
        return nsError(400, 'Bad Request', `Invalid search query: ${q}`, 'INVALID_PARAMETER', {
          'o:errorQueryParam': 'q',
        });
      }
      const field = m[1] as string;
      const value = (m[2] as string).replace(/\\(.)/g, '$1');
      rows = rows.filter((c) => String(c[field] ?? '').toLowerCase() === value.toLowerCase());
    }
    const limit = Math.min(1000, Math.max(1, Number(req.query.get('limit') ?? 1000) || 1000));
    const offset = Math.max(0, Number(req.query.get('offset') ?? 0) || 0);
    const page = rows.slice(offset, offset + limit);
    return {
      status: 200,
      body: {
        links: [],
        count: page.length,
        hasMore: offset + limit < rows.length,
        items: page.map((c) => ({ links: [{ rel: 'self', href: recordUrl(req, c.id) }], id: c.id })),
        offset,
        totalResults: rows.length,
      },
    };
  };

  const root = '(?:/(?<account>[a-z0-9-]+))?/services/rest/record/v1/customer';
  const sim = await startSimulator(
    {
      name: 'netsuite',
      routes: [
        ...oauth2.routes,
        { method: 'POST', path: new RegExp(`^${root}/?$`), handler: withAccount(create) },
        { method: 'GET', path: new RegExp(`^${root}/?$`), handler: withAccount(list) },
        { method: 'PUT', path: new RegExp(`^${root}/(?<key>[^/]+)$`), handler: withAccount(upsert) },
        { method: 'GET', path: new RegExp(`^${root}/(?<key>[^/]+)$`), handler: withAccount(get) },
      ],
      state: () => ({ customers, upsertUpdates: updates }),
      reset: () => {
        customers = [];
        nextId = 100;
        updates = 0;
        idempotencyKeys = {};
        nonces.clear();
        concurrency.reset();
        oauth2.reset();
      },
      snapshot: {
        save: () => ({ customers, nextId, updates, idempotencyKeys }),
        restore: (data) => {
          const d = data as Partial<{
            customers: NetSuiteSimCustomer[];
            nextId: number;
            updates: number;
            idempotencyKeys: Record<string, string>;
          }>;
          customers = d.customers ?? [];
          nextId = d.nextId ?? 100;
          updates = d.updates ?? 0;
          idempotencyKeys = d.idempotencyKeys ?? {};
        },
      },
    },
    listen,
  );
  return {
    ...sim,
    customers: (account) => customers.filter((c) => !account || c.account === account),
    upsertUpdates: () => updates,
    registerRedirectUri(uri: string) {
      for (const i of integrations) if (!i.redirectUris?.includes(uri)) i.redirectUris?.push(uri);
    },
    addCertificate(c: { clientId: string; certificateId: string; publicKey: string }) {
      const i = integrations.find((x) => x.clientId === c.clientId);
      if (!i) throw new Error(`no integration with client id ${c.clientId}`);
      i.certificates?.push({ certificateId: c.certificateId, publicKey: c.publicKey });
    },
    oauth2Grants: () => oauth2.grants(),
    expireRefreshTokens: () => oauth2.expireRefreshTokens(),
    expireAccessTokens: () => oauth2.expireAccessTokens(),
  };
}
