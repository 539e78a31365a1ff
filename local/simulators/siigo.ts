import crypto from 'node:crypto';
import {
  bearer,
  createRateLimiter,
  type ListenOptions,
  type SimRequest,
  type SimResponse,
  type Simulator,
  startSimulator,
} from './kit';
import { CITIES, FISCAL_RESPONSIBILITIES, ID_TYPES, nitDv, USER_IDS, USERS } from './siigo-catalog';

/**
 * Siigo Nube API simulator (../shared/erp/siigo.md): `/auth` tokens, Partner-Id on every call, customer
 * creation with Siigo's validations and error body, (identification, branch_office) uniqueness, the
 * customer list/look-up, and the per-company limit (100/min production, 10/min test company) → 429.
 */

export interface SiigoUser {
  username: string;
  accessKey: string;
  /** Customers and the rate limit are per company. */
  company: string;
  /** A test company ("empresa de pruebas"): 10 requests/min instead of 100. */
  test: boolean;
}

export interface SiigoSimulatorOptions {
  /** API users accepted besides the built-in demo users. */
  users?: SiigoUser[];
  /** Requests per minute for a production company (documented: 100). */
  requestsPerMinute?: number;
  /** Requests per minute for a test company (documented: 10). */
  testRequestsPerMinute?: number;
  /** Lifetime of an access token in seconds (documented: 86400). Short values test re-authentication. */
  tokenTtlSeconds?: number;
  /** Status of a successful /auth (the blueprint says 201; production may send 200). */
  authStatus?: 200 | 201;
  /** Reject a NIT whose check_digit differs from the computed one (Siigo's real behaviour is unconfirmed). */
  rejectCheckDigitMismatch?: boolean;
}

/** The test company the local stack's `demo-siigo` connection uses (the blueprint's example user name; the README's key). */
export const SIIGO_DEMO_CREDENTIALS = {
  username: 'sandbox@siigoapi.com',
  accessKey: 'c2lpZ28tZGVtby1rZXk=',
};

/** A production company, for trying the 100/min limit. */
export const SIIGO_DEMO_PRODUCTION_CREDENTIALS = {
  username: 'api@empresa-demo.co',
  accessKey: 'ZGVtby1wcm9kdWN0aW9uLWFjY2Vzcy1rZXk=',
};

const BUILT_IN_USERS: SiigoUser[] = [
  { ...SIIGO_DEMO_CREDENTIALS, company: 'empresa-de-pruebas', test: true },
  { ...SIIGO_DEMO_PRODUCTION_CREDENTIALS, company: 'empresa-demo', test: false },
];

type CustomerBody = { identification: string; branch_office: number; [field: string]: unknown };
export type CustomerOut = CustomerBody & { id: string };

interface CustomerRecord {
  company: string;
  customer: CustomerOut;
  /** The API user whose token created it (tests check which login a worker used). */
  createdBy?: string;
}

interface TokenRecord {
  username: string;
  expiresAt: number;
}

export interface SiigoState {
  customers: CustomerOut[];
  tokensIssued: number;
}

export interface SiigoSimulator extends Simulator {
  state(): SiigoState;
  /** Changes limits/behaviour while running (tests use it to make a limit bite quickly). */
  configure(options: Partial<Omit<SiigoSimulatorOptions, 'users'>>): void;
  /** Invalidates every issued token, as if they expired: the next call with one gets 401. */
  revokeTokens(): void;
  /** Blocks a user (Siigo blocks users whose error ratio passes 80%): /auth and its tokens get 401. */
  blockUser(username: string, blocked?: boolean): void;
  /** The API user whose token created a customer (kept out of `state()`: a username is a credential). */
  creatorOf(customerId: string): string | undefined;
}

const DOCS = 'Check the API documentation: https://siigoapi.docs.apiary.io';

interface SiigoError {
  Code: string;
  Message: string;
  Params: string[];
  Detail: string;
}

const e = (Code: string, Message: string, Params: string[] = []): SiigoError => ({
  Code,
  Message,
  Params,
  Detail: DOCS,
});

const fail = (status: number, ...errors: SiigoError[]): SimResponse => ({
  status,
  body: { Status: status, Errors: errors },
});

// Siigo's .NET regexes; `\w` there is Unicode-aware, hence the letter/mark/digit classes.
const W = String.raw`\p{L}\p{Mn}\p{Nd}\p{Pc}`;
const NAME = new RegExp(String.raw`^[${W}.@-\\%_;()\]#?¡[/:{ } *+,$"\sñáéíóúÁÉÍÓÚüÜ\-"]+$`, 'u');
const EMAIL = new RegExp(String.raw`^([-+.]*[${W}])+[-+.]*@([${W}-]+\.)+[${W}-]{2,}$`, 'u');
const IDENTIFICATION = new RegExp(String.raw`^[${W}][${W}\-]+[${W}]$`, 'u');
const PARTNER_ID = /^[A-Za-z0-9]{3,100}$/;

const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';

/** Numeric phone parts, at most 10 characters. */
function phoneErrors(p: unknown, at: string, numberRequired: boolean): SiigoError[] {
  if (!isObject(p)) return [e('invalid_type', `The field ${at} must be an object`, [at])];
  const out: SiigoError[] = [];
  if (numberRequired && p.number === undefined) {
    out.push(e('parameter_required', `The field ${at}.number is required`, [`${at}.number`]));
  }
  for (const key of ['indicative', 'number', 'extension']) {
    const v = p[key];
    if (v === undefined) continue;
    if (!isString(v) || !/^\d*$/.test(v)) {
      out.push(e('invalid_type', `The field ${at}.${key} must be numeric`, [`${at}.${key}`]));
    } else if (v.length > 10) {
      out.push(e('length_max', `The field ${at}.${key} must have at most 10 characters`, [`${at}.${key}`]));
    }
  }
  return out;
}

type Validated = { errors: SiigoError[]; out?: CustomerBody };

/** CustomerIn → errors (every problem found, as Siigo lists several) or the CustomerOut to store. */
function validateCustomer(b: unknown, rejectDvMismatch: boolean): Validated {
  if (!isObject(b))
    return { errors: [e('invalid_type', 'The request body must be a JSON object', ['body'])] };
  const errors: SiigoError[] = [];
  const required = (field: string) => e('parameter_required', `The field ${field} is required`, [field]);

  const personType = isString(b.person_type)
    ? ({ person: 'Person', company: 'Company' } as Record<string, string>)[b.person_type.toLowerCase()]
    : undefined;
  if (b.person_type === undefined) errors.push(required('person_type'));
  else if (!personType)
    errors.push(e('invalid_type', 'person_type must be Person or Company', ['person_type']));

  const type =
    b.type === undefined
      ? 'Customer'
      : isString(b.type)
        ? ({ customer: 'Customer', supplier: 'Supplier', other: 'Other' } as Record<string, string>)[
            b.type.toLowerCase()
          ]
        : undefined;
  if (!type) errors.push(e('invalid_type', 'type must be Customer, Supplier or Other', ['type']));

  const idType = isString(b.id_type) ? ID_TYPES[b.id_type] : undefined;
  if (b.id_type === undefined) errors.push(required('id_type'));
  else if (!idType)
    errors.push(e('invalid_reference', `The id_type ${String(b.id_type)} does not exist`, ['id_type']));

  const identification = b.identification;
  if (identification === undefined || identification === '') errors.push(required('identification'));
  else if (!isString(identification))
    errors.push(e('invalid_type', 'identification must be a string', ['identification']));
  else if (identification.length > 50) {
    errors.push(
      e('length_max', 'The field identification must have at most 50 characters', ['identification']),
    );
  } else if (!IDENTIFICATION.test(identification)) {
    errors.push(e('invalid_identification', 'The identification is invalid', ['identification']));
  } else if (idType?.numeric && !/^\d{3,13}$/.test(identification)) {
    errors.push(
      e('invalid_identification', `The identification for ${idType.name} must be 3 to 13 digits`, [
        'identification',
      ]),
    );
  } else if (idType && identification.length > idType.max) {
    errors.push(
      e('length_max', `The identification must have at most ${idType.max} characters`, ['identification']),
    );
  }

  let checkDigit: string | undefined;
  if (b.check_digit !== undefined && (!isString(b.check_digit) || !/^\d$/.test(b.check_digit))) {
    errors.push(e('invalid_type', 'check_digit must be a single digit', ['check_digit']));
  } else if (b.id_type === '31' && isString(identification) && /^\d{3,13}$/.test(identification)) {
    checkDigit = nitDv(identification);
    if (rejectDvMismatch && b.check_digit !== undefined && b.check_digit !== checkDigit) {
      errors.push(e('invalid_value', 'The check_digit does not match the identification', ['check_digit']));
    }
  } else if (isString(b.check_digit)) {
    checkDigit = b.check_digit;
  }

  const names = b.name;
  if (names === undefined) errors.push(required('name'));
  else if (!Array.isArray(names) || !names.every(isString)) {
    errors.push(e('invalid_type', 'name must be an array of strings', ['name']));
  } else if (personType && names.length !== (personType === 'Person' ? 2 : 1)) {
    errors.push(
      e(
        'invalid_array',
        personType === 'Person'
          ? 'A Person needs name: ["first names", "last names"]'
          : 'A Company needs name: ["business name"]',
        ['name'],
      ),
    );
  } else {
    for (const n of names as string[]) {
      if (!n.trim()) errors.push(e('parameter_required', 'The name must not be empty', ['name']));
      else if (n.length > 100)
        errors.push(e('length_max', 'Each name must have at most 100 characters', ['name']));
      else if (!NAME.test(n)) errors.push(e('invalid_name', 'The name is invalid', ['name']));
    }
  }

  if (b.commercial_name !== undefined && !isString(b.commercial_name)) {
    errors.push(e('invalid_type', 'commercial_name must be a string', ['commercial_name']));
  }
  const branch = b.branch_office ?? 0;
  if (typeof branch !== 'number' || !Number.isInteger(branch) || branch < 0 || branch > 999) {
    errors.push(e('invalid_range', 'branch_office must be an integer between 0 and 999', ['branch_office']));
  }
  for (const flag of ['active', 'vat_responsible']) {
    if (b[flag] !== undefined && typeof b[flag] !== 'boolean') {
      errors.push(e('invalid_type', `${flag} must be a boolean`, [flag]));
    }
  }

  let fiscal: { code: string; name: string }[] = [
    { code: 'R-99-PN', name: FISCAL_RESPONSIBILITIES['R-99-PN'] as string },
  ];
  if (b.fiscal_responsibilities !== undefined) {
    if (!Array.isArray(b.fiscal_responsibilities)) {
      errors.push(e('invalid_type', 'fiscal_responsibilities must be an array', ['fiscal_responsibilities']));
    } else if (b.fiscal_responsibilities.length) {
      fiscal = [];
      for (const f of b.fiscal_responsibilities) {
        const code = isObject(f) ? f.code : undefined;
        const name = isString(code) ? FISCAL_RESPONSIBILITIES[code] : undefined;
        if (!isString(code) || !name) {
          errors.push(
            e('invalid_reference', `The fiscal responsibility ${String(code)} does not exist`, [
              'fiscal_responsibilities.code',
            ]),
          );
        } else fiscal.push({ code, name });
      }
    }
  }

  let addressOut: Record<string, unknown> | undefined;
  const a = b.address;
  if (!isObject(a)) errors.push(required('address'));
  else {
    if (!isString(a.address) || !a.address.trim()) errors.push(required('address.address'));
    else if (a.address.length > 256) {
      errors.push(e('length_max', 'The field address must have at most 256 characters', ['address.address']));
    }
    const c = a.city;
    let city: (typeof CITIES)[number] | undefined;
    if (!isObject(c)) errors.push(required('address.city'));
    else {
      const missing = ['country_code', 'state_code', 'city_code'].filter((k) => !isString(c[k]) || !c[k]);
      for (const k of missing) errors.push(required(`address.city.${k}`));
      if (!missing.length) {
        const cc = String(c.country_code).toUpperCase();
        city = CITIES.find((x) => x.country_code.toUpperCase() === cc && x.city_code === c.city_code);
        if (!city) {
          errors.push(
            e('invalid_reference', `The city code ${String(c.city_code)} does not exist`, [
              'address.city.city_code',
            ]),
          );
        } else if (city.state_code !== c.state_code) {
          errors.push(
            e('invalid_reference', `The state code ${String(c.state_code)} does not match the city`, [
              'address.city.state_code',
            ]),
          );
        }
      }
    }
    if (a.postal_code !== undefined) {
      if (!isString(a.postal_code) || !/^[A-Za-z0-9]*$/.test(a.postal_code)) {
        errors.push(
          e('invalid_value', 'postal_code must be alphanumeric without spaces', ['address.postal_code']),
        );
      } else if (a.postal_code.length > 10) {
        errors.push(e('length_max', 'postal_code must have at most 10 characters', ['address.postal_code']));
      }
    }
    if (city && isObject(c)) {
      addressOut = {
        address: a.address,
        city: { ...city, country_code: c.country_code },
        ...(a.postal_code !== undefined ? { postal_code: a.postal_code } : {}),
      };
    }
  }

  if (b.phones !== undefined) {
    if (!Array.isArray(b.phones)) errors.push(e('invalid_type', 'phones must be an array', ['phones']));
    else {
      b.phones.forEach((p, i) => {
        errors.push(...phoneErrors(p, `phones[${i}]`, true));
      });
    }
  }

  if (b.contacts !== undefined) {
    if (!Array.isArray(b.contacts)) errors.push(e('invalid_type', 'contacts must be an array', ['contacts']));
    else if (b.contacts.length > 10) {
      errors.push(e('invalid_array', 'You can create up to 10 contacts per customer', ['contacts']));
    } else {
      b.contacts.forEach((k, i) => {
        const at = `contacts[${i}]`;
        if (!isObject(k)) {
          errors.push(e('invalid_type', `${at} must be an object`, [at]));
          return;
        }
        if (!isString(k.first_name) || !k.first_name.trim()) errors.push(required(`${at}.first_name`));
        for (const f of ['first_name', 'last_name']) {
          const v = k[f];
          if (isString(v) && v.length > 50)
            errors.push(e('length_max', `${at}.${f} must have at most 50 characters`, [`${at}.${f}`]));
        }
        if (k.email !== undefined) {
          if (!isString(k.email) || !EMAIL.test(k.email)) {
            errors.push(e('invalid_email', 'The email address is invalid', [`${at}.email`]));
          } else if (k.email.length > 100) {
            errors.push(e('length_max', `${at}.email must have at most 100 characters`, [`${at}.email`]));
          }
        }
        if (k.phone !== undefined) errors.push(...phoneErrors(k.phone, `${at}.phone`, false));
      });
    }
  }

  if (b.comments !== undefined && (!isString(b.comments) || b.comments.length > 4000)) {
    errors.push(e('length_max', 'comments must have at most 4000 characters', ['comments']));
  }

  if (b.related_users !== undefined) {
    const r = b.related_users;
    if (!isObject(r)) errors.push(e('invalid_type', 'related_users must be an object', ['related_users']));
    else {
      for (const k of ['seller_id', 'collector_id']) {
        if (r[k] !== undefined && !USER_IDS.has(r[k] as number)) {
          errors.push(
            e('invalid_reference', `The user ${String(r[k])} does not exist`, [`related_users.${k}`]),
          );
        }
      }
    }
  }

  if (errors.length || !personType || !idType || !isString(identification)) return { errors };
  return {
    errors,
    out: {
      type,
      person_type: personType,
      id_type: { code: b.id_type as string, name: idType.name },
      identification,
      branch_office: branch as number,
      ...(checkDigit !== undefined ? { check_digit: checkDigit } : {}),
      name: names as string[],
      ...(b.commercial_name !== undefined ? { commercial_name: b.commercial_name } : {}),
      active: b.active ?? true,
      vat_responsible: b.vat_responsible ?? false,
      fiscal_responsibilities: fiscal,
      address: addressOut,
      phones: b.phones ?? [],
      contacts: b.contacts ?? [],
      ...(b.comments !== undefined ? { comments: b.comments } : {}),
      ...(b.related_users !== undefined ? { related_users: b.related_users } : {}),
    },
  };
}

/** A JWT-shaped opaque token (Siigo's are JWTs; clients must not read them). */
function newToken(): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ jti: crypto.randomUUID(), scope: 'SiigoAPI' })}.${crypto.randomBytes(32).toString('base64url')}`;
}

export async function startSiigoSimulator(
  listen?: ListenOptions,
  options: SiigoSimulatorOptions = {},
): Promise<SiigoSimulator> {
  const cfg = {
    requestsPerMinute: options.requestsPerMinute ?? 100,
    testRequestsPerMinute: options.testRequestsPerMinute ?? 10,
    tokenTtlSeconds: options.tokenTtlSeconds ?? 86_400,
    authStatus: options.authStatus ?? 201,
    rejectCheckDigitMismatch: options.rejectCheckDigitMismatch ?? false,
  };
  const users = new Map<string, SiigoUser>();
  for (const u of [...BUILT_IN_USERS, ...(options.users ?? [])]) users.set(u.username.toLowerCase(), u);
  const blocked = new Set<string>();
  let customers: CustomerRecord[] = [];
  let tokens = new Map<string, TokenRecord>();
  let tokensIssued = 0;
  const prodLimiter = createRateLimiter(() => cfg.requestsPerMinute, 60_000);
  const testLimiter = createRateLimiter(() => cfg.testRequestsPerMinute, 60_000);

  /** Counts the call against the company's per-minute limit; a 429 requests_limit when it is spent. */
  const limited = (user: SiigoUser): SimResponse | undefined => {
    const waitMs = (user.test ? testLimiter : prodLimiter).take(user.company);
    if (waitMs === 0) return undefined;
    const perMin = user.test ? cfg.testRequestsPerMinute : cfg.requestsPerMinute;
    // No Retry-After: Siigo documents none.
    return fail(
      429,
      e('requests_limit', `The limit of ${perMin} requests per minute for this company was exceeded`),
    );
  };

  const partnerCheck = (req: SimRequest): SimResponse | undefined => {
    const partner = req.headers['partner-id'];
    if (partner === undefined || partner === '') {
      return fail(400, e('header_required', 'The header Partner-Id is required', ['Partner-Id']));
    }
    if (typeof partner !== 'string' || !PARTNER_ID.test(partner)) {
      return fail(
        400,
        e('invalid_partner_id', 'The Partner-Id must have 3 to 100 alphanumeric characters', ['Partner-Id']),
      );
    }
    return undefined;
  };

  const unauthorized = (message: string) => fail(401, e('unauthorized', message));

  /** Partner-Id, then the bearer token (with or without the `Bearer ` prefix), then the company's limit. */
  const authorized = (handler: (req: SimRequest, user: SiigoUser) => SimResponse) => (req: SimRequest) => {
    const bad = partnerCheck(req);
    if (bad) return bad;
    const token = bearer(req.headers, true);
    const rec = token ? tokens.get(token) : undefined;
    if (!rec || rec.expiresAt <= Date.now())
      return unauthorized('The access token is invalid or has expired');
    const user = users.get(rec.username);
    if (!user || blocked.has(rec.username)) return unauthorized('The API user is blocked');
    return limited(user) ?? handler(req, user);
  };

  const auth = (req: SimRequest): SimResponse => {
    const bad = partnerCheck(req);
    if (bad) return bad;
    const body = isObject(req.body) ? req.body : {};
    const missing = ['username', 'access_key'].filter((k) => !isString(body[k]) || !body[k]);
    if (missing.length) {
      return fail(400, ...missing.map((k) => e('parameter_required', `The field ${k} is required`, [k])));
    }
    const username = String(body.username).toLowerCase();
    const user = users.get(username);
    if (!user || user.accessKey !== body.access_key) {
      return unauthorized('The username or access_key is not valid');
    }
    if (blocked.has(username)) return unauthorized('The API user is blocked');
    const limit = limited(user);
    if (limit) return limit;
    const access_token = newToken();
    tokens.set(access_token, { username, expiresAt: Date.now() + cfg.tokenTtlSeconds * 1000 });
    tokensIssued++;
    return {
      status: cfg.authStatus,
      body: { access_token, expires_in: cfg.tokenTtlSeconds, token_type: 'Bearer', scope: 'SiigoAPI' },
    };
  };

  const create = (req: SimRequest, user: SiigoUser): SimResponse => {
    if (!String(req.headers['content-type'] ?? '').includes('application/json')) {
      return fail(415, e('unsupported_media_type', 'The Content-Type must be application/json'));
    }
    const { errors, out } = validateCustomer(req.body, cfg.rejectCheckDigitMismatch);
    if (!out) return fail(400, ...errors);
    const taken = customers.some(
      (r) =>
        r.company === user.company &&
        r.customer.identification === out.identification &&
        r.customer.branch_office === out.branch_office,
    );
    if (taken) {
      // 400 per the generic error example; the status Siigo really uses for this is unconfirmed.
      return fail(
        400,
        e(
          'already_exists',
          `A customer with identification ${out.identification} and branch_office ${out.branch_office} already exists`,
          ['identification'],
        ),
      );
    }
    const customer: CustomerOut = {
      id: crypto.randomUUID(),
      ...out,
      metadata: { created: new Date().toISOString(), last_updated: null },
    };
    customers.push({ company: user.company, customer, createdBy: user.username });
    return { status: 201, body: customer };
  };

  const list = (req: SimRequest, user: SiigoUser): SimResponse => {
    const q = req.query;
    const page = Math.max(1, Number(q.get('page') ?? 1) || 1);
    const pageSize = Math.min(100, Math.max(1, Number(q.get('page_size') ?? 25) || 25));
    const identification = q.get('identification');
    const branch = q.get('branch_office');
    const all = customers
      .filter((r) => r.company === user.company)
      .map((r) => r.customer)
      .filter((c) => identification === null || c.identification === identification)
      .filter((c) => branch === null || String(c.branch_office) === branch);
    const results = all.slice((page - 1) * pageSize, page * pageSize);
    const href = (p: number) => {
      const u = new URL(req.url.pathname, 'https://api.siigo.com');
      for (const [k, v] of q) if (k !== 'page' && k !== 'page_size') u.searchParams.set(k, v);
      u.searchParams.set('page', String(p));
      u.searchParams.set('page_size', String(pageSize));
      return { href: u.toString() };
    };
    return {
      status: 200,
      body: {
        pagination: { page, page_size: pageSize, total_results: all.length },
        results,
        _links: {
          self: href(page),
          ...(page > 1 ? { previous: href(page - 1) } : {}),
          ...(page * pageSize < all.length ? { next: href(page + 1) } : {}),
        },
      },
    };
  };

  const getOne = (req: SimRequest, user: SiigoUser): SimResponse => {
    const hit = customers.find((r) => r.company === user.company && r.customer.id === req.params.id);
    return hit
      ? { status: 200, body: hit.customer }
      : fail(404, e('not_found', 'The customer was not found'));
  };

  const reset = () => {
    customers = [];
    tokens = new Map();
    tokensIssued = 0;
    blocked.clear();
    prodLimiter.reset();
    testLimiter.reset();
  };

  const state = (): SiigoState => ({ customers: customers.map((r) => r.customer), tokensIssued });

  const sim = await startSimulator(
    {
      name: 'siigo',
      routes: [
        { method: 'POST', path: '/auth', handler: auth },
        { method: 'POST', path: '/v1/customers', handler: authorized(create) },
        { method: 'GET', path: '/v1/customers', handler: authorized(list) },
        { method: 'GET', path: '/v1/customers/:id', handler: authorized(getOne) },
        // The blueprint documents a bare array of users (L5360-5389).
        { method: 'GET', path: '/v1/users', handler: authorized(() => ({ status: 200, body: USERS })) },
      ],
      state,
      reset,
      snapshot: {
        save: () => ({ customers, tokens: [...tokens], tokensIssued }),
        restore: (data) => {
          const d = data as {
            customers?: CustomerRecord[];
            tokens?: [string, TokenRecord][];
            tokensIssued?: number;
          };
          customers = d.customers ?? [];
          tokens = new Map(d.tokens ?? []);
          tokensIssued = d.tokensIssued ?? 0;
        },
      },
    },
    listen,
  );

  return Object.assign(sim, {
    state,
    configure(next: Partial<Omit<SiigoSimulatorOptions, 'users'>>) {
      for (const [k, v] of Object.entries(next)) if (v !== undefined) (cfg as Record<string, unknown>)[k] = v;
    },
    revokeTokens() {
      tokens.clear();
    },
    creatorOf: (id: string) => customers.find((r) => r.customer.id === id)?.createdBy,
    blockUser(username: string, on = true) {
      if (on) blocked.add(username.toLowerCase());
      else blocked.delete(username.toLowerCase());
    },
  });
}
