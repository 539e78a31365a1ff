import crypto from 'node:crypto';
import type { ChargeOverCredentials } from '../../shared/erps/chargeover/credentials';
import {
  basicAuth,
  createRateLimiter,
  type Handler,
  isAsciiEmail,
  type ListenOptions,
  type Route,
  type SimRequest,
  type SimResponse,
  type Simulator,
  startSimulator,
} from './kit';

/**
 * ChargeOver REST API v3 simulator (../shared/erp/chargeover.md, A.10 checklist): HTTP Basic (API username +
 * private key) → 401 envelope; `POST /api/v3/customer` with `company` required → 400 envelope; `external_key`
 * unique, including keys of deleted customers → error envelope; 201 + `Location` + `{"response":{"id":N}}`;
 * `GET /customer/{id}`, `/customer/external_key:{key}`, `/customer?where=…`, `/customer/_count`; 429 past a
 * per-credential window. Every answer uses ChargeOver's envelope `{code, status, message, details, response}`.
 *
 * UNVERIFIED upstream, so configurable here: the HTTP status and text of the duplicate-key error, the numeric
 * rate limit and whether a 429 carries `Retry-After`, the message for wrong (rather than missing) credentials.
 */
export const CHARGEOVER_DEMO_CREDENTIALS: ChargeOverCredentials = {
  instance: 'demo',
  username: 'demo-api-user',
  privateKey: 'demo-private-key-0123456789abcdef',
};

export interface ChargeOverSimulatorOptions {
  /** API credential pairs the instance accepts (default: the demo pair). */
  credentials?: { username: string; privateKey: string }[];
  /** Requests per window per API username; `false` turns the limit off. Default 60 per minute (an assumption). */
  rateLimit?: { requests: number; windowMs: number } | false;
  /** Send `Retry-After` (seconds) with a 429. Default true. */
  retryAfterHeader?: boolean;
  /** How a taken `external_key` is answered: 400 (default, the likely reading) or 409. */
  duplicateStatus?: 400 | 409;
  now?: () => number;
}

export type ChargeOverSimCustomer = Record<string, unknown> & {
  customer_id: number;
  external_key: string | null;
  company: string;
  superuser_id: number | null;
  token: string;
  write_datetime: string;
  mod_datetime: string;
  customer_status_state: string;
};

export type ChargeOverSimulator = Simulator & {
  /** Customers currently in the instance (deleted ones excluded). */
  customers(): ChargeOverSimCustomer[];
};

const ID_FIELDS = new Set([
  'parent_customer_id',
  'language_id',
  'currency_id',
  'class_id',
  'admin_id',
  'campaign_id',
  'brand_id',
  'terms_id',
  'custtype_id',
]);
const FLAG_FIELDS = new Set(['no_taxes', 'no_dunning', 'no_latefees', 'no_procfees']);
const DELIVERY_FIELDS = new Set(['invoice_delivery', 'dunning_delivery']);
/** Fields ChargeOver sets itself; a client cannot post them. */
const READ_ONLY = new Set([
  'customer_id',
  'superuser_id',
  'token',
  'write_datetime',
  'mod_datetime',
  'customer_status_state',
]);

const MISSING_AUTH = 'Invalid or incorrect authorization [Missing (basic) authorization header.]';
const BAD_AUTH = 'Invalid or incorrect authorization [Invalid API username or private key.]';
const BAD_PARAM = 'Missing or invalid parameter.';

/** The instance's currencies and languages (object names UNVERIFIED: `<type>_id` like the customer's fields). */
export const CURRENCIES = [
  { currency_id: 1, currency_iso4217: 'USD', currency_name: 'US Dollar', currency_symbol: '$' },
  { currency_id: 2, currency_iso4217: 'CAD', currency_name: 'Canadian Dollar', currency_symbol: '$' },
  { currency_id: 5, currency_iso4217: 'EUR', currency_name: 'Euro', currency_symbol: '€' },
  { currency_id: 7, currency_iso4217: 'COP', currency_name: 'Colombian Peso', currency_symbol: '$' },
];
export const LANGUAGES = [
  { language_id: 1, language_name: 'English', language_iso639: 'en' },
  { language_id: 2, language_name: 'Español', language_iso639: 'es' },
];

function envelope(
  code: number,
  message: string,
  response: unknown,
  headers?: Record<string, string>,
): SimResponse {
  return {
    status: code,
    headers,
    body: { code, status: code < 400 ? 'OK' : 'Error', message, details: {}, response },
  };
}
const error = (code: number, message: string, headers?: Record<string, string>) =>
  envelope(code, message, false, headers);

/** Splits `a:EQUALS:x,b:CONTAINS:y\,z` on unescaped commas. */
function splitConditions(where: string): string[] {
  return where
    .split(/(?<!\\),/)
    .map((c) => c.replace(/\\,/g, ','))
    .filter((c) => c !== '');
}

type Predicate = (c: ChargeOverSimCustomer) => boolean;

/** One `field:OPERATOR:value` condition (the value may itself contain colons); undefined when malformed. */
function parseCondition(cond: string): Predicate | undefined {
  const i = cond.indexOf(':');
  if (i <= 0) return undefined;
  const field = cond.slice(0, i);
  const rest = cond.slice(i + 1);
  const text = (c: ChargeOverSimCustomer) => {
    const v = c[field];
    return v === null || v === undefined ? null : String(v);
  };
  if (rest === 'IS:NULL') return (c) => text(c) === null || text(c) === '';
  if (rest === 'ISNOT:NULL') return (c) => text(c) !== null && text(c) !== '';
  const j = rest.indexOf(':');
  if (j < 0) return undefined;
  const op = rest.slice(0, j);
  const value = rest.slice(j + 1);
  const num = (c: ChargeOverSimCustomer) => Number(text(c));
  switch (op) {
    case 'EQUALS':
      return (c) => text(c) === value;
    case 'NOTEQUALS':
      return (c) => text(c) !== value;
    case 'CONTAINS':
      return (c) => (text(c) ?? '').toLowerCase().includes(value.toLowerCase());
    case 'GT':
      return (c) => num(c) > Number(value);
    case 'LT':
      return (c) => num(c) < Number(value);
    case 'GTE':
      return (c) => num(c) >= Number(value);
    case 'LTE':
      return (c) => num(c) <= Number(value);
    default:
      return undefined;
  }
}

/** Why a create body would be refused (ChargeOver answers all of these with the generic 400 message). */
function invalidBody(body: unknown): boolean {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return true;
  const b = body as Record<string, unknown>;
  if (typeof b.company !== 'string' || b.company.trim() === '') return true;
  for (const [k, v] of Object.entries(b)) {
    if (v === null) continue;
    if (READ_ONLY.has(k)) return true;
    if (ID_FIELDS.has(k) && !(Number.isInteger(Number(v)) && Number(v) > 0)) return true;
    if (FLAG_FIELDS.has(k) && !(typeof v === 'boolean' || v === 0 || v === 1)) return true;
    if (DELIVERY_FIELDS.has(k) && v !== 'email' && v !== 'print') return true;
    if (/^custom_\d+$/.test(k) && !/^custom_([1-9]|1\d|20)$/.test(k)) return true;
    if (k === 'external_key' && typeof v !== 'string') return true;
    // "Billing address state/province" is text: a digit-only value is a code (e.g. Colombia's DANE "11"), not a name.
    if ((k === 'bill_state' || k === 'ship_state') && (typeof v !== 'string' || /^\d+$/.test(v.trim())))
      return true;
    if (k === 'superuser_email' && !(typeof v === 'string' && (v === '' || isAsciiEmail(v)))) return true;
  }
  return false;
}

export async function startChargeOverSimulator(
  listen: ListenOptions = {},
  options: ChargeOverSimulatorOptions = {},
): Promise<ChargeOverSimulator> {
  const now = options.now ?? Date.now;
  const accepted = options.credentials ?? [CHARGEOVER_DEMO_CREDENTIALS];
  const limit = options.rateLimit === undefined ? { requests: 60, windowMs: 60_000 } : options.rateLimit;
  const limiter = limit ? createRateLimiter(() => limit.requests, limit.windowMs, now) : undefined;

  let customers: ChargeOverSimCustomer[] = [];
  /** external_key values can never be re-used, even after the customer is deleted. */
  let retiredKeys: string[] = [];
  let nextId = 1;
  let nextUserId = 1;

  const active = () => customers;
  const keyTaken = (key: string) =>
    customers.some((c) => c.external_key === key) || retiredKeys.includes(key);
  const stamp = () => new Date(now()).toISOString().replace(/\.\d{3}Z$/, '+00:00');

  /** Auth, then the rate limit, in front of every API route. */
  const api =
    (handler: Handler): Handler =>
    (req) => {
      const pair = basicAuth(req.headers);
      if (!pair) return error(401, MISSING_AUTH);
      if (!accepted.some((c) => c.username === pair[0] && c.privateKey === pair[1]))
        return error(401, BAD_AUTH);
      const waitMs = limiter?.take(pair[0]) ?? 0;
      if (waitMs > 0) {
        const headers =
          options.retryAfterHeader === false
            ? undefined
            : { 'Retry-After': String(Math.ceil(waitMs / 1000)) };
        return error(429, 'Too Many Requests', headers);
      }
      return handler(req);
    };

  const create: Handler = (req) => {
    if (invalidBody(req.body)) return error(400, BAD_PARAM);
    const body = req.body as Record<string, unknown>;
    if (
      body.currency_id !== undefined &&
      !CURRENCIES.some((c) => c.currency_id === Number(body.currency_id))
    ) {
      return error(400, `Invalid currency_id: ${String(body.currency_id)}`);
    }
    if (
      body.language_id !== undefined &&
      !LANGUAGES.some((l) => l.language_id === Number(body.language_id))
    ) {
      return error(400, `Invalid language_id: ${String(body.language_id)}`);
    }
    const key = typeof body.external_key === 'string' && body.external_key !== '' ? body.external_key : null;
    if (key !== null && keyTaken(key)) {
      return error(
        options.duplicateStatus ?? 400,
        `The external key "${key}" is already in use by another customer.`,
      );
    }
    const hasUser = ['superuser_email', 'superuser_name', 'superuser_first_name', 'superuser_username'].some(
      (f) => typeof body[f] === 'string' && body[f] !== '',
    );
    const at = stamp();
    const record: ChargeOverSimCustomer = {
      ...body,
      customer_id: nextId++,
      external_key: key,
      company: String(body.company),
      superuser_id: hasUser ? nextUserId++ : null,
      token: crypto.randomBytes(6).toString('hex'),
      write_datetime: at,
      mod_datetime: at,
      customer_status_state: 'a',
    };
    customers.push(record);
    const host = req.headers.host ?? '127.0.0.1';
    return envelope(
      201,
      '',
      { id: record.customer_id },
      {
        Location: `http://${host}/api/v3/customer/${record.customer_id}`,
      },
    );
  };

  const filtered = (req: SimRequest): ChargeOverSimCustomer[] | undefined => {
    const where = req.query.get('where');
    if (!where) return active();
    const preds = splitConditions(where).map(parseCondition);
    if (preds.some((p) => !p)) return undefined;
    return active().filter((c) => preds.every((p) => (p as Predicate)(c)));
  };

  const list: Handler = (req) => {
    const rows = filtered(req);
    if (!rows) return error(400, BAD_PARAM);
    const offset = Math.max(0, Number(req.query.get('offset') ?? 0) || 0);
    const limitN = Math.min(500, Math.max(1, Number(req.query.get('limit') ?? 10) || 10));
    return envelope(200, '', rows.slice(offset, offset + limitN));
  };

  const count: Handler = (req) => {
    const rows = filtered(req);
    return rows ? envelope(200, '', rows.length) : error(400, BAD_PARAM);
  };

  const getOne: Handler = (req) => {
    const ref = req.params.ref ?? '';
    const found = ref.startsWith('external_key:')
      ? active().find((c) => c.external_key === ref.slice('external_key:'.length))
      : active().find((c) => String(c.customer_id) === ref);
    return found ? envelope(200, '', found) : error(404, 'Object not found');
  };

  const remove: Handler = (req) => {
    const found = active().find((c) => String(c.customer_id) === req.params.id);
    if (!found) return error(404, 'Object not found');
    customers = customers.filter((c) => c !== found);
    if (found.external_key) retiredKeys.push(found.external_key);
    return envelope(200, '', true);
  };

  const unsupported: Handler = (req) =>
    error(400, `The object type requested is not supported: list(${req.params.type ?? ''}, )`);

  const routes: Route[] = [
    { method: 'POST', path: '/api/v3/customer', handler: api(create) },
    { method: 'GET', path: '/api/v3/customer', handler: api(list) },
    { method: 'GET', path: '/api/v3/customer/_count', handler: api(count) },
    { method: 'GET', path: '/api/v3/customer/:ref', handler: api(getOne) },
    { method: 'DELETE', path: '/api/v3/customer/:id', handler: api(remove) },
    { method: 'GET', path: '/api/v3/currency', handler: api(() => envelope(200, '', CURRENCIES)) },
    { method: 'GET', path: '/api/v3/language', handler: api(() => envelope(200, '', LANGUAGES)) },
    ...['GET', 'POST', 'PUT', 'DELETE'].map((method) => ({
      method,
      path: /^\/api\/v3\/(?!(?:customer|currency|language)(?:\/|$))(?<type>[^/]+)(?:\/.*)?$/,
      handler: api(unsupported),
    })),
  ];

  const sim = await startSimulator(
    {
      name: 'chargeover',
      routes,
      state: () => ({ customers: active(), retiredExternalKeys: retiredKeys }),
      reset: () => {
        customers = [];
        retiredKeys = [];
        nextId = 1;
        nextUserId = 1;
        limiter?.reset();
      },
      snapshot: {
        save: () => ({ customers, retiredKeys, nextId, nextUserId }),
        restore: (data) => {
          const d = data as Partial<{
            customers: ChargeOverSimCustomer[];
            retiredKeys: string[];
            nextId: number;
            nextUserId: number;
          }>;
          customers = d.customers ?? [];
          retiredKeys = d.retiredKeys ?? [];
          nextId = d.nextId ?? customers.reduce((m, c) => Math.max(m, c.customer_id + 1), 1);
          nextUserId = d.nextUserId ?? 1;
        },
      },
    },
    listen,
  );
  return Object.assign(sim, { customers: () => [...active()] });
}
