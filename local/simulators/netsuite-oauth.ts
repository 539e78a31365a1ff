import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The simulator's own OAuth 1.0a (TBA) verifier, written from RFC 5849 with node:crypto only — deliberately not
 * the adapter's signing library, so a signing bug cannot hide behind the same code on both sides.
 */

/** RFC 3986 percent-encoding: everything but A-Z a-z 0-9 - . _ ~ (RFC 5849 §3.6). */
export function rfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `OAuth realm="…", oauth_x="…"` → decoded parameters, or undefined when it is not an OAuth header. */
export function parseOAuthHeader(value: string | undefined): Record<string, string> | undefined {
  if (!value || !/^OAuth\s/i.test(value)) return undefined;
  const out: Record<string, string> = {};
  const re = /([A-Za-z0-9_%.~-]+)\s*=\s*"([^"]*)"/g;
  for (const m of value.slice(6).matchAll(re)) {
    try {
      out[decodeURIComponent(m[1] as string)] = decodeURIComponent(m[2] as string);
    } catch {
      return undefined;
    }
  }
  return out;
}

export interface VerifyInput {
  method: string;
  /** scheme://host[:port]/path as the server was addressed (no query). */
  baseUrl: string;
  query: URLSearchParams;
  /** Decoded Authorization header parameters (realm included; it is left out of the signature). */
  params: Record<string, string>;
  consumerSecret: string;
  tokenSecret: string;
}

export function signatureBase(input: Omit<VerifyInput, 'consumerSecret' | 'tokenSecret'>): string {
  const pairs: [string, string][] = [];
  for (const [k, v] of Object.entries(input.params)) {
    if (k === 'realm' || k === 'oauth_signature') continue;
    pairs.push([rfc3986(k), rfc3986(v)]);
  }
  for (const [k, v] of input.query) pairs.push([rfc3986(k), rfc3986(v)]);
  // Sorted by encoded name, then encoded value (byte order).
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  const normalized = pairs.map(([k, v]) => `${k}=${v}`).join('&');
  return [input.method.toUpperCase(), rfc3986(input.baseUrl), rfc3986(normalized)].join('&');
}

export function verifyOAuthSignature(input: VerifyInput): { ok: true } | { ok: false; reason: string } {
  const method = input.params.oauth_signature_method;
  if (method !== 'HMAC-SHA256') return { ok: false, reason: `unsupported signature method ${method}` };
  const given = input.params.oauth_signature;
  if (!given) return { ok: false, reason: 'no signature' };
  const key = `${rfc3986(input.consumerSecret)}&${rfc3986(input.tokenSecret)}`;
  const expected = createHmac('sha256', key).update(signatureBase(input)).digest();
  const got = Buffer.from(given, 'base64');
  return got.length === expected.length && timingSafeEqual(got, expected)
    ? { ok: true }
    : { ok: false, reason: 'signature mismatch' };
}
