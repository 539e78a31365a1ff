import crypto from 'node:crypto';
import type { SageCredentials } from '../../shared/erps/sage/credentials';
import {
  basicAuth,
  createRateLimiter,
  isAsciiEmail,
  type ListenOptions,
  type Route,
  type SimRequest,
  type SimResponse,
  type Simulator,
  startSimulator,
} from './kit';

/**
 * Sage Business Cloud Accounting, South Africa API 2.0.0 (../shared/erp/sage.md, C.10 checklist):
 * `apikey` query on every call (401), HTTP Basic login (401; more than 20 failures an hour block the user
 * for 24 h with 429), `companyid` on company calls (400 missing, 404 not this login's), `Content-Type`
 * (415), `POST Customer/Save` with Name 1..100 and the documented string lengths (400 with ASP.NET-style
 * ModelState), a server-assigned integer `ID` echoed in the saved Customer, `GET Customer/Get[/{id}]` with
 * OData `$filter`/`$orderby`/`$top` (capped at 100)/`$skip`, `GET Company/Get`, and 100 requests a minute per
 * API key + company + user, past which that triple is blocked for an hour (calls while blocked extend it).
 *
 * UNVERIFIED upstream, so configurable: the create status (200 or 201), whether names must be unique,
 * which fields `$filter` really supports, the exact error texts.
 */
export const SAGE_DEMO_CREDENTIALS: SageCredentials = {
  apiKey: '{5a5e0c1d-5a9e-4d3b-9b1e-0d3e0c5a9e01}',
  username: 'demo@sage-sim.local',
  password: 'demo-sage-password',
  companyId: 262144,
  regionHost: 'accounting.sageone.co.za',
};

export interface SageSimulatorOptions {
  /** API keys Sage issued (braces optional). Default: the demo key. */
  apiKeys?: string[];
  /** Logins and the companies each may use. Default: the demo login with the demo company. */
  users?: { username: string; password: string; companies: number[] }[];
  /** Company names by id (Company/Get). */
  companies?: { id: number; name: string }[];
  /** Requests a minute per API key + company + user; `false` turns it off. Default 100 (documented). */
  requestsPerMinute?: number | false;
  /** How long a rate-limit block lasts. Default one hour (documented). */
  blockMs?: number;
  /** Whether calling while blocked restarts the block ("may extend the blocking period"). Default true. */
  extendBlockWhileBlocked?: boolean;
  /** Failed logins an hour before the user is blocked, and for how long. Default 20 and 24 hours. */
  failedLoginsPerHour?: number;
  loginBlockMs?: number;
  /** Status of a successful create. Default 201 (the general table); 200 is the other reading. */
  createStatus?: 200 | 201;
  /** Refuse a second customer with the same Name (case-insensitive). Default false: no rule is documented. */
  uniqueNames?: boolean;
  /** Fields `$filter` works on; a filter on any other field is ignored (all results). Default: every field. */
  filterableFields?: string[];
  now?: () => number;
}

export type SageSimCustomer = Record<string, unknown> & { ID: number; CompanyId: number; Name: string };

export type SageSimulator = Simulator & {
  /** Customers of one company (default: every company), oldest first. */
  customers(companyId?: number): SageSimCustomer[];
};

const LENGTHS: Record<string, number> = {
  Name: 100,
  TaxReference: 30,
  ContactName: 100,
  Telephone: 30,
  Fax: 30,
  Mobile: 30,
  WebAddress: 100,
  TextField1: 100,
  TextField2: 100,
  TextField3: 100,
  ...Object.fromEntries(
    [1, 2, 3, 4, 5].flatMap((i) => [
      [`PostalAddress0${i}`, 100],
      [`DeliveryAddress0${i}`, 100],
    ]),
  ),
};
const DATE_FIELDS = ['DateField1', 'DateField2', 'DateField3', 'TaxStatusVerified'];
/** What .NET's DateTime parser takes here: an ISO date (time optional) that exists in the calendar. */
function convertsToDateTime(v: string): boolean {
  // Date-only ISO strings parse as UTC, so the calendar check does not depend on the machine's time zone.
  const day = Date.parse(v.slice(0, 10));
  return (
    /^\d{4}-\d{2}-\d{2}($|T)/.test(v) &&
    !Number.isNaN(Date.parse(v)) &&
    !Number.isNaN(day) &&
    new Date(day).toISOString().slice(0, 10) === v.slice(0, 10)
  );
}
const SYSTEM_FIELDS = new Set([
  'ID',
  'Balance',
  'CustomerZoneGuid',
  'Created',
  'Modified',
  'HasActivity',
  'HasSpecialCountryTaxActivity',
  'CurrencySymbol',
  'CompanyId',
]);

const DENIED = { Message: 'Authorization has been denied for this request.' };
const RATE_MESSAGE =
  'Your IP address has exceeded the allowed number of transactions per minute and has been blocked for 1 hour';
const LOGIN_MESSAGE =
  'Your Username has exceeded the allowed number of login attempts and has been blocked for 24 hours';

const normalizeKey = (k: string) => k.replace(/^\{|\}$/g, '').toLowerCase();

/** A query parameter, case-insensitively (Sage's examples use both `companyid` and `CompanyId`). */
function param(req: SimRequest, name: string): string | undefined {
  for (const [k, v] of req.query) if (k.toLowerCase() === name.toLowerCase()) return v;
  return undefined;
}

// --- a small OData $filter: comparisons joined by and/or, string/number/bool/null literals -------------

type Expr =
  | { kind: 'bool'; op: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'cmp'; op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'; field: string; value: unknown };

function tokenize(src: string): string[] {
  const tokens: string[] = [];
  const re = /\s*(?:('(?:[^']|'')*')|([A-Za-z_][A-Za-z0-9_]*)|(-?\d+(?:\.\d+)?)|(\(|\)))/y;
  let i = 0;
  while (i < src.length) {
    if (/^\s*$/.test(src.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(src);
    if (!m) throw new Error(`syntax error at position ${i}`);
    tokens.push((m[1] ?? m[2] ?? m[3] ?? m[4]) as string);
    i = re.lastIndex;
  }
  return tokens;
}

function parseFilter(src: string): Expr {
  const t = tokenize(src);
  let pos = 0;
  const literal = (tok: string | undefined): unknown => {
    if (tok === undefined) throw new Error('a value is missing');
    if (tok.startsWith("'")) return tok.slice(1, -1).replace(/''/g, "'");
    if (tok === 'true' || tok === 'false') return tok === 'true';
    if (tok === 'null') return null;
    if (/^-?\d/.test(tok)) return Number(tok);
    throw new Error(`'${tok}' is not a value`);
  };
  const primary = (): Expr => {
    if (t[pos] === '(') {
      pos++;
      const e = orExpr();
      if (t[pos++] !== ')') throw new Error('a ) is missing');
      return e;
    }
    const field = t[pos++];
    const op = t[pos++]?.toLowerCase();
    if (!field || !/^[A-Za-z_]/.test(field)) throw new Error('a property name is missing');
    if (!op || !['eq', 'ne', 'gt', 'ge', 'lt', 'le'].includes(op)) throw new Error(`unknown operator ${op}`);
    return { kind: 'cmp', op: op as 'eq', field, value: literal(t[pos++]) };
  };
  const andExpr = (): Expr => {
    let e = primary();
    while (t[pos]?.toLowerCase() === 'and') {
      pos++;
      e = { kind: 'bool', op: 'and', left: e, right: primary() };
    }
    return e;
  };
  const orExpr = (): Expr => {
    let e = andExpr();
    while (t[pos]?.toLowerCase() === 'or') {
      pos++;
      e = { kind: 'bool', op: 'or', left: e, right: andExpr() };
    }
    return e;
  };
  const e = orExpr();
  if (pos !== t.length) throw new Error(`unexpected '${t[pos]}'`);
  return e;
}

function fieldsOf(e: Expr): string[] {
  return e.kind === 'bool' ? [...fieldsOf(e.left), ...fieldsOf(e.right)] : [e.field];
}

function test(e: Expr, row: Record<string, unknown>): boolean {
  if (e.kind === 'bool') {
    return e.op === 'and' ? test(e.left, row) && test(e.right, row) : test(e.left, row) || test(e.right, row);
  }
  const v = row[e.field] ?? null;
  switch (e.op) {
    case 'eq':
      return v === e.value;
    case 'ne':
      return v !== e.value;
    default: {
      if (v === null || e.value === null) return false;
      const a = v as number | string;
      const b = e.value as number | string;
      return e.op === 'gt' ? a > b : e.op === 'ge' ? a >= b : e.op === 'lt' ? a < b : a <= b;
    }
  }
}

// --------------------------------------------------------------------------------------------------------

/** Every simulated company's customer categories and sales representatives (paths and fields [3P], see docs). */
const CATEGORIES = [
  { ID: 1, Description: 'Retail', Modified: null, Created: null },
  { ID: 2, Description: 'Wholesale', Modified: null, Created: null },
];
const SALES_REPS = [
  { ID: 11, FirstName: 'Thandi', LastName: 'Nkosi', Active: true },
  { ID: 12, FirstName: 'Pieter', LastName: 'van Wyk', Active: true },
  { ID: 13, FirstName: 'Old', LastName: 'Rep', Active: false },
];

export async function startSageSimulator(
  listen?: ListenOptions,
  options: SageSimulatorOptions = {},
): Promise<SageSimulator> {
  const now = options.now ?? Date.now;
  const apiKeys = new Set((options.apiKeys ?? [SAGE_DEMO_CREDENTIALS.apiKey]).map(normalizeKey));
  const users = options.users ?? [
    {
      username: SAGE_DEMO_CREDENTIALS.username,
      password: SAGE_DEMO_CREDENTIALS.password,
      companies: [SAGE_DEMO_CREDENTIALS.companyId],
    },
  ];
  const companyNames = new Map(
    (options.companies ?? [{ id: SAGE_DEMO_CREDENTIALS.companyId, name: 'Demo Trading (Pty) Ltd' }]).map(
      (c) => [c.id, c.name],
    ),
  );
  const blockMs = options.blockMs ?? 3_600_000;
  const loginBlockMs = options.loginBlockMs ?? 86_400_000;
  const perMinute = options.requestsPerMinute ?? 100;
  const limiter = createRateLimiter(
    () => (perMinute === false ? Number.MAX_SAFE_INTEGER : perMinute),
    60_000,
    now,
  );
  const failedLogins = createRateLimiter(() => options.failedLoginsPerHour ?? 20, 3_600_000, now);

  let customers: SageSimCustomer[] = [];
  let nextId = 4_100_001;
  /** Blocked scopes (api key|company|user, or `login|user`) → until. */
  const blocks = new Map<string, number>();

  const blocked = (key: string): boolean => {
    const until = blocks.get(key);
    if (until === undefined) return false;
    if (until <= now()) {
      blocks.delete(key);
      return false;
    }
    return true;
  };

  /** Key, login, company and rate limit, in that order; the caller's context or the answer to send. */
  const guard = (
    req: SimRequest,
    companyScoped: boolean,
  ): { user: string; companyId?: number } | { deny: SimResponse } => {
    const key = param(req, 'apikey');
    if (!key || !apiKeys.has(normalizeKey(key))) return { deny: { status: 401, body: DENIED } };
    const login = basicAuth(req.headers);
    const username = login?.[0] ?? '';
    if (username && blocked(`login|${username.toLowerCase()}`)) {
      return { deny: { status: 429, body: { Message: LOGIN_MESSAGE } } };
    }
    const user = users.find((u) => u.username.toLowerCase() === username.toLowerCase());
    if (!login || !user || user.password !== login[1]) {
      if (username && failedLogins.take(username.toLowerCase()) > 0) {
        blocks.set(`login|${username.toLowerCase()}`, now() + loginBlockMs);
        return { deny: { status: 429, body: { Message: LOGIN_MESSAGE } } };
      }
      return { deny: { status: 401, body: DENIED } };
    }
    let companyId: number | undefined;
    if (companyScoped) {
      const raw = param(req, 'companyid');
      if (!raw || !/^\d+$/.test(raw)) {
        return { deny: { status: 400, body: { Message: 'The companyid query parameter is required.' } } };
      }
      companyId = Number(raw);
      if (!user.companies.includes(companyId)) {
        return { deny: { status: 404, body: { Message: 'Company not found.' } } };
      }
    }
    const scope = `${normalizeKey(key)}|${companyId ?? '-'}|${user.username.toLowerCase()}`;
    if (blocked(scope)) {
      if (options.extendBlockWhileBlocked ?? true) blocks.set(scope, now() + blockMs);
      return { deny: { status: 429, body: { Message: RATE_MESSAGE } } };
    }
    if (limiter.take(scope) > 0) {
      blocks.set(scope, now() + blockMs);
      return { deny: { status: 429, body: { Message: RATE_MESSAGE } } };
    }
    return { user: user.username, companyId };
  };

  const validate = (body: Record<string, unknown>): Record<string, string[]> => {
    const errors: Record<string, string[]> = {};
    const add = (field: string, message: string) => {
      const k = `customer.${field}`;
      errors[k] = [...(errors[k] ?? []), message];
    };
    if (typeof body.Name !== 'string' || body.Name.trim() === '') add('Name', 'The Name field is required.');
    for (const [field, max] of Object.entries(LENGTHS)) {
      const v = body[field];
      if (v === undefined || v === null) continue;
      if (typeof v !== 'string')
        add(field, `Error converting value to type 'System.String'. Path '${field}'.`);
      else if (v.length > max)
        add(field, `The field ${field} must be a string with a maximum length of ${max}.`);
    }
    // Json.NET model binding: a date Sage cannot convert is a ModelState error (the customer is not saved).
    for (const field of DATE_FIELDS) {
      const v = body[field];
      if (v === undefined || v === null) continue;
      if (typeof v !== 'string' || !convertsToDateTime(v)) {
        add(field, `Could not convert string to DateTime: ${String(v).slice(0, 40)}. Path '${field}'.`);
      }
    }
    const cm = body.CommunicationMethod;
    if (
      cm !== undefined &&
      cm !== null &&
      !(Number.isInteger(cm) && (cm as number) >= 0 && (cm as number) <= 3)
    ) {
      add(
        'CommunicationMethod',
        'The CommunicationMethod must be None = 0, Print = 1, Email = 2, Print and Email = 3.',
      );
    }
    if (
      typeof body.Email === 'string' &&
      body.Email !== '' &&
      (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(body.Email) || !isAsciiEmail(body.Email))
    ) {
      add('Email', 'The Email field is not a valid e-mail address.');
    }
    return errors;
  };

  const save = (req: SimRequest): SimResponse => {
    const g = guard(req, true);
    if ('deny' in g) return g.deny;
    const ctype = String(req.headers['content-type'] ?? '');
    if (!/application\/json|text\/json/i.test(ctype)) {
      return {
        status: 415,
        body: {
          Message: `The request entity's media type '${ctype || 'none'}' is not supported for this resource.`,
        },
      };
    }
    const body = req.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      return {
        status: 400,
        body: {
          Message: 'The request is invalid.',
          ModelState: { customer: ['A Customer object is required.'] },
        },
      };
    }
    const input = body as Record<string, unknown>;
    const modelState = validate(input);
    const categoryId = (input.Category as { ID?: unknown } | undefined)?.ID;
    if (categoryId !== undefined && !CATEGORIES.some((c) => c.ID === categoryId)) {
      modelState['customer.Category.ID'] = [`Customer category ${String(categoryId)} was not found.`];
    }
    const repId = input.SalesRepresentativeId;
    if (repId !== undefined && repId !== null && !SALES_REPS.some((r) => r.ID === repId && r.Active)) {
      modelState['customer.SalesRepresentativeId'] = [`Sales representative ${String(repId)} was not found.`];
    }
    if (Object.keys(modelState).length) {
      return { status: 400, body: { Message: 'The request is invalid.', ModelState: modelState } };
    }
    const companyId = g.companyId as number;
    const id = typeof input.ID === 'number' ? input.ID : 0;
    const existing = id > 0 ? customers.find((c) => c.ID === id && c.CompanyId === companyId) : undefined;
    if (id > 0 && !existing) return { status: 404, body: { Message: 'Customer not found.' } };
    const name = (input.Name as string).trim();
    if (
      options.uniqueNames &&
      customers.some(
        (c) => c.CompanyId === companyId && c.ID !== id && c.Name.toLowerCase() === name.toLowerCase(),
      )
    ) {
      return { status: 400, body: { Message: `A customer with the name '${name}' already exists.` } };
    }
    const fields = Object.fromEntries(Object.entries(input).filter(([k]) => !SYSTEM_FIELDS.has(k)));
    const stamp = new Date(now()).toISOString();
    if (existing) {
      Object.assign(existing, fields, { Name: name, Modified: stamp });
      return { status: 200, body: publicView(existing) };
    }
    const customer: SageSimCustomer = {
      Active: true,
      CommunicationMethod: 0,
      TextField1: null,
      TextField2: null,
      TextField3: null,
      ...fields,
      Name: name,
      ID: nextId++,
      CompanyId: companyId,
      Balance: 0,
      CustomerZoneGuid: crypto.randomUUID(),
      HasActivity: false,
      Created: stamp,
      Modified: null,
    };
    customers.push(customer);
    return { status: options.createStatus ?? 201, body: publicView(customer) };
  };

  const list = (req: SimRequest): SimResponse => {
    const g = guard(req, true);
    if ('deny' in g) return g.deny;
    let rows = customers.filter((c) => c.CompanyId === g.companyId);
    const filter = param(req, '$filter');
    if (filter) {
      let expr: Expr;
      try {
        expr = parseFilter(filter);
      } catch (e) {
        return {
          status: 400,
          body: { Message: `The query specified in the URI is not valid. ${(e as Error).message}` },
        };
      }
      const filterable = options.filterableFields;
      if (!filterable || fieldsOf(expr).every((f) => filterable.includes(f))) {
        rows = rows.filter((r) => test(expr, r));
      }
    }
    const orderby = param(req, '$orderby');
    if (orderby) {
      const [field, dir] = orderby.trim().split(/\s+/);
      const sign = dir?.toLowerCase() === 'desc' ? -1 : 1;
      rows = [...rows].sort((a, b) => {
        const x = a[field as string] as string | number;
        const y = b[field as string] as string | number;
        return x === y ? 0 : x > y ? sign : -sign;
      });
    }
    const skip = Math.max(0, Number(param(req, '$skip') ?? 0) || 0);
    const top = Math.min(100, Math.max(0, Number(param(req, '$top') ?? 100) || 100));
    const page = rows.slice(skip, skip + top).map(publicView);
    return { status: 200, body: { TotalResults: rows.length, ReturnedResults: page.length, Results: page } };
  };

  const getOne = (req: SimRequest): SimResponse => {
    const g = guard(req, true);
    if ('deny' in g) return g.deny;
    const c = customers.find((x) => String(x.ID) === req.params.id && x.CompanyId === g.companyId);
    return c
      ? { status: 200, body: publicView(c) }
      : { status: 404, body: { Message: 'Customer not found.' } };
  };

  /** A company-scoped list (CustomerCategory, SalesRepresentative): an OData page of every row. */
  const catalog =
    (rows: readonly Record<string, unknown>[]) =>
    (req: SimRequest): SimResponse => {
      const g = guard(req, true);
      if ('deny' in g) return g.deny;
      return {
        status: 200,
        body: { TotalResults: rows.length, ReturnedResults: rows.length, Results: rows },
      };
    };

  const companies = (req: SimRequest): SimResponse => {
    const g = guard(req, false);
    if ('deny' in g) return g.deny;
    const user = users.find((u) => u.username === g.user);
    const results = (user?.companies ?? []).map((id) => ({
      ID: id,
      Name: companyNames.get(id) ?? `Company ${id}`,
      CurrencySymbol: 'R',
      Active: true,
    }));
    return {
      status: 200,
      body: { TotalResults: results.length, ReturnedResults: results.length, Results: results },
    };
  };

  const routes: Route[] = [
    { method: 'POST', path: '/api/2.0.0/Customer/Save', handler: save },
    { method: 'GET', path: '/api/2.0.0/Customer/Get', handler: list },
    { method: 'GET', path: '/api/2.0.0/Customer/Get/:id', handler: getOne },
    { method: 'GET', path: '/api/2.0.0/Company/Get', handler: companies },
    { method: 'GET', path: '/api/2.0.0/CustomerCategory/Get', handler: catalog(CATEGORIES) },
    { method: 'GET', path: '/api/2.0.0/SalesRepresentative/Get', handler: catalog(SALES_REPS) },
  ];

  const sim = await startSimulator(
    {
      name: 'sage',
      routes,
      state: () => ({ customers: customers.map((c) => ({ ...c })), nextId }),
      reset: () => {
        customers = [];
        nextId = 4_100_001;
        blocks.clear();
        limiter.reset();
        failedLogins.reset();
      },
      snapshot: {
        save: () => ({ customers, nextId }),
        restore: (data) => {
          const d = data as { customers?: SageSimCustomer[]; nextId?: number };
          customers = Array.isArray(d.customers) ? d.customers : [];
          nextId = typeof d.nextId === 'number' ? d.nextId : nextId;
        },
      },
    },
    listen,
  );
  return Object.assign(sim, {
    customers: (companyId?: number) =>
      customers.filter((c) => companyId === undefined || c.CompanyId === companyId).map((c) => ({ ...c })),
  });
}

/** The Customer as Sage returns it (the company is implied by the call, not a field). */
function publicView(c: SageSimCustomer): Record<string, unknown> {
  const { CompanyId: _company, ...rest } = c;
  return rest;
}
