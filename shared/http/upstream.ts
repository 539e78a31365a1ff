import http from 'node:http';
import https from 'node:https';

/** One upstream HTTP call. `body` objects are sent as JSON; strings as-is. */
export interface UpstreamRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Overall deadline for the call, including reading the body. */
  timeoutMs?: number;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  latencyMs: number;
}

/**
 * A call that got no HTTP answer. `sent` tells whether the request may have reached the ERP:
 * false means it certainly did not (refused, DNS), so a create can simply be retried; true means the
 * ERP may have acted on it (timeout or reset after the request was written), so look up before re-creating.
 */
export class UpstreamNetworkError extends Error {
  constructor(
    readonly kind: 'timeout' | 'reset' | 'refused' | 'dns' | 'too_large' | 'other',
    readonly sent: boolean,
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamNetworkError';
  }
}

export interface HttpClient {
  request(req: UpstreamRequest): Promise<UpstreamResponse>;
}

export interface HttpClientOptions {
  defaultTimeoutMs?: number;
  /** Responses above this are cut off and reported as `too_large` (an ERP never needs more for one customer). */
  maxResponseBytes?: number;
  /** Called after each call (metrics). */
  onResponse?: (info: {
    url: URL;
    method: string;
    status?: number;
    latencyMs: number;
    error?: string;
  }) => void;
}

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

/** The upstream client every adapter uses: timeouts, size caps, keep-alive, and an honest `sent` flag. */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const defaultTimeout = options.defaultTimeoutMs ?? 30_000;
  const maxBytes = options.maxResponseBytes ?? 2 * 1024 * 1024;
  return {
    request(req) {
      const url = new URL(req.url);
      const started = performance.now();
      const payload =
        req.body === undefined
          ? undefined
          : typeof req.body === 'string'
            ? req.body
            : JSON.stringify(req.body);
      const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
      if (payload !== undefined) {
        if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
          headers['content-type'] = 'application/json';
        }
        headers['content-length'] = String(Buffer.byteLength(payload));
      }
      const lib = url.protocol === 'https:' ? https : http;
      const agent = url.protocol === 'https:' ? agents.https : agents.http;
      const report = (status?: number, error?: string) =>
        options.onResponse?.({
          url,
          method: req.method,
          status,
          latencyMs: performance.now() - started,
          error,
        });

      return new Promise<UpstreamResponse>((resolve, reject) => {
        let sent = false;
        let settled = false;
        const fail = (err: UpstreamNetworkError) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          report(undefined, err.kind);
          request.destroy();
          reject(err);
        };
        const request = lib.request(url, { method: req.method, headers, agent }, (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > maxBytes) {
              fail(new UpstreamNetworkError('too_large', true, `response larger than ${maxBytes} bytes`));
              return;
            }
            chunks.push(c);
          });
          res.on('error', (e) => fail(classify(e, true)));
          res.on('aborted', () => fail(new UpstreamNetworkError('reset', true, 'response aborted')));
          res.on('end', () => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            const text = Buffer.concat(chunks).toString('utf8');
            const flat: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers)) {
              if (v !== undefined) flat[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
            }
            let json: unknown;
            if (text.length > 0) {
              try {
                json = JSON.parse(text);
              } catch {
                json = undefined;
              }
            }
            const latencyMs = performance.now() - started;
            report(res.statusCode);
            resolve({ status: res.statusCode ?? 0, headers: flat, text, json, latencyMs });
          });
        });
        const timer = setTimeout(
          () =>
            fail(
              new UpstreamNetworkError(
                'timeout',
                sent,
                `no answer within ${req.timeoutMs ?? defaultTimeout} ms`,
              ),
            ),
          req.timeoutMs ?? defaultTimeout,
        );
        request.on('finish', () => {
          sent = true;
        });
        request.on('error', (e) => fail(classify(e, sent)));
        request.end(payload);
      });
    },
  };
}

function classify(e: Error & { code?: string }, sent: boolean): UpstreamNetworkError {
  switch (e.code) {
    case 'ECONNREFUSED':
      return new UpstreamNetworkError('refused', false, 'connection refused');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new UpstreamNetworkError('dns', false, 'host not found');
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return new UpstreamNetworkError('reset', sent, 'connection reset');
    default:
      return new UpstreamNetworkError('other', sent, e.code ?? e.message);
  }
}

/** Reads a header case-insensitively from a response. */
export function header(res: UpstreamResponse, name: string): string | undefined {
  return res.headers[name.toLowerCase()];
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
