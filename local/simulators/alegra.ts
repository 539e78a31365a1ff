import type http from 'node:http';
import { nitCheckDigit } from '../../shared/customer/nit';
import {
  basicAuth,
  isAsciiEmail,
  type ListenOptions,
  type SimRequest,
  type SimResponse,
  type Simulator,
  startSimulator,
} from './kit';

/**
 * Alegra simulator (fact sheet `alegra.md`, simulator notes): `/api/v1/contacts` behind HTTP Basic (email:token),
 * 201 + the contact with a numeric id, `{message, code}` errors (optionally wrapped in `{error: …}`), duplicates
 * allowed unless the account checks identifications, 150 requests/min per user with `X-Rate-Limit-*` headers,
 * reads that return `identification` as a string, 402 for a suspended account and 403 for a user without permission.
 */

export const ALEGRA_DEMO_CREDENTIALS = { email: 'demo@erp-bridge.dev', token: 'd3m0a1e9ra70ken00001' };

export type AlegraUserStatus = 'active' | 'suspended' | 'no_permission';

export interface AlegraUser {
  email: string;
  token: string;
  status?: AlegraUserStatus;
}

export interface AlegraSimulatorOptions {
  /** Users accepted (all in the one simulated company); defaults to the demo user. */
  users?: AlegraUser[];
  /** Requests per minute per user (documented: 150). */
  ratePerMinute?: number;
  /** `reject`: a second contact with the same identification number is refused (the `ignoreRepeated` check). */
  duplicateIdentification?: 'allow' | 'reject';
  /** `reject`: a second contact with the same e-mail is refused, code 905 (a third-party report, see alegra.md 2.5). */
  duplicateEmail?: 'allow' | 'reject';
  /** false reproduces the report that the `identification` filter is ignored on some Colombian accounts. */
  identificationFilter?: boolean;
  /** The create status is 201 in most sources, 200 in some clients. */
  createStatus?: 200 | 201;
  /** Ids as JSON numbers instead of numeric strings (both are seen). */
  idAsNumber?: boolean;
  /** Wrap error bodies as `{error: {message, code}}`. */
  wrapErrors?: boolean;
  /**
   * The company's country, which decides the catalogues (the API URL is the same for all): `CO` (default) takes
   * Colombian identification types and department/city names; `ES` takes the Spanish typed identifications
   * (changelog "nueva estructura de identificaciones ESP", from 15 July).
   */
  country?: 'CO' | 'ES';
  /** ES: whether the company issues electronic invoices (the only case `NC`, no censado, is allowed). */
  electronicInvoicing?: boolean;
}

export type AlegraContact = Record<string, unknown> & { id: string };

export interface AlegraState {
  customers: AlegraContact[];
  nextId: number;
}

export interface AlegraSimulator extends Simulator {
  state(): AlegraState;
  /** Live options: tests may flip them between calls. */
  readonly options: Required<Omit<AlegraSimulatorOptions, 'users'>>;
  addUser(user: AlegraUser): void;
  setUserStatus(email: string, status: AlegraUserStatus): void;
}

const CO_ID_TYPES = new Set(['RC', 'TI', 'CC', 'TE', 'CE', 'NIT', 'PP', 'PEP', 'DIE', 'NUIP', 'FOREIGN_NIT']);
const KINDS = new Set(['LEGAL_ENTITY', 'PERSON_ENTITY']);
const TYPES = new Set(['client', 'provider']);
const STATUSES = new Set(['active', 'inactive']);
const REGIMES = new Set([
  'SIMPLIFIED_REGIME',
  'COMMON_REGIME',
  'NOT_REPONSIBLE_FOR_CONSUMPTION',
  'SPECIAL_REGIME',
  'NATIONAL_CONSUMPTION_TAX',
  'INC_IVA_RESPONSIBLE',
]);
/** Spain (changelog "nueva estructura de identificaciones ESP"): the types and their formats; NIE and EXT were removed. */
const ES_ID_TYPES: Record<string, RegExp> = {
  DNI: /^\d{8}[a-zA-Z0-9]$/,
  NIF: /^[a-zA-Z]\d{7}[a-zA-Z0-9]$/,
  'NIF-IVA': /^[A-Z]{2}[0-9a-zA-Z]{1,18}$/,
  PP: /^[a-zA-Z0-9]{1,20}$/,
  DPO: /^[a-zA-Z0-9]{1,20}$/,
  CR: /^[a-zA-Z0-9]{1,20}$/,
  ODP: /^[a-zA-Z0-9]{1,20}$/,
  NC: /^.{1,50}$/,
};
/** ES types whose contact needs a country and an address. */
const ES_NEEDS_ADDRESS = new Set(['NIF-IVA', 'PP', 'DPO', 'CR', 'ODP']);
const MAX_LIMIT = 30;
const WINDOW_MS = 60_000;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const filled = (v: unknown) => typeof v === 'string' && v.trim() !== '';

/** Why a Spanish company refuses this identification, or undefined (changelog rules, see ES_ID_TYPES). */
function spanishIdentificationProblem(
  id: unknown,
  address: Record<string, unknown>,
  electronicInvoicing: boolean,
): string | undefined {
  if (id === undefined) return undefined;
  if (!isObject(id) || typeof id.type !== 'string' || typeof id.number !== 'string') {
    return 'La identificación debe indicar su tipo: {"type": "NIF" | "DNI" | "NIF-IVA" | …, "number": …}.';
  }
  const format = ES_ID_TYPES[id.type];
  if (!format) return `El tipo de identificación '${id.type}' no es válido.`;
  if (!format.test(id.number)) return `El número no tiene el formato de un ${id.type}.`;
  if (id.type === 'NC') {
    if (!electronicInvoicing) return 'El tipo NC solo se permite con la facturación electrónica activa.';
    if (typeof address.province === 'string' && /^bizkaia$/i.test(address.province.trim())) {
      return 'El tipo NC no se acepta si la provincia es Bizkaia.';
    }
  }
  if (id.type === 'NIF' && !(filled(address.city) && filled(address.province))) {
    return 'Para un NIF la ciudad y la provincia son obligatorias.';
  }
  if (ES_NEEDS_ADDRESS.has(id.type) && !(filled(address.country) && filled(address.address))) {
    return `Para un ${id.type} el país y la dirección son obligatorios.`;
  }
  return undefined;
}

/** The company's price lists and sellers (`GET /price-lists`, `GET /sellers`; arrays of {id, name, status}). */
const PRICE_LISTS = [
  { id: 1, name: 'General', status: 'active', type: 'amount' },
  { id: 2, name: 'Mayoristas', status: 'active', type: 'percentage', percentage: 10 },
  { id: 3, name: 'Antigua', status: 'inactive', type: 'amount' },
];
const SELLERS = [
  { id: 1, name: 'Camila Torres', identification: '1020304050', status: 'active' },
  { id: 2, name: 'Julián Mejía', identification: '1098765432', status: 'active' },
];

export async function startAlegraSimulator(
  listen?: ListenOptions,
  options: AlegraSimulatorOptions = {},
): Promise<AlegraSimulator> {
  const opts = {
    ratePerMinute: options.ratePerMinute ?? 150,
    duplicateIdentification: options.duplicateIdentification ?? 'allow',
    duplicateEmail: options.duplicateEmail ?? 'allow',
    identificationFilter: options.identificationFilter ?? true,
    createStatus: options.createStatus ?? 201,
    idAsNumber: options.idAsNumber ?? false,
    wrapErrors: options.wrapErrors ?? false,
    country: options.country ?? 'CO',
    electronicInvoicing: options.electronicInvoicing ?? false,
  } satisfies AlegraSimulator['options'];
  const users = new Map<string, AlegraUser>();
  for (const u of options.users ?? [ALEGRA_DEMO_CREDENTIALS]) users.set(u.email.toLowerCase(), { ...u });

  let state: AlegraState = { customers: [], nextId: 1 };
  // Fixed one-minute windows per user: X-Rate-Limit-Reset is "seconds until the window resets".
  const windows = new Map<string, { start: number; count: number }>();

  const errorBody = (status: number, message: string, code: number = status): SimResponse => {
    const e = { message, code };
    return { status, body: opts.wrapErrors ? { error: e } : e };
  };

  /** The read shape: identification is the number as a string, the object moves to identificationObject. */
  const out = (c: AlegraContact): Record<string, unknown> => ({
    ...c,
    id: opts.idAsNumber ? Number(c.id) : c.id,
  });

  type Authed = { user: AlegraUser; headers: Record<string, string> } | { fail: SimResponse };

  const authenticate = (headers: http.IncomingHttpHeaders, write: boolean): Authed => {
    const pair = basicAuth(headers);
    const user = pair && users.get(pair[0].toLowerCase());
    if (!pair || !user || user.token !== pair[1]) {
      return {
        fail: errorBody(401, 'Las credenciales de acceso no son válidas. Revisa el usuario y el token.'),
      };
    }
    const now = Date.now();
    let w = windows.get(user.email);
    if (!w || now - w.start >= WINDOW_MS) {
      w = { start: now, count: 0 };
      windows.set(user.email, w);
    }
    const reset = String(Math.max(1, Math.ceil((w.start + WINDOW_MS - now) / 1000)));
    const limited = w.count >= opts.ratePerMinute;
    if (!limited) w.count++;
    const rl = {
      'X-Rate-Limit-Limit': String(opts.ratePerMinute),
      'X-Rate-Limit-Remaining': String(Math.max(0, opts.ratePerMinute - w.count)),
      'X-Rate-Limit-Reset': reset,
    };
    const withHeaders = (r: SimResponse): { fail: SimResponse } => ({
      fail: { ...r, headers: { ...r.headers, ...rl } },
    });
    if (limited) return withHeaders(errorBody(429, 'Has superado el límite de peticiones por minuto.'));
    if (user.status === 'suspended') {
      return withHeaders(
        errorBody(402, 'Tu plan no incluye el acceso a la API o la cuenta está suspendida.'),
      );
    }
    if (write && user.status === 'no_permission') {
      return withHeaders(errorBody(403, 'No tienes permisos para realizar esta acción.'));
    }
    return { user, headers: rl };
  };

  const authed =
    (write: boolean, handler: (req: SimRequest) => SimResponse) =>
    (req: SimRequest): SimResponse => {
      const a = authenticate(req.headers, write);
      if ('fail' in a) return a.fail;
      const r = handler(req);
      return { ...r, headers: { ...r.headers, ...a.headers } };
    };

  /** Validates and normalises a create body; returns the stored contact or an error answer. */
  const validate = (
    body: unknown,
  ): { ok: true; contact: Record<string, unknown> } | { ok: false; res: SimResponse } => {
    const error = (status: number, message: string, code?: number) => ({
      ok: false as const,
      res: errorBody(status, message, code),
    });
    if (!isObject(body)) return error(400, 'El cuerpo de la petición debe ser un objeto JSON.');
    const c: Record<string, unknown> = { ...body };
    delete c.id;
    for (const [key, list, what] of [
      ['priceList', PRICE_LISTS, 'La lista de precios'],
      ['seller', SELLERS, 'El vendedor'],
    ] as const) {
      const ref = c[key];
      if (ref === undefined) continue;
      const id = isObject(ref) ? ref.id : ref;
      if (!list.some((x) => String(x.id) === String(id) && x.status === 'active')) {
        return error(400, `${what} ${String(id)} no existe o está inactivo.`);
      }
    }
    const nameObject = c.nameObject;
    if (nameObject !== undefined && !isObject(nameObject)) return error(400, 'nameObject no es válido.');
    if (typeof c.name !== 'string' || !c.name.trim()) {
      const derived = isObject(nameObject)
        ? [nameObject.firstName, nameObject.secondName, nameObject.lastName, nameObject.secondLastName]
            .filter((p) => typeof p === 'string' && p.trim())
            .join(' ')
        : '';
      if (!derived) return error(400, 'El campo name es obligatorio.');
      c.name = derived;
    }
    if (c.address !== undefined && !isObject(c.address)) return error(400, 'address no es válido.');
    const address = (c.address ?? {}) as Record<string, unknown>;
    const id = c.identification;
    delete c.identificationObject;
    if (opts.country === 'ES') {
      const problem = spanishIdentificationProblem(id, address, opts.electronicInvoicing);
      if (problem) return error(400, problem);
      if (isObject(id)) {
        c.identification = id.number;
        c.identificationObject = { type: id.type, number: id.number };
      }
    } else if (isObject(id)) {
      const type = id.type;
      const number = typeof id.number === 'number' ? String(id.number) : id.number;
      if (typeof type !== 'string' || !CO_ID_TYPES.has(type)) {
        return error(400, `El tipo de identification '${String(type)}' no es válido.`);
      }
      if (typeof number !== 'string' || !/^[A-Za-z0-9-]{1,20}$/.test(number)) {
        return error(400, 'El número de identification no es válido.');
      }
      let dv = id.dv === undefined ? undefined : String(id.dv);
      if (type === 'NIT') {
        if (!/^\d{1,15}$/.test(number)) return error(400, 'El NIT en identification debe ser numérico.');
        const expected = String(nitCheckDigit(number));
        if (dv !== undefined && dv !== expected) {
          return error(400, 'El dígito de verificación (dv) no corresponde a la identification.');
        }
        dv = expected;
      }
      c.identification = number;
      c.identificationObject = dv === undefined ? { type, number } : { type, number, dv };
    } else if (typeof id === 'number') {
      c.identification = String(id);
    } else if (id !== undefined && typeof id !== 'string') {
      return error(400, 'identification no es válido.');
    }
    if (c.kindOfPerson !== undefined && !KINDS.has(c.kindOfPerson as string)) {
      return error(400, 'El valor de kindOfPerson no es válido.');
    }
    if (c.type !== undefined) {
      const list = Array.isArray(c.type) ? c.type : [c.type];
      if (!list.every((t) => TYPES.has(t as string))) return error(400, 'El valor de type no es válido.');
      c.type = list;
    } else {
      c.type = [];
    }
    if (
      c.email !== undefined &&
      (typeof c.email !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(c.email) || !isAsciiEmail(c.email))
    ) {
      return error(400, 'El email no tiene un formato válido.');
    }
    if (c.regime !== undefined && !REGIMES.has(c.regime as string)) {
      return error(400, 'El valor de regime no es válido.');
    }
    if (c.status === undefined) c.status = 'active';
    else if (!STATUSES.has(c.status as string)) return error(400, 'El valor de status no es válido.');
    if (opts.country === 'CO') {
      // Colombian contacts carry the department and city by name ("Bogotá"), as Alegra's UI lists them.
      for (const key of ['department', 'city'] as const) {
        const v = address[key];
        if (v !== undefined && (typeof v !== 'string' || /^\d+$/.test(v.trim()))) {
          return error(400, `address.${key} debe ser el nombre, no un código: ${String(v)}`);
        }
      }
    }
    if (opts.duplicateIdentification === 'reject' && typeof c.identification === 'string') {
      const taken = state.customers.find((x) => x.identification === c.identification);
      if (taken) {
        return error(400, `Ya existe un contacto con la identificación ${c.identification}.`, 905);
      }
    }
    if (opts.duplicateEmail === 'reject' && typeof c.email === 'string') {
      const email = c.email.toLowerCase();
      if (state.customers.some((x) => typeof x.email === 'string' && x.email.toLowerCase() === email)) {
        return error(400, `Ya existe un contacto con el email ${c.email}.`, 905);
      }
    }
    return { ok: true, contact: c };
  };

  const create = (req: SimRequest): SimResponse => {
    const v = validate(req.body);
    if (!v.ok) return v.res;
    const contact: AlegraContact = { ...v.contact, id: String(state.nextId++) };
    state.customers.push(contact);
    return { status: opts.createStatus, body: out(contact) };
  };

  const list = (req: SimRequest): SimResponse => {
    const q = req.query;
    const limit = q.has('limit') ? Number(q.get('limit')) : MAX_LIMIT;
    const start = q.has('start') ? Number(q.get('start')) : 0;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      return errorBody(400, `El parámetro limit debe estar entre 1 y ${MAX_LIMIT}.`);
    }
    if (!Number.isInteger(start) || start < 0) return errorBody(400, 'El parámetro start no es válido.');
    const has = (v: unknown, needle: string) =>
      typeof v === 'string' && v.toLowerCase().includes(needle.toLowerCase());
    let rows = state.customers.slice();
    const identification = q.get('identification');
    if (identification && opts.identificationFilter) {
      rows = rows.filter((c) => c.identification === identification.trim());
    }
    const email = q.get('email');
    if (email) rows = rows.filter((c) => has(c.email, email.trim()));
    const name = q.get('name');
    if (name) rows = rows.filter((c) => has(c.name, name));
    const type = q.get('type');
    if (type) rows = rows.filter((c) => Array.isArray(c.type) && c.type.includes(type));
    const text = q.get('query');
    if (text) rows = rows.filter((c) => [c.name, c.identification, c.email].some((v) => has(v, text)));
    const field = q.get('order_field') === 'name' ? 'name' : 'id';
    const dir = q.get('order_direction')?.toUpperCase() === 'DESC' ? -1 : 1;
    rows.sort((a, b) =>
      field === 'id'
        ? (Number(a.id) - Number(b.id)) * dir
        : String(a.name).localeCompare(String(b.name)) * dir,
    );
    const page = rows.slice(start, start + limit).map(out);
    const body = q.get('metadata') === 'true' ? { metadata: { total: rows.length }, data: page } : page;
    return { status: 200, body };
  };

  const getOne = (req: SimRequest): SimResponse => {
    const c = state.customers.find((x) => x.id === req.params.id);
    return c ? { status: 200, body: out(c) } : errorBody(404, 'El contacto no existe.');
  };

  const sim = await startSimulator(
    {
      name: 'alegra',
      routes: [
        { method: 'POST', path: '/api/v1/contacts', handler: authed(true, create) },
        { method: 'GET', path: '/api/v1/contacts', handler: authed(false, list) },
        { method: 'GET', path: '/api/v1/contacts/:id', handler: authed(false, getOne) },
        {
          method: 'GET',
          path: '/api/v1/price-lists',
          handler: authed(false, () => ({ status: 200, body: PRICE_LISTS })),
        },
        {
          method: 'GET',
          path: '/api/v1/sellers',
          handler: authed(false, () => ({ status: 200, body: SELLERS })),
        },
      ],
      state: () => state,
      reset: () => {
        state = { customers: [], nextId: 1 };
        windows.clear();
      },
      snapshot: {
        save: () => state,
        restore: (data) => {
          const d = data as Partial<AlegraState>;
          if (Array.isArray(d.customers) && typeof d.nextId === 'number') {
            state = { customers: d.customers, nextId: d.nextId };
          }
        },
      },
    },
    listen,
  );

  return {
    ...sim,
    state: () => state,
    options: opts,
    addUser: (u) => users.set(u.email.toLowerCase(), { ...u }),
    setUserStatus: (email, status) => {
      const u = users.get(email.toLowerCase());
      if (!u) throw new Error(`no simulated Alegra user ${email}`);
      u.status = status;
    },
  };
}
