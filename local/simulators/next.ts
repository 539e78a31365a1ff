import { randomUUID } from 'node:crypto';
import {
  createRateLimiter,
  isAsciiEmail,
  type ListenOptions,
  type SimRequest,
  type SimResponse,
  type Simulator,
  startSimulator,
} from './kit';

/**
 * NEXT (Next Project API, api.next-tech.com/v1) as ../shared/erp/next.md documents it:
 * - `POST /v1/token`: OAuth2 password form (username = database number, password = one-time API key,
 *   client_id/client_secret); the key is spent on first use; the token never expires.
 * - Bearer on everything else: none → 401 `{"detail":"Not authenticated"}`; an unknown/revoked token → 403
 *   `{"detail":"access_denied"}`.
 * - `POST /v1/customer/` → 200 with the stored customer (`id` = DB identity; `customerno` generated as a
 *   6-digit zero-padded number when not given); FastAPI 422 `{"detail":[{loc,msg,type}]}` for body errors;
 *   400 `{"detail":"The value … in the field '…' does not match a valid record …"}` for unknown ids.
 * - `GET /v1/customer/?filter_str=<json>&page=&size=` → `{items,total,page,size}`, active customers only
 *   unless `active` is filtered; `GET /v1/customer/{id}`.
 * - 10 calls/s per (client id, database) → 429; `/token` counted per caller IP.
 * Unconfirmed in the facts, and configurable here: whether a reused `customerno` is refused
 * (`uniqueCustomerNo`, default false: NEXT documents no uniqueness rule) and the status for a spent key.
 * The keys of fields whose JSON spelling is unconfirmed follow shared/erps/next/fields.ts (see docs/erps/next.md).
 */
export interface NextSimulatorOptions {
  /** Calls per second per (client id, database). Default 10 (documented). */
  rateLimitPerSecond?: number;
  /** `/token` calls per second per caller IP. Default 10. */
  tokenRateLimitPerSecond?: number;
  /** Refuse a second customer with the same `customerno` (400). Default false (no rule documented). */
  uniqueCustomerNo?: boolean;
  /** Status for a spent, unknown or mismatched one-time key. Default 400 (UNVERIFIED). */
  spentKeyStatus?: 400 | 401;
  /** Integrator clients accepted by `/token` (client id → secret). The demo client is always accepted. */
  clients?: Record<string, string>;
  /** The clock of the rate limits (epoch ms). Default Date.now. */
  now?: () => number;
}

/** What the local stack's `demo-next` connection holds: already exchanged, so it survives restarts. */
export const NEXT_DEMO_CREDENTIALS = {
  clientId: 'erpbridge-demo',
  clientSecret: 'demo-next-client-secret',
  databaseNo: '1234',
  accessToken: '5109d8fc-aade-46ea-a355-2d707ba16b82',
} as const;

type Kind = 'str' | 'int' | 'bool' | 'num';
/** The Create Customer body as the simulator validates it: kind, max length, required. */
const FIELDS: Record<string, { kind: Kind; max?: number; required?: boolean; nullable?: boolean }> = {
  active: { kind: 'bool' },
  apartmentno: { kind: 'str', max: 10, nullable: true },
  bankaccountno: { kind: 'str', max: 50, nullable: true },
  bankname: { kind: 'str', max: 50, nullable: true },
  billaddress1: { kind: 'str', max: 50, nullable: true },
  billaddress2: { kind: 'str', max: 50, nullable: true },
  billaddress3: { kind: 'str', max: 50, nullable: true },
  billaddress4: { kind: 'str', max: 50, nullable: true },
  billaddress5: { kind: 'str', max: 50, nullable: true },
  billaddress6: { kind: 'str', max: 50, nullable: true },
  billingtermsid: { kind: 'int', nullable: true },
  clearingno: { kind: 'str', max: 20, nullable: true },
  constructioncompany: { kind: 'bool' },
  countrycode: { kind: 'str', max: 2, nullable: true },
  creditrisk: { kind: 'bool' },
  currencyid: { kind: 'int' },
  customerno: { kind: 'str', max: 50, nullable: true },
  customernote: { kind: 'str', max: 128_000, nullable: true },
  customertypeid: { kind: 'int', required: true },
  defaultexternalworkorderstatusid: { kind: 'int', nullable: true },
  eancode: { kind: 'str', max: 50, nullable: true },
  ediaddress: { kind: 'str', max: 255, nullable: true },
  email: { kind: 'str', max: 255, nullable: true },
  externalid: { kind: 'str', max: 50, nullable: true },
  fax: { kind: 'str', max: 30, nullable: true },
  frameworkcontractid: { kind: 'int', nullable: true },
  housingcooperativeorgno: { kind: 'str', max: 15, nullable: true },
  iban: { kind: 'str', max: 34, nullable: true },
  invoiceemail: { kind: 'str', max: 255, nullable: true },
  invoicetypeid: { kind: 'int', nullable: true },
  isalsosupplier: { kind: 'bool' },
  markuppercentage: { kind: 'num', nullable: true },
  mobile: { kind: 'str', nullable: true },
  name: { kind: 'str', max: 50, required: true },
  novat: { kind: 'bool' },
  organizationno: { kind: 'str', nullable: true },
  phone: { kind: 'str', nullable: true },
  privateperson: { kind: 'bool' },
  propertyname: { kind: 'str', nullable: true },
  swiftbic: { kind: 'str', nullable: true },
  useinvoicefee: { kind: 'bool' },
  vatno: { kind: 'str', nullable: true },
  webaddress: { kind: 'str', nullable: true },
};
const BOOL_DEFAULTS: Record<string, boolean> = {
  active: true,
  constructioncompany: false,
  creditrisk: false,
  isalsosupplier: false,
  novat: false,
  privateperson: false,
  useinvoicefee: false,
};
const CUSTOMER_TYPES: Record<number, string> = { 1: 'Company', 2: 'Private', 3: 'Government' };
const CURRENCIES: Record<number, string> = { 1: 'SEK', 2: 'EUR', 3: 'NOK' };
const API_USER_ID = 42;

export interface NextSimCustomer {
  id: number;
  databaseNo: string;
  [field: string]: unknown;
}

interface OneTimeKey {
  databaseNo: string;
  used: boolean;
}

interface TokenGrant {
  clientId: string;
  databaseNo: string;
}

export interface NextSimulator extends Simulator {
  /** Makes a one-time API key for a database, as an admin does in NEXT (Admin → Integrations → API keys). */
  issueOneTimeKey(databaseNo?: string): string;
  /** Deletes the API key behind a token (the token is refused with 403 afterwards). */
  revokeToken(token: string): void;
  customers(): NextSimCustomer[];
}

/** pydantic's lax coercion for one value; `undefined` = not acceptable. */
function coerce(kind: Kind, v: unknown): unknown {
  switch (kind) {
    case 'str':
      return typeof v === 'string' ? v : undefined;
    case 'int':
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      return typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : undefined;
    case 'num':
      if (typeof v === 'number' && Number.isFinite(v)) return v;
      return typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined;
    case 'bool':
      if (typeof v === 'boolean') return v;
      if (v === 0 || v === 1) return v === 1;
      if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
      return undefined;
  }
}

const TYPE_ERRORS: Record<Kind, [string, string]> = {
  str: ['string_type', 'Input should be a valid string'],
  int: ['int_parsing', 'Input should be a valid integer, unable to parse string as an integer'],
  num: ['float_parsing', 'Input should be a valid number, unable to parse string as a number'],
  bool: ['bool_parsing', 'Input should be a valid boolean, unable to interpret input'],
};

interface DetailEntry {
  type: string;
  loc: (string | number)[];
  msg: string;
  ctx?: Record<string, unknown>;
}

/** Body validation the FastAPI way: every problem in one 422 list. */
function validateBody(raw: unknown): { errors: DetailEntry[]; values: Record<string, unknown> } {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return {
      errors: [{ type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary' }],
      values: {},
    };
  }
  const body = raw as Record<string, unknown>;
  const errors: DetailEntry[] = [];
  const values: Record<string, unknown> = {};
  for (const [key, f] of Object.entries(FIELDS)) {
    const v = body[key];
    if (v === undefined || (v === null && !f.required && f.nullable)) {
      if (f.required) errors.push({ type: 'missing', loc: ['body', key], msg: 'Field required' });
      else if (v === null) values[key] = null;
      continue;
    }
    const c = coerce(f.kind, v);
    if (c === undefined) {
      const [type, msg] = TYPE_ERRORS[f.kind];
      errors.push({ type, loc: ['body', key], msg });
      continue;
    }
    if (f.max !== undefined && typeof c === 'string' && c.length > f.max) {
      errors.push({
        type: 'string_too_long',
        loc: ['body', key],
        msg: `String should have at most ${f.max} characters`,
        ctx: { max_length: f.max },
      });
      continue;
    }
    values[key] = c;
  }
  for (const key of ['email', 'invoiceemail']) {
    const v = values[key];
    if (typeof v === 'string' && v !== '' && !isAsciiEmail(v)) {
      errors.push({ type: 'value_error', loc: ['body', key], msg: 'value is not a valid email address' });
    }
  }
  // Unknown keys are ignored, as pydantic models do by default.
  if (values.novat === true && values.constructioncompany === true) {
    errors.push({
      type: 'value_error',
      loc: ['body', 'constructioncompany'],
      msg: "Value error, constructioncompany is not allowed to be 'true' when novat is 'true'",
    });
  }
  return { errors, values };
}

const localTime = (t: number) => new Date(t).toISOString().slice(0, 19);

/** `filter_str` operators NEXT documents. */
function test(op: string, actual: unknown, expected: unknown): boolean {
  const norm = (v: unknown) => (v === 'true' ? true : v === 'false' ? false : v);
  const a = actual;
  const e = norm(expected);
  switch (op) {
    case '':
      return a === e || (typeof a === 'number' && String(a) === String(e));
    case 'ne':
      return !(a === e || (typeof a === 'number' && String(a) === String(e)));
    case 'in':
      return Array.isArray(expected) && expected.map(norm).some((x) => x === a || String(x) === String(a));
    case 'contains':
      return typeof a === 'string' && typeof e === 'string' && a.toLowerCase().includes(e.toLowerCase());
    case 'lt':
      return a !== null && a !== undefined && (a as number) < (e as number);
    case 'le':
      return a !== null && a !== undefined && (a as number) <= (e as number);
    case 'gt':
      return a !== null && a !== undefined && (a as number) > (e as number);
    case 'ge':
      return a !== null && a !== undefined && (a as number) >= (e as number);
    default:
      return false;
  }
}

const GET_FIELDS = new Set([
  ...Object.keys(FIELDS),
  'id',
  'changed',
  'changedby',
  'created',
  'createdby',
  'billingtermsdescription',
  'currencycode',
  'customertypename',
  'hasfavorites',
  'hasprices',
  'invoicetypename',
]);

export async function startNextSimulator(
  listen?: ListenOptions,
  options: NextSimulatorOptions = {},
): Promise<NextSimulator> {
  const clients: Record<string, string> = {
    [NEXT_DEMO_CREDENTIALS.clientId]: NEXT_DEMO_CREDENTIALS.clientSecret,
    ...options.clients,
  };
  const spentKeyStatus = options.spentKeyStatus ?? 400;
  let customers: NextSimCustomer[] = [];
  let keys = new Map<string, OneTimeKey>();
  let tokens = new Map<string, TokenGrant>();
  let nextId = 1001;
  let numbers: Record<string, number> = {};

  const seedDemo = () => {
    tokens.set(NEXT_DEMO_CREDENTIALS.accessToken, {
      clientId: NEXT_DEMO_CREDENTIALS.clientId,
      databaseNo: NEXT_DEMO_CREDENTIALS.databaseNo,
    });
  };
  const reset = () => {
    customers = [];
    keys = new Map();
    tokens = new Map();
    nextId = 1001;
    numbers = {};
    limiter.reset();
    tokenLimiter.reset();
    seedDemo();
  };
  const limiter = createRateLimiter(() => options.rateLimitPerSecond ?? 10, 1000, options.now);
  const tokenLimiter = createRateLimiter(() => options.tokenRateLimitPerSecond ?? 10, 1000, options.now);
  seedDemo();

  const tooMany: SimResponse = { status: 429, body: { detail: 'Too Many Requests' } };

  /** Bearer check, then the per-(client, database) rate limit. */
  const authorize = (req: SimRequest): TokenGrant | SimResponse => {
    const h = req.headers.authorization;
    if (!h || !/^Bearer\s+\S/i.test(h)) {
      return {
        status: 401,
        body: { detail: 'Not authenticated' },
        headers: { 'WWW-Authenticate': 'Bearer' },
      };
    }
    const grant = tokens.get(h.replace(/^Bearer\s+/i, '').trim());
    if (!grant) return { status: 403, body: { detail: 'access_denied' } };
    if (limiter.take(`${grant.clientId}/${grant.databaseNo}`) > 0) return tooMany;
    return grant;
  };
  const isGrant = (g: TokenGrant | SimResponse): g is TokenGrant => 'databaseNo' in g;

  const nextCustomerNo = (databaseNo: string): string => {
    const taken = new Set(customers.filter((c) => c.databaseNo === databaseNo).map((c) => c.customerno));
    let n = numbers[databaseNo] ?? 1000;
    let no: string;
    do {
      n += 1;
      no = String(n).padStart(6, '0');
    } while (taken.has(no));
    numbers[databaseNo] = n;
    return no;
  };

  const view = (c: NextSimCustomer) => {
    const { databaseNo: _db, ...rest } = c;
    return rest;
  };

  const token = (req: SimRequest): SimResponse => {
    const ip = String(req.headers['x-forwarded-for'] ?? 'loopback');
    if (tokenLimiter.take(ip) > 0) return tooMany;
    const form = (req.body ?? {}) as Record<string, string>;
    const missing = ['username', 'password'].filter((k) => !form[k]);
    if (missing.length) {
      return {
        status: 422,
        body: { detail: missing.map((k) => ({ type: 'missing', loc: ['body', k], msg: 'Field required' })) },
      };
    }
    if (form.grant_type !== 'password') {
      return {
        status: 422,
        body: {
          detail: [
            {
              type: 'string_pattern_mismatch',
              loc: ['body', 'grant_type'],
              msg: "String should match pattern '^password$'",
            },
          ],
        },
      };
    }
    const clientId = form.client_id ?? '';
    if (!clientId || clients[clientId] !== form.client_secret) {
      return { status: 401, body: { detail: 'Invalid client' }, headers: { 'WWW-Authenticate': 'Bearer' } };
    }
    const key = keys.get(form.password ?? '');
    if (!key || key.used || key.databaseNo !== form.username) {
      return { status: spentKeyStatus, body: { detail: 'Incorrect username or password' } };
    }
    key.used = true;
    const accessToken = randomUUID();
    tokens.set(accessToken, { clientId, databaseNo: key.databaseNo });
    return { status: 200, body: { access_token: accessToken, token_type: 'bearer' } };
  };

  const create = (req: SimRequest): SimResponse => {
    const grant = authorize(req);
    if (!isGrant(grant)) return grant;
    const { errors, values } = validateBody(req.body);
    if (errors.length) return { status: 422, body: { detail: errors } };
    const typeId = values.customertypeid as number;
    if (!CUSTOMER_TYPES[typeId]) {
      return {
        status: 400,
        body: {
          detail: `The value '${typeId}' in the field 'customertypeid' does not match a valid record in the CustomerType endpoint.`,
        },
      };
    }
    const currencyId = (values.currencyid as number | undefined) ?? 1;
    if (!CURRENCIES[currencyId]) {
      return {
        status: 400,
        body: {
          detail: `The value '${currencyId}' in the field 'currencyid' does not match a valid record in the Currency endpoint.`,
        },
      };
    }
    if (values.constructioncompany === true && !values.vatno) {
      return {
        status: 400,
        body: { detail: "The field 'vatno' is mandatory when constructioncompany is 'true'." },
      };
    }
    const mine = customers.filter((c) => c.databaseNo === grant.databaseNo);
    const given =
      typeof values.customerno === 'string' && values.customerno !== '' ? values.customerno : undefined;
    if (given && options.uniqueCustomerNo && mine.some((c) => c.customerno === given)) {
      return {
        status: 400,
        body: { detail: `The value '${given}' in the field 'customerno' already exists.` },
      };
    }
    const now = localTime(Date.now());
    const customer: NextSimCustomer = {
      ...Object.fromEntries(Object.keys(FIELDS).map((k) => [k, null])),
      ...BOOL_DEFAULTS,
      ...values,
      id: nextId++,
      databaseNo: grant.databaseNo,
      customerno: given ?? nextCustomerNo(grant.databaseNo),
      currencyid: currencyId,
      currencycode: CURRENCIES[currencyId],
      customertypename: CUSTOMER_TYPES[typeId],
      billingtermsdescription: null,
      invoicetypename: null,
      hasfavorites: false,
      hasprices: false,
      created: now,
      createdby: API_USER_ID,
      changed: now,
      changedby: API_USER_ID,
    };
    customers.push(customer);
    return { status: 200, body: view(customer) };
  };

  /** `GET /v1/customertype/` (UNVERIFIED path): the database's customer types, a NEXT list page. */
  const customerTypes = (req: SimRequest): SimResponse => {
    const grant = authorize(req);
    if (!isGrant(grant)) return grant;
    const items = Object.entries(CUSTOMER_TYPES).map(([id, name]) => ({ id: Number(id), name }));
    return { status: 200, body: { items, total: items.length, page: 1, size: items.length } };
  };

  const list = (req: SimRequest): SimResponse => {
    const grant = authorize(req);
    if (!isGrant(grant)) return grant;
    let filter: Record<string, unknown> = {};
    const raw = req.query.get('filter_str');
    if (raw !== null && raw !== '') {
      try {
        filter = JSON.parse(raw);
      } catch {
        return {
          status: 422,
          body: { detail: { loc: ['filter_str'], msg: 'Failed to decode json', type: 'format' } },
        };
      }
      if (!filter || typeof filter !== 'object' || Array.isArray(filter)) {
        return {
          status: 422,
          body: { detail: { loc: ['filter_str'], msg: 'Filter must be a json object', type: 'format' } },
        };
      }
    }
    const conditions = Object.entries(filter).map(([k, v]) => {
      const m = /^(.*?)(?:__(ne|in|contains|lt|le|gt|ge))?$/.exec(k) as RegExpExecArray;
      return { field: m[1] as string, op: m[2] ?? '', value: v };
    });
    const unknown = conditions.filter((c) => !GET_FIELDS.has(c.field)).map((c) => `'${c.field}'`);
    if (unknown.length) {
      return {
        status: 422,
        body: {
          detail: {
            loc: ['filter_str'],
            msg: `Invalid filter fields for CustomerGET: {${unknown.join(', ')}}`,
            type: 'format',
          },
        },
      };
    }
    // Lists return active records only, unless the filter says otherwise.
    if (!conditions.some((c) => c.field === 'active'))
      conditions.push({ field: 'active', op: '', value: true });
    const page = Number(req.query.get('page') ?? '1');
    const size = Number(req.query.get('size') ?? '50');
    if (!Number.isInteger(page) || page < 1 || !Number.isInteger(size) || size < 1 || size > 100) {
      return {
        status: 422,
        body: {
          detail: [
            {
              type: 'less_than_equal',
              loc: ['query', 'size'],
              msg: 'page must be >= 1 and size between 1 and 100',
            },
          ],
        },
      };
    }
    const hits = customers
      .filter((c) => c.databaseNo === grant.databaseNo)
      .filter((c) => conditions.every((k) => test(k.op, c[k.field], k.value)))
      .sort((a, b) => a.id - b.id);
    return {
      status: 200,
      body: { items: hits.slice((page - 1) * size, page * size).map(view), total: hits.length, page, size },
    };
  };

  const getOne = (req: SimRequest): SimResponse => {
    const grant = authorize(req);
    if (!isGrant(grant)) return grant;
    const c = customers.find((x) => x.databaseNo === grant.databaseNo && String(x.id) === req.params.id);
    return c ? { status: 200, body: view(c) } : { status: 404, body: { detail: 'Not found' } };
  };

  const sim = await startSimulator(
    {
      name: 'next',
      routes: [
        { method: 'POST', path: '/v1/token', handler: token },
        { method: 'POST', path: '/v1/customer', handler: create },
        { method: 'GET', path: '/v1/customer', handler: list },
        { method: 'GET', path: '/v1/customer/:id', handler: getOne },
        { method: 'GET', path: '/v1/customertype', handler: customerTypes },
        // Not NEXT: lets the local stack's walk-through mint a one-time key (an admin's click in NEXT).
        {
          method: 'POST',
          path: '/__next/one-time-keys',
          handler: (req) => ({
            status: 201,
            body: { apiKey: issue(String((req.body as { databaseNo?: unknown })?.databaseNo ?? '1234')) },
          }),
        },
      ],
      state: () => ({
        customers: customers.map((c) => ({ ...c })),
        oneTimeKeys: { issued: keys.size, used: [...keys.values()].filter((k) => k.used).length },
        tokens: tokens.size,
      }),
      reset,
      snapshot: {
        save: () => ({
          customers,
          keys: [...keys.entries()],
          tokens: [...tokens.entries()],
          nextId,
          numbers,
        }),
        restore: (data) => {
          const d = data as {
            customers?: NextSimCustomer[];
            keys?: [string, OneTimeKey][];
            tokens?: [string, TokenGrant][];
            nextId?: number;
            numbers?: Record<string, number>;
          };
          customers = d.customers ?? [];
          keys = new Map(d.keys ?? []);
          tokens = new Map(d.tokens ?? []);
          nextId = d.nextId ?? 1001;
          numbers = d.numbers ?? {};
          seedDemo();
        },
      },
    },
    listen,
  );

  function issue(databaseNo: string): string {
    const key = `otk-${randomUUID()}`;
    keys.set(key, { databaseNo, used: false });
    return key;
  }

  return Object.assign(sim, {
    issueOneTimeKey: (databaseNo = NEXT_DEMO_CREDENTIALS.databaseNo) => issue(databaseNo),
    revokeToken: (t: string) => {
      tokens.delete(t);
    },
    customers: () => customers.map((c) => ({ ...c })),
  });
}
