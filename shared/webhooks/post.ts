import http from 'node:http';
import https from 'node:https';
import { guardedLookup, type Resolve, type UrlPolicy } from './url-policy';

export interface PostResult {
  status: number;
}

/** Port: one POST of a signed webhook body. Rejects on network errors and blocked addresses. */
export type WebhookPoster = (
  url: string,
  body: string,
  headers: Record<string, string>,
) => Promise<PostResult>;

/**
 * POST with Node's http(s): no redirects followed (a 3xx is a failed delivery), the response body is read at
 * most up to 64 KiB and discarded, and every name is resolved through the address guard.
 */
export function createWebhookPoster(opts: {
  policy: UrlPolicy;
  timeoutMs: number;
  resolve?: Resolve;
}): WebhookPoster {
  const lookup = guardedLookup(opts.policy, opts.resolve);
  // This poster's own connection pools: a kept-alive socket was opened through this poster's guard, never
  // through another policy's (the global agent would share sockets across posters).
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  return (url, body, headers) =>
    new Promise<PostResult>((resolve, reject) => {
      const u = new URL(url);
      const secure = u.protocol === 'https:';
      const mod = secure ? https : http;
      const req = mod.request(
        u,
        {
          method: 'POST',
          headers: {
            ...headers,
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
            'user-agent': 'erp-bridge-webhooks/1',
          },
          agent: secure ? agents.https : agents.http,
          lookup: lookup as never,
          timeout: opts.timeoutMs,
        },
        (res) => {
          let read = 0;
          res.on('data', (c: Buffer) => {
            read += c.length;
            if (read > 64 * 1024) res.destroy();
          });
          res.on('close', () => resolve({ status: res.statusCode ?? 0 }));
          res.on('error', () => resolve({ status: res.statusCode ?? 0 }));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
}
