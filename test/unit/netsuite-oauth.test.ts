import { describe, expect, it } from 'vitest';
import { parseOAuthHeader, verifyOAuthSignature } from '../../local/simulators/netsuite-oauth';
import { authorizationHeader, oauthParameters, signatureBaseString } from '../../shared/erps/netsuite/oauth1';

/**
 * Twitter's published example ("Creating a signature", developer.twitter.com): the status parameter travels in
 * the query here; the base string is the same whether it is a query or a form parameter (RFC 5849 §3.4.1.3).
 */
const twitterKeys = {
  consumerKey: 'xvz1evFS4wEEPTGEFPHBog',
  consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
  tokenId: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
  tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
};
const twitterUrl =
  'https://api.twitter.com/1/statuses/update.json?include_entities=true&status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21';
const fixed = { nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg', timestamp: 1318622958 };
const twitterBase = (method: string) =>
  'POST&https%3A%2F%2Fapi.twitter.com%2F1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3D' +
  method +
  '%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521';

describe('OAuth 1.0a signing (adapter)', () => {
  it('builds the published Twitter base string', () => {
    expect(signatureBaseString('POST', twitterUrl, twitterKeys, { ...fixed, method: 'HMAC-SHA1' })).toBe(
      twitterBase('HMAC-SHA1'),
    );
  });

  it('produces the published HMAC-SHA1 signature', () => {
    const p = oauthParameters('POST', twitterUrl, twitterKeys, { ...fixed, method: 'HMAC-SHA1' });
    expect(p.oauth_signature).toBe('tnnArxj06cWHq44gCs1OSKk/jLY=');
  });

  it('produces the HMAC-SHA256 signature of the same request (Faithlife.OAuth test vector)', () => {
    const p = oauthParameters('POST', twitterUrl, twitterKeys, fixed);
    expect(p.oauth_signature_method).toBe('HMAC-SHA256');
    expect(p.oauth_signature).toBe('lrpvd+UOGVsQnRf5skaXYTNeIPFJ0C+qK3OGpK/XB9Q=');
  });

  it('writes the NetSuite header: realm first and canonical, values percent-encoded', () => {
    const h = authorizationHeader('PUT', 'https://1234567-sb1.suitetalk.api.netsuite.com/x', twitterKeys, {
      ...fixed,
      realm: '1234567_SB1',
    });
    expect(h.startsWith('OAuth realm="1234567_SB1", oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog", ')).toBe(
      true,
    );
    expect(h).toContain('oauth_signature_method="HMAC-SHA256"');
    expect(h).toContain('oauth_version="1.0"');
    expect(h).toMatch(/oauth_signature="[A-Za-z0-9%]+"/);
  });

  it('uses a fresh unpredictable nonce per request', () => {
    const a = oauthParameters('GET', 'https://h/x', twitterKeys);
    const b = oauthParameters('GET', 'https://h/x', twitterKeys);
    expect(a.oauth_nonce).not.toBe(b.oauth_nonce);
    expect(a.oauth_nonce.length).toBeGreaterThanOrEqual(6);
  });
});

describe('OAuth 1.0a verification (simulator, node:crypto only)', () => {
  it('recomputes the published RFC 5849 §3.4.1 example (HMAC-SHA256, errata 2550)', () => {
    // RFC 5849's own request: query b5, a3, c@, a2 and form c2, a3; here all in the query (same base string).
    const header =
      'OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", oauth_token="kkk9d7dh3k39sjv7", ' +
      'oauth_signature_method="HMAC-SHA256", oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", ' +
      'oauth_signature="ypAxjNip%2B%2BDm0fTM%2BgCl8wAo6ufSnseu1WHxL7py3BU%3D"';
    const r = verifyOAuthSignature({
      method: 'POST',
      baseUrl: 'http://example.com/request',
      query: new URLSearchParams('b5=%3D%253D&a3=a&c%40=&a2=r%20b&c2=&a3=2%20q'),
      params: parseOAuthHeader(header) ?? {},
      consumerSecret: 'j49sk3j29djd',
      tokenSecret: 'dh893hdasih9',
    });
    expect(r).toEqual({ ok: true });
  });

  it('accepts what the adapter signs and rejects a tampered URL or secret', () => {
    const keys = { ...twitterKeys };
    const url =
      'http://127.0.0.1:9/1234567-sb1/services/rest/record/v1/customer?q=entityId%20IS%20%22A%20B%22&limit=2';
    const params = parseOAuthHeader(authorizationHeader('GET', url, keys, { realm: '1234567_SB1' })) ?? {};
    expect(params.realm).toBe('1234567_SB1');
    const u = new URL(url);
    const verify = (over: Partial<Parameters<typeof verifyOAuthSignature>[0]>) =>
      verifyOAuthSignature({
        method: 'GET',
        baseUrl: `${u.protocol}//${u.host}${u.pathname}`,
        query: u.searchParams,
        params,
        consumerSecret: keys.consumerSecret,
        tokenSecret: keys.tokenSecret,
        ...over,
      });
    expect(verify({})).toEqual({ ok: true });
    expect(verify({ query: new URLSearchParams('limit=3') }).ok).toBe(false);
    expect(verify({ method: 'PUT' }).ok).toBe(false);
    expect(verify({ tokenSecret: 'wrong-secret' }).ok).toBe(false);
  });

  it('refuses HMAC-SHA1 even when the signature itself is right', () => {
    const p = oauthParameters('POST', twitterUrl, twitterKeys, { ...fixed, method: 'HMAC-SHA1' });
    const header = `OAuth ${Object.entries(p)
      .map(([k, v]) => `${k}="${encodeURIComponent(String(v))}"`)
      .join(', ')}`;
    const u = new URL(twitterUrl);
    const r = verifyOAuthSignature({
      method: 'POST',
      baseUrl: 'https://api.twitter.com/1/statuses/update.json',
      query: u.searchParams,
      params: parseOAuthHeader(header) ?? {},
      consumerSecret: twitterKeys.consumerSecret,
      tokenSecret: twitterKeys.tokenSecret,
    });
    expect(r).toEqual({ ok: false, reason: 'unsupported signature method HMAC-SHA1' });
    // The SHA1 value is the published one, so only the method is at fault.
    expect(p.oauth_signature).toBe('tnnArxj06cWHq44gCs1OSKk/jLY=');
  });
});
