import { randomBytes } from 'node:crypto';
import { consentError, consentPage, redirectTo } from './consent-page';
import {
  basicAuth,
  bearer,
  createConcurrencyLimiter,
  createRateLimiter,
  isAsciiEmail,
  type ListenOptions,
  type SimRequest,
  type SimResponse,
  type Simulator,
  startSimulator,
} from './kit';

/**
 * QuickBooks Online Accounting API v3 (Customer) and Intuit's OAuth 2.0 token endpoint, as
 * `shared/erp/quickbooks.md` documents them:
 * - `POST /oauth2/v1/tokens/bearer` (Basic client auth, form body): `grant_type=refresh_token` issues a new refresh
 *   token every time; the previous one keeps working for 24 h, then → 400 `invalid_grant`. Access tokens live
 *   3600 s; every answer carries `x_refresh_token_expires_in`. `grant_type=authorization_code` takes a code once,
 *   within 5 minutes, with the redirect_uri it was issued for (RFC 6749 §4.1.3); anything else → `invalid_grant`.
 * - `GET /connect/oauth2` (Intuit's app center): the consent page — `client_id` of a known app, `response_type=code`,
 *   `scope` with com.intuit.quickbooks.accounting, a `redirect_uri` registered for the app and a `state`; the user
 *   picks a company and allows (→ `redirect_uri?code&state&realmId`) or cancels (→ `error=access_denied&state`).
 * - `POST /v3/company/{realm}/customer` → 200 `{Customer:{…,Id,SyncToken:"0"},time}`; Fault 6240 for a DisplayName
 *   already used by a customer, vendor or employee (`Detail` ends `: Id=<n>`); validation Faults for unknown
 *   properties, the API reference's lengths (2050, the live Detail text), `:`/tab/newline in names, emails
 *   without `@`/`.`.
 * - `requestid` replay cache per realm: the same id answers the original response, nothing is created twice.
 * - `GET /v3/company/{realm}/query?query=select * from Customer where …` → `QueryResponse`; `GET …/customer/{id}`;
 *   `GET …/companyinfo/{realm}`.
 * - Throttles per realm: 500/min, 10/s and 10 concurrent per (realm, app) → 429 Fault 3001 type SERVICE.
 *   Expired/unknown access token → 401 Fault 3200; a token of another realm → 403 Fault 3100.
 */
export interface QuickBooksSimulatorOptions {
  perMinute?: number;
  perSecond?: number;
  concurrency?: number;
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  /** How long a superseded refresh token keeps working (Intuit: 24 h). */
  refreshGraceMs?: number;
  /** Time each API call holds its concurrency slot (to exercise the concurrency limit). */
  processingDelayMs?: number;
  /** Send Faults as XML (Intuit does for some errors even when JSON was asked for). */
  xmlFaults?: boolean;
  /** The pre-2020 6240 Detail text, which carries no `Id=`. */
  legacyDuplicateDetail?: boolean;
  /**
   * CompanyName's length limit. The API reference says 100 (the default); one live 2050 fault from 2015 and an
   * import reference say 50 [UNCERTAIN] — set 50 to reproduce it.
   */
  companyNameMax?: number;
  /** Whether a 2050 length Fault names its `element` (current faults do; the 2015 one had none). */
  lengthFaultElement?: boolean;
  now?: () => number;
}

/** The sandbox company, app and refresh token the local stack's `demo-quickbooks` connection starts with. */
export const QUICKBOOKS_DEMO_CREDENTIALS = {
  realmId: '9341453050298340',
  clientId: 'ABdemoQuickBooksClientId0000000000000000000000000',
  clientSecret: 'demo-quickbooks-client-secret-0000000000',
  refreshToken: 'AB11demo-quickbooks-refresh-token-0000000000000000000',
};

export interface QuickBooksGrant {
  realmId: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

export interface QuickBooksSimulator extends Simulator {
  /** Registers a redirect URI for the demo app (Intuit: Keys & credentials > Redirect URIs). */
  registerRedirectUri(uri: string): void;
  /** Issues an authorization code as the consent page would (for protocol tests without a browser). */
  issueCode(p: { redirectUri: string; realmId?: string; clientId?: string }): {
    code: string;
    realmId: string;
  };
  /** Simulates the OAuth consent: a new refresh token for the demo app and `realmId` (a fresh realm by default). */
  authorize(realmId?: string): QuickBooksGrant;
  customers(realmId?: string): Record<string, unknown>[];
  /** Adds a vendor or employee, whose DisplayName then clashes with customers (6240). Returns its Id. */
  addParty(realmId: string, kind: 'Vendor' | 'Employee', displayName: string): string;
  /** Number of successful refresh_token grants. */
  refreshCount(): number;
  /** Makes every issued access token expire now (the next API call gets 401 Fault 3200). */
  expireAccessTokens(): void;
}

interface Party {
  kind: 'Customer' | 'Vendor' | 'Employee';
  Id: string;
  DisplayName: string;
  Active: boolean;
  entity: Record<string, unknown>;
}

interface Realm {
  nextId: number;
  companyName: string;
  parties: Party[];
  /** requestid → the original response. */
  replay: Record<string, SimResponse>;
}

interface Data {
  apps: Record<string, string>;
  redirectUris: Record<string, string[]>;
  codes: Record<
    string,
    { clientId: string; realmId: string; redirectUri: string; expiresAt: number; used?: boolean }
  >;
  realms: Record<string, Realm>;
  refreshTokens: Record<
    string,
    { clientId: string; realmId: string; expiresAt: number; supersededAt?: number }
  >;
  accessTokens: Record<string, { clientId: string; realmId: string; expiresAt: number }>;
  refreshes: number;
}

const HOUR = 3_600_000;
/** How long an authorization code may be exchanged (Intuit: minutes; RFC 6749 §4.1.2 recommends ≤ 10). */
const CODE_TTL_MS = 5 * 60_000;
const ACCOUNTING_SCOPE = 'com.intuit.quickbooks.accounting';

/** Writable top-level Customer elements (IntuitNamesTypes.xsd: NameBase + Customer, plus IntuitEntity's). */
const ELEMENTS = new Set(
  (
    'Id SyncToken MetaData domain sparse CustomField AttachableRef Title GivenName MiddleName FamilyName Suffix ' +
    'FullyQualifiedName CompanyName DisplayName PrintOnCheckName Active PrimaryPhone AlternatePhone Mobile Fax ' +
    'PrimaryEmailAddr WebAddr DefaultTaxCodeRef Taxable BillAddr ShipAddr OtherAddr ContactName AltContactName Notes ' +
    'Job BillWithParent RootCustomerRef ParentRef Level CustomerTypeRef SalesTermRef SalesRepRef TaxGroupCodeRef ' +
    'TaxRateRef PaymentMethodRef CCDetail PriceLevelRef Balance OpenBalanceDate BalanceWithJobs CreditLimit AcctNum ' +
    'CurrencyRef OverDueBalance TotalRevenue TotalExpense PreferredDeliveryMethod ResaleNum JobInfo TDSEnabled ' +
    'SecondaryTaxIdentifier ARAccountRef PrimaryTaxIdentifier TaxExemptionReasonId IsProject BusinessNumber GSTIN ' +
    'GSTRegistrationType IsCISContractor ClientCompanyId'
  ).split(' '),
);

/**
 * QBO max lengths from the Customer API reference (../shared/erp/quickbooks.md, "Which limit wins": the reference
 * governs; the XSD's older annotations — GivenName 25, FamilyName 15, Notes 1024, FreeFormNumber 21 — do not
 * apply live). EmailAddress and the PhysicalAddress parts come from the XSD, where the reference gives none.
 */
const LIMITS: Record<string, number> = {
  DisplayName: 500,
  Title: 16,
  GivenName: 100,
  MiddleName: 100,
  FamilyName: 100,
  Suffix: 16,
  CompanyName: 100,
  PrintOnCheckName: 110,
  Notes: 2000,
  ResaleNum: 16,
  'PrimaryEmailAddr.Address': 100,
  'PrimaryPhone.FreeFormNumber': 30,
  'AlternatePhone.FreeFormNumber': 30,
  'Mobile.FreeFormNumber': 30,
  'Fax.FreeFormNumber': 30,
  'WebAddr.URI': 1000,
  'CurrencyRef.value': 16,
};
for (const a of ['BillAddr', 'ShipAddr']) {
  for (const n of [1, 2, 3, 4, 5]) LIMITS[`${a}.Line${n}`] = 500;
  Object.assign(LIMITS, {
    [`${a}.City`]: 255,
    [`${a}.Country`]: 255,
    [`${a}.CountrySubDivisionCode`]: 255,
    [`${a}.PostalCode`]: 30,
  });
}
/** Intuit's number format in 2050 Details: "4,000". */
const grouped = (n: number) => n.toLocaleString('en-US');
const NAME_FIELDS = [
  'DisplayName',
  'Title',
  'GivenName',
  'MiddleName',
  'FamilyName',
  'Suffix',
  'PrintOnCheckName',
];

const token = (prefix: string) => `${prefix}${randomBytes(24).toString('base64url')}`;
const norm = (s: string) => s.trim().toLowerCase();
const get = (o: Record<string, unknown>, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>(
      (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
      o,
    );

function emptyData(): Data {
  return {
    apps: { [QUICKBOOKS_DEMO_CREDENTIALS.clientId]: QUICKBOOKS_DEMO_CREDENTIALS.clientSecret },
    redirectUris: {},
    codes: {},
    realms: {},
    refreshTokens: {},
    accessTokens: {},
    refreshes: 0,
  };
}

export async function startQuickBooksSimulator(
  listen: ListenOptions = {},
  options: QuickBooksSimulatorOptions = {},
): Promise<QuickBooksSimulator> {
  const now = options.now ?? Date.now;
  const o = {
    perMinute: options.perMinute ?? 500,
    perSecond: options.perSecond ?? 10,
    concurrency: options.concurrency ?? 10,
    accessTtl: (options.accessTokenTtlSeconds ?? 3600) * 1000,
    refreshTtl: (options.refreshTokenTtlSeconds ?? 8_726_400) * 1000,
    grace: options.refreshGraceMs ?? 24 * HOUR,
  };
  let data = emptyData();
  const perMinute = createRateLimiter(() => o.perMinute, 60_000, now);
  const perSecond = createRateLimiter(() => o.perSecond, 1000, now);
  const inFlight = createConcurrencyLimiter(() => o.concurrency);

  const realm = (id: string): Realm => {
    data.realms[id] ??= {
      nextId: 1,
      companyName: `Sandbox Company_${id.slice(-4)}`,
      parties: [],
      replay: {},
    };
    return data.realms[id] as Realm;
  };
  const seedDemo = () => {
    realm(QUICKBOOKS_DEMO_CREDENTIALS.realmId);
    // The demo bootstrap token never expires, so a re-seeded demo connection always works; tokens issued
    // from it rotate like real ones.
    data.refreshTokens[QUICKBOOKS_DEMO_CREDENTIALS.refreshToken] ??= {
      clientId: QUICKBOOKS_DEMO_CREDENTIALS.clientId,
      realmId: QUICKBOOKS_DEMO_CREDENTIALS.realmId,
      expiresAt: Number.MAX_SAFE_INTEGER,
    };
  };
  seedDemo();

  const time = () => new Date(now()).toISOString();
  const fault = (
    status: number,
    type: string,
    errors: { code: string; Message: string; Detail?: string; element?: string }[],
  ): SimResponse => {
    if (options.xmlFaults) {
      const esc = (s: string) =>
        s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
      const errs = errors
        .map(
          (e) =>
            `<Error code="${e.code}" element="${esc(e.element ?? '')}"><Message>${esc(e.Message)}</Message><Detail>${esc(e.Detail ?? e.Message)}</Detail></Error>`,
        )
        .join('');
      return {
        status,
        headers: { 'content-type': 'application/xml', intuit_tid: token('tid-') },
        body: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<IntuitResponse xmlns="http://schema.intuit.com/finance/v3" time="${time()}"><Fault type="${type}">${errs}</Fault></IntuitResponse>`,
      };
    }
    return {
      status,
      headers: { intuit_tid: token('tid-') },
      body: { Fault: { Error: errors.map((e) => ({ element: '', ...e })), type }, time: time() },
    };
  };
  const validation = (code: string, Message: string, Detail: string, element = '') =>
    fault(400, 'ValidationFault', [{ code, Message, Detail, element }]);

  // ---- OAuth 2.0 token endpoint ----
  const tokenEndpoint = (req: SimRequest): SimResponse => {
    const client = basicAuth(req.headers);
    if (!client || data.apps[client[0]] !== client[1])
      return { status: 401, body: { error: 'invalid_client' } };
    const form = (req.body ?? {}) as Record<string, string>;
    if (form.grant_type === 'authorization_code') return exchangeCode(client[0], form);
    if (form.grant_type !== 'refresh_token')
      return { status: 400, body: { error: 'unsupported_grant_type' } };
    const used = form.refresh_token ? data.refreshTokens[form.refresh_token] : undefined;
    const t = now();
    const alive =
      used &&
      used.clientId === client[0] &&
      used.expiresAt > t &&
      (used.supersededAt === undefined || used.supersededAt + o.grace > t);
    if (!used || !alive) {
      return {
        status: 400,
        body: { error: 'invalid_grant', error_description: 'Incorrect or invalid refresh token' },
      };
    }
    if (used.supersededAt === undefined && used.expiresAt !== Number.MAX_SAFE_INTEGER) used.supersededAt = t;
    data.refreshes += 1;
    return issueTokens(used.clientId, used.realmId);
  };

  /** A refresh and an access token for one app and company, as Intuit's token answer. */
  const issueTokens = (clientId: string, realmId: string): SimResponse => {
    const t = now();
    const refresh = token('AB11');
    const access = token('eyJ.sim.');
    data.refreshTokens[refresh] = { clientId, realmId, expiresAt: t + o.refreshTtl };
    data.accessTokens[access] = { clientId, realmId, expiresAt: t + o.accessTtl };
    return {
      status: 200,
      body: {
        token_type: 'bearer',
        access_token: access,
        expires_in: o.accessTtl / 1000,
        refresh_token: refresh,
        x_refresh_token_expires_in: Math.floor(o.refreshTtl / 1000),
      },
    };
  };

  const invalidGrant = (description: string): SimResponse => ({
    status: 400,
    body: { error: 'invalid_grant', error_description: description },
  });

  /** `grant_type=authorization_code`: once, in time, by the app it was issued to, with its redirect_uri. */
  const exchangeCode = (clientId: string, form: Record<string, string>): SimResponse => {
    const issued = form.code ? data.codes[form.code] : undefined;
    if (!issued || issued.used || issued.expiresAt <= now() || issued.clientId !== clientId) {
      return invalidGrant('Invalid or expired authorization code');
    }
    issued.used = true;
    if (form.redirect_uri !== issued.redirectUri) return invalidGrant('redirect_uri does not match');
    return issueTokens(clientId, issued.realmId);
  };

  const newCode = (clientId: string, realmId: string, redirectUri: string) => {
    const code = token('AB11-code-');
    data.codes[code] = { clientId, realmId, redirectUri, expiresAt: now() + CODE_TTL_MS };
    realm(realmId);
    return code;
  };

  /** The authorize request checked as Intuit does before any page is shown; a problem is shown, not redirected. */
  const authorizeProblem = (q: URLSearchParams): string | undefined => {
    const clientId = q.get('client_id') ?? '';
    if (!data.apps[clientId]) return 'invalid_client: this app is not known';
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!(data.redirectUris[clientId] ?? []).includes(redirectUri)) {
      return "The redirect_uri query parameter value is invalid. Make sure it is listed in the Redirect URIs section on your app's keys tab and matches it exactly.";
    }
    if (q.get('response_type') !== 'code') return 'response_type must be code';
    if (!(q.get('scope') ?? '').split(/\s+/).includes(ACCOUNTING_SCOPE))
      return `scope must include ${ACCOUNTING_SCOPE}`;
    if (!q.get('state')) return 'state is required';
    return undefined;
  };

  const consent = (req: SimRequest): SimResponse => {
    const problem = authorizeProblem(req.query);
    if (problem) return consentError(problem);
    const carry = Object.fromEntries(
      ['client_id', 'redirect_uri', 'response_type', 'scope', 'state'].map((k) => [
        k,
        req.query.get(k) ?? '',
      ]),
    );
    const companies = Object.entries(data.realms).map(([id, r]) => ({
      value: id,
      label: `${r.companyName} (${id})`,
    }));
    return consentPage({
      title: 'Intuit — connect your QuickBooks company',
      request: 'This app wants to read and write your accounting data (com.intuit.quickbooks.accounting).',
      action: '/connect/oauth2/consent',
      carry,
      choices: { name: 'realmId', legend: 'Company', options: companies },
    });
  };

  const decide = (req: SimRequest): SimResponse => {
    const form = new URLSearchParams((req.body ?? {}) as Record<string, string>);
    const problem = authorizeProblem(form);
    if (problem) return consentError(problem);
    const redirectUri = form.get('redirect_uri') as string;
    const state = form.get('state') as string;
    if (form.get('decision') !== 'allow') {
      return redirectTo(redirectUri, { error: 'access_denied', state });
    }
    const realmId = form.get('realmId') ?? '';
    if (!data.realms[realmId]) return consentError('choose a company');
    const code = newCode(form.get('client_id') as string, realmId, redirectUri);
    return redirectTo(redirectUri, { code, state, realmId });
  };

  // ---- Accounting API: auth, throttles, then the handler while holding a concurrency slot ----
  const api =
    (handler: (req: SimRequest, r: Realm, realmId: string) => SimResponse) =>
    async (req: SimRequest): Promise<SimResponse> => {
      const realmId = req.params.realm as string;
      const bearerToken = bearer(req.headers);
      const access = bearerToken ? data.accessTokens[bearerToken] : undefined;
      if (!access || access.expiresAt <= now()) {
        return fault(401, 'AuthenticationFault', [
          {
            code: '3200',
            Message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401',
            Detail: access ? 'Token expired' : 'Token revoked or invalid',
          },
        ]);
      }
      if (access.realmId !== realmId) {
        return fault(403, 'AuthorizationFault', [
          {
            code: '3100',
            Message: 'message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403',
          },
        ]);
      }
      const throttled = () =>
        fault(429, 'SERVICE', [
          {
            code: '3001',
            Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429',
            Detail: 'The request limit was reached.  Try again later',
          },
        ]);
      const appKey = `${realmId}|${access.clientId}`;
      if (perMinute.take(realmId) > 0 || perSecond.take(appKey) > 0) return throttled();
      if (!inFlight.enter(appKey)) return throttled();
      try {
        if (options.processingDelayMs) await new Promise((r) => setTimeout(r, options.processingDelayMs));
        return handler(req, realm(realmId), realmId);
      } finally {
        inFlight.leave(appKey);
      }
    };

  const createCustomer = (req: SimRequest, r: Realm): SimResponse => {
    const requestId = req.query.get('requestid');
    if (requestId && requestId.length > 50) {
      return validation('2500', 'Invalid Request', 'requestid is longer than 50 characters', 'requestid');
    }
    const replayed = requestId ? r.replay[requestId] : undefined;
    if (replayed) return replayed;
    const out = validateAndCreate(req.body, r);
    if (requestId && out.status < 500) r.replay[requestId] = out;
    return out;
  };

  const validateAndCreate = (raw: unknown, r: Realm): SimResponse => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      return validation(
        '2010',
        'Request has invalid or unsupported property',
        'Request body is not a Customer object',
      );
    }
    const body = raw as Record<string, unknown>;
    for (const key of Object.keys(body)) {
      if (!ELEMENTS.has(key)) {
        return validation(
          '2010',
          'Request has invalid or unsupported property',
          `Property Name:${key} specified is unsupported or invalid`,
          key,
        );
      }
    }
    if (body.Id !== undefined || body.SyncToken !== undefined) {
      return validation(
        '610',
        'Object Not Found',
        "Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.",
        'Id',
      );
    }
    const limits = { ...LIMITS, CompanyName: options.companyNameMax ?? LIMITS.CompanyName };
    for (const [path, max] of Object.entries(limits)) {
      const v = get(body, path);
      const supplied = typeof v === 'string' ? Array.from(v).length : 0;
      if (supplied > (max as number)) {
        return validation(
          '2050',
          'String length is either shorter or longer than supported by specification',
          `String length specified does not match the supported length. Min:0 Max:${grouped(max as number)} supported. Supplied length:${grouped(supplied)}`,
          options.lengthFaultElement === false ? '' : path,
        );
      }
    }
    for (const f of NAME_FIELDS) {
      const v = body[f];
      if (typeof v === 'string' && /[:\t\r\n]/.test(v)) {
        return validation(
          '6000',
          'A business validation error has occurred while processing your request',
          `Business Validation Error: ${f} cannot contain a colon (:), tab or newline.`,
          f,
        );
      }
    }
    const email = get(body, 'PrimaryEmailAddr.Address');
    // RFC 822 addresses are ASCII: an internationalized domain goes as its punycode form.
    if (typeof email === 'string' && !(email.includes('@') && email.includes('.') && isAsciiEmail(email))) {
      return validation(
        '6000',
        'A business validation error has occurred while processing your request',
        'Email Address does not conform to the syntax rules of RFC 822.',
        'PrimaryEmailAddr.Address',
      );
    }
    const parts = ['Title', 'GivenName', 'MiddleName', 'FamilyName', 'Suffix']
      .map((k) => body[k])
      .filter((v): v is string => typeof v === 'string' && v.trim() !== '');
    const displayName =
      typeof body.DisplayName === 'string' && body.DisplayName.trim()
        ? body.DisplayName.trim()
        : parts.join(' ');
    if (!displayName) {
      return validation(
        '2020',
        'Required param missing, need to supply the required value for the API',
        'Required parameter DisplayName or one of Title, GivenName, MiddleName, FamilyName, Suffix is missing in the request',
        'DisplayName',
      );
    }
    const clash = r.parties.find((p) => norm(p.DisplayName) === norm(displayName));
    if (clash) {
      return validation(
        '6240',
        'Duplicate Name Exists Error',
        options.legacyDuplicateDetail
          ? 'The name supplied already exists. : Another customer, vendor or employee is already using this name. Please use a different name.'
          : `The name supplied already exists. : Id=${clash.Id}`,
      );
    }
    const Id = String(r.nextId++);
    const stamp = time();
    const taxId = body.PrimaryTaxIdentifier;
    const entity: Record<string, unknown> = {
      Taxable: true,
      Job: false,
      BillWithParent: false,
      Balance: 0,
      BalanceWithJobs: 0,
      CurrencyRef: { value: 'USD', name: 'United States Dollar' },
      PreferredDeliveryMethod: 'Print',
      domain: 'QBO',
      sparse: false,
      ...body,
      ...(typeof taxId === 'string' ? { PrimaryTaxIdentifier: `XXXXXX${taxId.slice(-4)}` } : {}),
      ...(body.BillAddr && typeof body.BillAddr === 'object'
        ? { BillAddr: { Id: String(r.nextId++), ...body.BillAddr } }
        : {}),
      Id,
      SyncToken: '0',
      MetaData: { CreateTime: stamp, LastUpdatedTime: stamp },
      FullyQualifiedName: displayName,
      DisplayName: displayName,
      PrintOnCheckName: typeof body.PrintOnCheckName === 'string' ? body.PrintOnCheckName : displayName,
      Active: body.Active !== false,
    };
    r.parties.push({
      kind: 'Customer',
      Id,
      DisplayName: displayName,
      Active: entity.Active as boolean,
      entity,
    });
    return { status: 200, headers: { intuit_tid: token('tid-') }, body: { Customer: entity, time: stamp } };
  };

  const query = (req: SimRequest, r: Realm): SimResponse => {
    const parsed = parseQuery(req.query.get('query') ?? '');
    if (!parsed) {
      return fault(400, 'ValidationFault', [
        {
          code: '4000',
          Message: 'Error parsing query',
          Detail: 'QueryParserError: Encountered an unsupported query',
        },
      ]);
    }
    const filterActive = !parsed.conditions.some((c) => c.field === 'Active');
    const rows = r.parties
      .filter((p) => p.kind === parsed.entity)
      .filter((p) => !filterActive || p.Active)
      .filter((p) => parsed.conditions.every((c) => c.test(p.kind === 'Customer' ? p.entity : { ...p })))
      .map((p) =>
        p.kind === 'Customer' ? p.entity : { Id: p.Id, DisplayName: p.DisplayName, Active: p.Active },
      );
    const page = rows.slice(parsed.start - 1, parsed.start - 1 + parsed.max);
    return {
      status: 200,
      body: {
        QueryResponse: page.length
          ? { [parsed.entity]: page, startPosition: parsed.start, maxResults: page.length }
          : {},
        time: time(),
      },
    };
  };

  const readCustomer = (req: SimRequest, r: Realm): SimResponse => {
    const c = r.parties.find((p) => p.kind === 'Customer' && p.Id === req.params.id);
    return c
      ? { status: 200, body: { Customer: c.entity, time: time() } }
      : validation(
          '610',
          'Object Not Found',
          "Object Not Found : Something you're trying to use has been made inactive.",
        );
  };

  const companyInfo = (_req: SimRequest, r: Realm, realmId: string): SimResponse => ({
    status: 200,
    body: {
      CompanyInfo: { Id: '1', CompanyName: r.companyName, Country: 'US', domain: 'QBO', realmId },
      time: time(),
    },
  });

  const sim = await startSimulator(
    {
      name: 'quickbooks',
      routes: [
        { method: 'POST', path: '/oauth2/v1/tokens/bearer', handler: tokenEndpoint },
        { method: 'GET', path: '/connect/oauth2', handler: consent },
        { method: 'POST', path: '/connect/oauth2/consent', handler: decide },
        { method: 'POST', path: '/v3/company/:realm/customer', handler: api(createCustomer) },
        { method: 'GET', path: '/v3/company/:realm/query', handler: api(query) },
        { method: 'GET', path: '/v3/company/:realm/customer/:id', handler: api(readCustomer) },
        { method: 'GET', path: '/v3/company/:realm/companyinfo/:id', handler: api(companyInfo) },
      ],
      state: () => ({
        customers: Object.entries(data.realms).flatMap(([realmId, r]) =>
          r.parties.filter((p) => p.kind === 'Customer').map((p) => ({ realmId, ...p.entity })),
        ),
        otherNames: Object.entries(data.realms).flatMap(([realmId, r]) =>
          r.parties
            .filter((p) => p.kind !== 'Customer')
            .map((p) => ({ realmId, kind: p.kind, Id: p.Id, DisplayName: p.DisplayName })),
        ),
        refreshes: data.refreshes,
      }),
      reset: () => {
        data = emptyData();
        seedDemo();
        perMinute.reset();
        perSecond.reset();
        inFlight.reset();
      },
      // Issued refresh tokens survive a restart, so the demo connection's rotated token keeps working.
      snapshot: {
        save: () => data,
        restore: (saved) => {
          data = { ...emptyData(), ...(saved as Data) };
          seedDemo();
        },
      },
    },
    listen,
  );

  return Object.assign(sim, {
    registerRedirectUri(uri: string) {
      const id = QUICKBOOKS_DEMO_CREDENTIALS.clientId;
      const list = data.redirectUris[id] ?? [];
      if (!list.includes(uri)) data.redirectUris[id] = [...list, uri];
    },
    issueCode(p: { redirectUri: string; realmId?: string; clientId?: string }) {
      const realmId = p.realmId ?? QUICKBOOKS_DEMO_CREDENTIALS.realmId;
      return {
        code: newCode(p.clientId ?? QUICKBOOKS_DEMO_CREDENTIALS.clientId, realmId, p.redirectUri),
        realmId,
      };
    },
    authorize(realmId = String(4_620_816_365_000_000 + Math.floor(Math.random() * 1e9))): QuickBooksGrant {
      realm(realmId);
      const refreshToken = token('AB11');
      data.refreshTokens[refreshToken] = {
        clientId: QUICKBOOKS_DEMO_CREDENTIALS.clientId,
        realmId,
        expiresAt: now() + o.refreshTtl,
      };
      return {
        realmId,
        clientId: QUICKBOOKS_DEMO_CREDENTIALS.clientId,
        clientSecret: QUICKBOOKS_DEMO_CREDENTIALS.clientSecret,
        refreshToken,
      };
    },
    customers: (realmId?: string) =>
      Object.entries(data.realms)
        .filter(([id]) => realmId === undefined || id === realmId)
        .flatMap(([, r]) => r.parties.filter((p) => p.kind === 'Customer').map((p) => p.entity)),
    addParty(realmId: string, kind: 'Vendor' | 'Employee', displayName: string): string {
      const r = realm(realmId);
      const Id = String(r.nextId++);
      r.parties.push({ kind, Id, DisplayName: displayName, Active: true, entity: {} });
      return Id;
    },
    refreshCount: () => data.refreshes,
    expireAccessTokens() {
      for (const t of Object.values(data.accessTokens)) t.expiresAt = Math.min(t.expiresAt, now());
    },
  });
}

interface ParsedQuery {
  entity: 'Customer' | 'Vendor' | 'Employee';
  conditions: { field: string; test: (row: Record<string, unknown>) => boolean }[];
  start: number;
  max: number;
}

/** The subset of Intuit's query language a look-up needs: `=`, `IN (…)`, `LIKE` joined by AND; paging. */
export function parseQuery(q: string): ParsedQuery | undefined {
  const m =
    /^\s*select\s+(?:\*|[\w.,\s]+?)\s+from\s+(Customer|Vendor|Employee)\b(?:\s+where\s+([\s\S]+?))?(?:\s+orderby\s+[\w.]+(?:\s+(?:asc|desc))?)?(?:\s+startposition\s+(\d+))?(?:\s+maxresults\s+(\d+))?\s*$/i.exec(
      q,
    );
  if (!m) return undefined;
  const entity = ((m[1] as string)[0]?.toUpperCase() +
    (m[1] as string).slice(1).toLowerCase()) as ParsedQuery['entity'];
  const conditions: ParsedQuery['conditions'] = [];
  const where = m[2]?.trim();
  if (where) {
    const cond =
      /\s*([\w.]+)\s*(=|IN|LIKE)\s*('(?:[^'\\]|\\.)*'|\([^)]*\)|true|false|-?\d+(?:\.\d+)?)\s*(?:AND\b|$)/iy;
    let pos = 0;
    while (pos < where.length) {
      cond.lastIndex = pos;
      const c = cond.exec(where);
      if (!c) return undefined;
      pos = cond.lastIndex;
      const field = c[1] as string;
      const op = (c[2] as string).toUpperCase();
      const literal = (v: string): unknown => {
        const t = v.trim();
        if (t.startsWith("'")) return t.slice(1, -1).replace(/\\(.)/g, '$1');
        if (/^(true|false)$/i.test(t)) return t.toLowerCase() === 'true';
        return Number(t);
      };
      const eq = (a: unknown, b: unknown) =>
        typeof a === 'string' && typeof b === 'string' ? norm(a) === norm(b) : String(a) === String(b);
      const raw = c[3] as string;
      if (op === 'IN') {
        if (!raw.startsWith('(')) return undefined;
        const values = raw.slice(1, -1).split(',').map(literal);
        conditions.push({ field, test: (row) => values.some((v) => eq(get(row, field), v)) });
      } else if (op === 'LIKE') {
        const pattern = String(literal(raw));
        const re = new RegExp(
          `^${pattern
            .split('%')
            .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
            .join('.*')}$`,
          'i',
        );
        conditions.push({ field, test: (row) => re.test(String(get(row, field) ?? '')) });
      } else {
        const value = literal(raw);
        conditions.push({ field, test: (row) => eq(get(row, field), value) });
      }
    }
  }
  return {
    entity,
    conditions,
    start: m[3] ? Math.max(1, Number(m[3])) : 1,
    max: m[4] ? Math.min(1000, Number(m[4])) : 100,
  };
}
