import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';

/**
 * The small HTTP framework every ERP simulator is built on: routing, JSON bodies, a call log, rate-limit
 * windows, and fault injection shared by all ERPs, so tests can drive every simulator the same way.
 *
 * Faults (queued, consumed by matching requests, in order):
 * - `status`: answer with the given status/body/headers without touching state (429 with the ERP's hints, 5xx).
 *   Every `{{request}}` in the body's strings becomes the request as received (method, URL, headers, body), as
 *   ERPs that echo the request in their errors do; the echo is also kept on the fault (`echoed`).
 * - `reset`:  destroy the connection before the request is handled (nothing is created).
 * - `delay`:  handle the request (the customer IS created), answer after `delayMs` (past the client timeout).
 * - `drop`:   handle the request (the customer IS created), then destroy the connection without answering.
 * Control over HTTP (for the local stack): POST /__sim/faults {faults:[…]}, DELETE /__sim/faults,
 * GET /__sim/state, POST /__sim/reset, GET /__sim/calls.
 */
export type Fault =
  | {
      type: 'status';
      status: number;
      body?: unknown;
      headers?: Record<string, string>;
      match?: FaultMatch;
      /** Set when the fault answered: the request it echoed for `{{request}}`. */
      echoed?: string;
    }
  | { type: 'reset'; match?: FaultMatch }
  | { type: 'delay'; delayMs: number; match?: FaultMatch }
  | { type: 'drop'; match?: FaultMatch };

export interface FaultMatch {
  method?: string;
  /** Regular expression tested against the path (without query). */
  path?: string;
  /** Regular expression tested against the raw request body: aims a fault at one customer. */
  body?: string;
}

export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON (or form fields for x-www-form-urlencoded); undefined when empty. */
  body: unknown;
  rawBody: string;
  params: Record<string, string>;
  url: URL;
}

export interface SimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

export interface Route {
  method: string;
  /** Path pattern with `:name` parameters, e.g. `/v1/customers/:id`; or a RegExp with named groups. */
  path: string | RegExp;
  handler: Handler;
}

export interface CallRecord {
  at: number;
  method: string;
  path: string;
  status: number | 'reset' | 'dropped';
  fault?: Fault['type'];
}

export interface SimulatorOptions {
  name: string;
  routes: Route[];
  /** Simulator-specific state for GET /__sim/state and tests. */
  state: () => unknown;
  reset: () => void;
  /** Optional persistence: what to write to `statePath` after each change, and how to load it back. */
  snapshot?: { save: () => unknown; restore: (data: unknown) => void };
}

export interface ListenOptions {
  port?: number;
  host?: string;
  /** Where to keep the simulator's state across restarts (the local stack uses `.data/simulators/<erp>.json`). */
  statePath?: string;
}

export interface Simulator {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  readonly calls: CallRecord[];
  addFaults(...faults: Fault[]): void;
  clearFaults(): void;
  /** Number of queued faults not yet consumed. */
  pendingFaults(): number;
  reset(): void;
  state(): unknown;
  close(): Promise<void>;
}

function compile(path: string | RegExp): RegExp {
  if (path instanceof RegExp) return path;
  const src = path
    .split('/')
    .map((seg) =>
      seg.startsWith(':') ? `(?<${seg.slice(1)}>[^/]+)` : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${src}/?$`);
}

function matches(f: Fault, method: string, path: string, rawBody: string): boolean {
  if (!f.match) return true;
  if (f.match.method && f.match.method.toUpperCase() !== method) return false;
  if (f.match.path && !new RegExp(f.match.path).test(path)) return false;
  if (f.match.body && !new RegExp(f.match.body).test(rawBody)) return false;
  return true;
}

export async function startSimulator(opts: SimulatorOptions, listen: ListenOptions = {}): Promise<Simulator> {
  const persist = () => {
    if (!listen.statePath || !opts.snapshot) return;
    fs.mkdirSync(path.dirname(listen.statePath), { recursive: true });
    const tmp = `${listen.statePath}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(opts.snapshot.save()));
    fs.renameSync(tmp, listen.statePath);
  };
  if (listen.statePath && opts.snapshot && fs.existsSync(listen.statePath)) {
    opts.snapshot.restore(JSON.parse(fs.readFileSync(listen.statePath, 'utf8')));
  }
  const routes = opts.routes.map((r) => ({ ...r, re: compile(r.path) }));
  const faults: Fault[] = [];
  const calls: CallRecord[] = [];
  const sockets = new Set<Socket>();

  const takeFault = (method: string, path: string, rawBody: string): Fault | undefined => {
    const i = faults.findIndex((f) => matches(f, method, path, rawBody));
    return i >= 0 ? faults.splice(i, 1)[0] : undefined;
  };

  const control = async (req: SimRequest): Promise<SimResponse | undefined> => {
    if (!req.path.startsWith('/__sim/')) return undefined;
    if (req.path === '/__sim/faults' && req.method === 'POST') {
      const list = (req.body as { faults?: Fault[] } | undefined)?.faults ?? [];
      faults.push(...list);
      return { status: 200, body: { queued: faults.length } };
    }
    if (req.path === '/__sim/faults' && req.method === 'DELETE') {
      faults.length = 0;
      return { status: 200, body: { queued: 0 } };
    }
    if (req.path === '/__sim/state') return { status: 200, body: opts.state() };
    if (req.path === '/__sim/calls') return { status: 200, body: calls.slice(-1000) };
    if (req.path === '/__sim/reset' && req.method === 'POST') {
      opts.reset();
      faults.length = 0;
      calls.length = 0;
      persist();
      return { status: 200, body: { reset: true } };
    }
    return { status: 404, body: { error: 'unknown control endpoint' } };
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const method = (req.method ?? 'GET').toUpperCase();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    const ctype = String(req.headers['content-type'] ?? '');
    if (rawBody.length > 0) {
      if (ctype.includes('application/x-www-form-urlencoded')) {
        body = Object.fromEntries(new URLSearchParams(rawBody));
      } else {
        try {
          body = JSON.parse(rawBody);
        } catch {
          body = undefined;
        }
      }
    }
    const base: SimRequest = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      rawBody,
      params: {},
      url,
    };

    const send = (r: SimResponse) => {
      const payload =
        r.body === undefined ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
      const headers: Record<string, string> = { ...(r.headers ?? {}) };
      if (payload && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
        headers['content-type'] = 'application/json';
      }
      res.writeHead(r.status, headers);
      res.end(payload);
    };

    const ctl = await control(base);
    if (ctl) return send(ctl);

    const fault = takeFault(method, url.pathname, rawBody);
    if (fault?.type === 'reset') {
      calls.push({ at: Date.now(), method, path: url.pathname, status: 'reset', fault: 'reset' });
      req.socket.destroy();
      return;
    }
    if (fault?.type === 'status') {
      calls.push({ at: Date.now(), method, path: url.pathname, status: fault.status, fault: 'status' });
      const echo = [
        `${method} ${url.pathname}${url.search}`,
        ...Object.entries(req.headers).map(([k, v]) => `${k}: ${String(v)}`),
        '',
        rawBody,
      ].join('\n');
      const text = fault.body === undefined ? undefined : JSON.stringify(fault.body);
      if (text?.includes('{{request}}')) fault.echoed = echo;
      const body = text?.includes('{{request}}')
        ? JSON.parse(text.replaceAll('{{request}}', () => JSON.stringify(echo).slice(1, -1)))
        : fault.body;
      return send({ status: fault.status, body, headers: fault.headers });
    }

    let out: SimResponse = { status: 404, body: { message: `no route ${method} ${url.pathname}` } };
    for (const r of routes) {
      if (r.method !== method) continue;
      const m = r.re.exec(url.pathname);
      if (!m) continue;
      const params: Record<string, string> = {};
      for (const [k, v] of Object.entries(m.groups ?? {})) params[k] = decodeURIComponent(v);
      try {
        out = await r.handler({ ...base, params });
      } catch (e) {
        out = { status: 500, body: { message: `simulator error: ${(e as Error).message}` } };
      }
      break;
    }

    if (method !== 'GET') persist();
    if (fault?.type === 'drop') {
      calls.push({ at: Date.now(), method, path: url.pathname, status: 'dropped', fault: 'drop' });
      req.socket.destroy();
      return;
    }
    calls.push({ at: Date.now(), method, path: url.pathname, status: out.status, fault: fault?.type });
    if (fault?.type === 'delay') {
      const t = setTimeout(() => {
        if (!res.destroyed) send(out);
      }, fault.delayMs);
      res.on('close', () => clearTimeout(t));
      return;
    }
    send(out);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port ?? 0, listen.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    name: opts.name,
    url: `http://127.0.0.1:${port}`,
    port,
    calls,
    addFaults: (...f) => faults.push(...f),
    clearFaults: () => {
      faults.length = 0;
    },
    pendingFaults: () => faults.length,
    reset: () => {
      opts.reset();
      faults.length = 0;
      calls.length = 0;
      persist();
    },
    state: opts.state,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Fixed-window-free sliding log limiter: at most `limit` requests per `windowMs` per key.
 * Returns the ms until a slot frees up, or 0 when the request is allowed (and counted).
 */
export function createRateLimiter(limit: () => number, windowMs: number, now: () => number = Date.now) {
  const log = new Map<string, number[]>();
  return {
    take(key: string): number {
      const t = now();
      const arr = (log.get(key) ?? []).filter((x) => x > t - windowMs);
      if (arr.length >= limit()) {
        log.set(key, arr);
        return (arr[0] as number) + windowMs - t;
      }
      arr.push(t);
      log.set(key, arr);
      return 0;
    },
    reset() {
      log.clear();
    },
  };
}

/** Counts concurrent requests per key; `enter` returns false when the limit is reached. */
export function createConcurrencyLimiter(limit: () => number) {
  const active = new Map<string, number>();
  return {
    enter(key: string): boolean {
      const n = active.get(key) ?? 0;
      if (n >= limit()) return false;
      active.set(key, n + 1);
      return true;
    },
    leave(key: string) {
      active.set(key, Math.max(0, (active.get(key) ?? 1) - 1));
    },
    reset() {
      active.clear();
    },
  };
}

/** Basic auth header → [user, password], or undefined. */
export function basicAuth(headers: http.IncomingHttpHeaders): [string, string] | undefined {
  const h = headers.authorization;
  if (!h?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(h.slice(6), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return i < 0 ? undefined : [decoded.slice(0, i), decoded.slice(i + 1)];
}

/** Bearer token from the Authorization header (Siigo also accepts it without the prefix). */
export function bearer(headers: http.IncomingHttpHeaders, allowBare = false): string | undefined {
  const h = headers.authorization;
  if (!h) return undefined;
  if (h.startsWith('Bearer ')) return h.slice(7);
  return allowBare ? h : undefined;
}

/**
 * Whether an e-mail address is in the ASCII form (an internationalized domain as its punycode A-label). No ERP
 * but Siigo documents a rule that admits non-ASCII addresses, so the other simulators refuse them: an adapter
 * that sent `ventas@señal.co` instead of `ventas@xn--seal-hqa.co` fails its contract test
 * (docs/erps/<erp>.md, "Text, identification, e-mail and phone forms").
 */
export function isAsciiEmail(address: string): boolean {
  return /^[\x21-\x7e]+@[\x21-\x7e]+$/.test(address);
}
