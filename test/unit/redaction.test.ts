import { describe, expect, it } from 'vitest';
import { UpstreamRedactor } from '../../shared/erps/redaction';
import { registerSecrets } from '../helpers/leak-guard';

const creds = {
  username: 'api@empresa.co',
  accessKey: 'c2lpZ28/ZGVtby1rZXk=',
  realmId: '9341453050298340',
};
registerSecrets(creds);
const basic = Buffer.from(`${creds.username}:${creds.accessKey}`).toString('base64');
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJqdGkiOiJ4In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
registerSecrets([TOKEN, basic]);

describe('upstream redaction (issue 12 §3)', () => {
  const r = () => new UpstreamRedactor().addCredentials(creds).addToken(TOKEN);

  it.each([
    ['raw values', `user ${creds.username} key ${creds.accessKey}`],
    ['URL-encoded (query strings, forms)', `access_key=${encodeURIComponent(creds.accessKey)}&u=x`],
    ['JSON-escaped, and PHP-escaped slashes', JSON.stringify({ k: creds.accessKey }).replace('/', '\\/')],
    ['HTTP Basic of any two values', `Authorization: Basic ${basic}`],
    ['base64 of one value', Buffer.from(creds.accessKey).toString('base64')],
    ['a bearer token handed to the adapter', `invalid token ${TOKEN} for this company`],
    ['a message cut in the middle of a secret', `echo: ${creds.accessKey.slice(0, 9)}`],
  ])('%s → ***', (_what, message) => {
    const out = r().text(message);
    expect(out).toContain('***');
    for (const s of [creds.username, creds.accessKey, TOKEN, basic, creds.accessKey.slice(0, 9)])
      expect(out).not.toContain(s);
  });

  it('credential-shaped fields and headers are masked even for values never seen', () => {
    const out = new UpstreamRedactor().text(
      'Authorization: Bearer abc.def-ghi {"refresh_token":"AB11xyz","client_secret":"s3cr3t"} oauth_signature="q%2Bz"',
    );
    expect(out).toBe(
      'Authorization: Bearer *** {"refresh_token":"***","client_secret":"***"} oauth_signature="***"',
    );
  });

  it('keeps account identifiers and ordinary words; redacts every string of an outcome', () => {
    const out = r().outcome({
      kind: 'invalid',
      upstream: { erp: 'siigo', status: 400, message: `realm ${creds.realmId}: bad ${creds.accessKey}` },
      details: [{ pointer: '/name', code: 'rejected_by_erp', message: `The access token is invalid` }],
    });
    expect(out).toEqual({
      kind: 'invalid',
      upstream: { erp: 'siigo', status: 400, message: `realm ${creds.realmId}: bad ***` },
      details: [{ pointer: '/name', code: 'rejected_by_erp', message: 'The access token is invalid' }],
    });
  });
});
