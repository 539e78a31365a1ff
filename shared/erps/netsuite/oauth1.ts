import { createHmac, randomBytes } from 'node:crypto';
import OAuth from 'oauth-1.0a';

/** NetSuite TBA requires HMAC-SHA256 (HMAC-SHA1 was retired in 2023.1); SHA1 is kept for the published test vector. */
export type SignatureMethod = 'HMAC-SHA256' | 'HMAC-SHA1';

export interface TbaKeys {
  consumerKey: string;
  consumerSecret: string;
  tokenId: string;
  tokenSecret: string;
}

export interface SignOptions {
  /** The OAuth realm: NetSuite's canonical account id (`1234567_SB1`). Not part of the signature. */
  realm?: string;
  method?: SignatureMethod;
  /** Fixed values for test vectors; random nonce and the current time otherwise. */
  nonce?: string;
  timestamp?: number;
}

const hmac = (algorithm: 'sha256' | 'sha1') => (base: string, key: string) =>
  createHmac(algorithm, key).update(base).digest('base64');

/**
 * The request as the signer sees it. The base string URI is scheme://host[:non-default port]/path, lower-cased
 * host, no query (RFC 5849 §3.4.1.2); query parameters are handed over decoded so the library encodes them
 * once, per RFC 3986 (its own query-string parser neither decodes keys nor `+`). The JSON body is not signed.
 */
function signable(method: string, url: string) {
  const u = new URL(url);
  const data: Record<string, string | string[]> = {};
  for (const [k, v] of u.searchParams) {
    const prev = data[k];
    data[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return { method: method.toUpperCase(), url: `${u.protocol}//${u.host}${u.pathname}`, data };
}

function signer(keys: TbaKeys, opts: SignOptions) {
  const method = opts.method ?? 'HMAC-SHA256';
  const oauth = new OAuth({
    consumer: { key: keys.consumerKey, secret: keys.consumerSecret },
    signature_method: method,
    hash_function: hmac(method === 'HMAC-SHA256' ? 'sha256' : 'sha1'),
    realm: opts.realm,
  });
  // The library's nonce comes from Math.random; NetSuite rejects a reused nonce, so use the CSPRNG.
  const nonce = opts.nonce ?? randomBytes(16).toString('hex');
  oauth.getNonce = () => nonce;
  if (opts.timestamp !== undefined) {
    const ts = opts.timestamp;
    oauth.getTimeStamp = () => ts;
  }
  return oauth;
}

/** The signature base string (exposed to prove it against published vectors). */
export function signatureBaseString(
  method: string,
  url: string,
  keys: TbaKeys,
  opts: SignOptions & { nonce: string; timestamp: number },
): string {
  const oauth = signer(keys, opts);
  const req = signable(method, url);
  return oauth.getBaseString(req, {
    oauth_consumer_key: keys.consumerKey,
    oauth_nonce: opts.nonce,
    oauth_signature_method: opts.method ?? 'HMAC-SHA256',
    oauth_timestamp: opts.timestamp,
    oauth_version: '1.0',
    oauth_token: keys.tokenId,
  });
}

/** The OAuth parameters including `oauth_signature` (unencoded). */
export function oauthParameters(method: string, url: string, keys: TbaKeys, opts: SignOptions = {}) {
  const oauth = signer(keys, opts);
  return oauth.authorize(signable(method, url), { key: keys.tokenId, secret: keys.tokenSecret });
}

/** `Authorization: OAuth realm="…", oauth_consumer_key="…", …` for one request. */
export function authorizationHeader(
  method: string,
  url: string,
  keys: TbaKeys,
  opts: SignOptions = {},
): string {
  const oauth = signer(keys, opts);
  const data = oauth.authorize(signable(method, url), { key: keys.tokenId, secret: keys.tokenSecret });
  return oauth.toHeader(data).Authorization;
}
