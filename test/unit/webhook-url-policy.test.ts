import { describe, expect, it } from 'vitest';
import { sign, verifySignature } from '../../shared/webhooks/signature';
import { callbackUrlIssue, guardedLookup, isPublicAddress } from '../../shared/webhooks/url-policy';

const aws = { allowLoopback: false };
const local = { allowLoopback: true };
const issue = (url: string, policy = aws) =>
  callbackUrlIssue(url, policy, '/headers/x-callback-url')?.message;

describe('callback URL rules', () => {
  it('accepts https to public hosts and addresses', () => {
    expect(issue('https://hooks.example.com/erp?token=abc')).toBeUndefined();
    expect(issue('https://93.184.216.34/x')).toBeUndefined();
    expect(issue('https://[2606:4700::1111]/x')).toBeUndefined();
  });

  it.each([
    ['http://hooks.example.com/x', 'must use https'],
    ['ftp://hooks.example.com/x', 'must use https'],
    ['https://user:pw@hooks.example.com/x', 'credentials'],
    ['not a url', 'absolute URL'],
    ['https://localhost/x', 'public host'],
    ['https://intranet/x', 'public host'],
    ['https://metadata.google.internal/x', 'public host'],
    ['https://127.0.0.1/x', 'private'],
    ['https://10.1.2.3/x', 'private'],
    ['https://172.16.0.1/x', 'private'],
    ['https://192.168.1.1/x', 'private'],
    ['https://169.254.169.254/latest/meta-data', 'private'],
    ['https://100.64.0.1/x', 'private'],
    ['https://0.0.0.0/x', 'private'],
    ['https://[::1]/x', 'private'],
    ['https://[fe80::1]/x', 'private'],
    ['https://[fd00::1]/x', 'private'],
    ['https://[::ffff:127.0.0.1]/x', 'private'],
    ['https://[::ffff:a9fe:a9fe]/x', 'private'],
    // IPv6 forms that embed IPv4 are judged by that IPv4, or refused when they never reach a public host.
    ['https://[::127.0.0.1]/x', 'private'],
    ['https://[::7f00:1]/x', 'private'],
    ['https://[::8.8.8.8]/x', 'private'],
    ['https://[::ffff:0:7f00:1]/x', 'private'],
    ['https://[2002:7f00:1::]/x', 'private'],
    ['https://[2002:a9fe:a9fe::]/x', 'private'],
    ['https://[2002:0a00:0001::1]/x', 'private'],
    ['https://[64:ff9b::127.0.0.1]/x', 'private'],
    ['https://[64:ff9b::a9fe:a9fe]/x', 'private'],
    ['https://[64:ff9b:1::808:808]/x', 'private'],
    // Not global unicast (outside 2000::/3), or a special range inside it.
    ['https://[4000::1]/x', 'private'],
    ['https://[2001:db8::1]/x', 'private'],
    ['https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/x', 'private'],
  ])('rejects %s on AWS', (url, why) => {
    expect(issue(url)).toContain(why);
  });

  it('embedded IPv4 that is public is judged public, like the IPv4 itself', () => {
    expect(isPublicAddress('::ffff:93.184.216.34')).toBe(true);
    expect(isPublicAddress('2002:5db8:d822::1')).toBe(true);
    expect(isPublicAddress('64:ff9b::93.184.216.34')).toBe(true);
    expect(isPublicAddress('2606:4700::1111')).toBe(true);
    expect(isPublicAddress('::1')).toBe(false);
    expect(isPublicAddress('not-an-ip')).toBe(false);
  });

  it('the local stack may call loopback over http, and still nothing private', () => {
    expect(issue('http://127.0.0.1:4000/hook', local)).toBeUndefined();
    expect(issue('http://localhost:4000/hook', local)).toBeUndefined();
    expect(issue('http://10.0.0.1/hook', local)).toContain('https');
    expect(issue('https://169.254.169.254/', local)).toContain('private');
  });

  it("a reserved name stays refused with the root's trailing dot", () => {
    expect(issue('https://metadata.google.internal/', aws)).toContain('public host');
    expect(issue('https://metadata.google.internal./', aws)).toContain('public host');
    expect(issue('https://foo.localhost./', aws)).toContain('public host');
    expect(issue('https://hooks.example.com./x', aws)).toBeUndefined();
  });

  it('two x-callback-url headers joined by ", " are refused, not read as one URL', () => {
    expect(issue('http://127.0.0.1:47001/two, http://127.0.0.1:47001/three', local)).toContain('one URL');
    expect(issue('https://hooks.example.com/a b', aws)).toContain('one URL');
  });

  it('the local stack keeps callbacks off its own simulators and emulators', () => {
    const stack = { allowLoopback: true, refusedLoopbackPorts: [4101, 4569] };
    expect(issue('http://127.0.0.1:4101/__sim/reset', stack)).toContain('local stack');
    expect(issue('http://localhost:4569/', stack)).toContain('local stack');
    expect(issue('http://[::1]:4101/', stack)).toContain('local stack');
    expect(issue('http://127.0.0.1:47001/hook', stack)).toBeUndefined();
  });

  it('at delivery time a name is refused when any of its addresses is not public (DNS rebinding)', async () => {
    const answers: Record<string, { address: string; family: number }[]> = {
      'good.example': [{ address: '93.184.216.34', family: 4 }],
      'evil.example': [
        { address: '93.184.216.34', family: 4 },
        { address: '10.0.0.7', family: 4 },
      ],
      'meta.example': [{ address: '::ffff:169.254.169.254', family: 6 }],
    };
    const lookup = guardedLookup(aws, async (h) => answers[h] ?? []);
    const run = (h: string) =>
      new Promise<unknown>((resolve) => lookup(h, {}, (err, address) => resolve(err ? err.name : address)));
    expect(await run('good.example')).toBe('93.184.216.34');
    expect(await run('evil.example')).toBe('BlockedAddressError');
    expect(await run('meta.example')).toBe('BlockedAddressError');
    expect(await run('nothing.example')).toBe('BlockedAddressError');
    expect(isPublicAddress('8.8.8.8')).toBe(true);
  });

  it('answers every checked address when Node asks for all of them (autoSelectFamily), one otherwise', async () => {
    const both = [
      { address: '2606:4700::1111', family: 6 },
      { address: '93.184.216.34', family: 4 },
    ];
    const lookup = guardedLookup(aws, async () => both);
    const ask = (opts: Record<string, unknown>) =>
      new Promise<{ err: string | undefined; address: unknown; family: unknown }>((resolve) =>
        lookup('hooks.example', opts, (err, address, family) => resolve({ err: err?.name, address, family })),
      );
    expect(await ask({ all: true })).toMatchObject({ err: undefined, address: both });
    expect(await ask({ all: true, family: 4 })).toMatchObject({ address: [both[1]] });
    expect(await ask({})).toMatchObject({ address: '2606:4700::1111', family: 6 });
    expect(await ask({ family: 4 })).toMatchObject({ address: '93.184.216.34', family: 4 });
    const mixed = guardedLookup(aws, async () => [...both, { address: '::ffff:10.0.0.7', family: 6 }]);
    const refused = await new Promise<unknown>((resolve) =>
      mixed('hooks.example', { all: true }, (err, address) => resolve({ err: err?.name, address })),
    );
    expect(refused).toEqual({ err: 'BlockedAddressError', address: [] });
  });
});

describe('signature', () => {
  it('a receiver verifies v1=HMAC-SHA256(secret, timestamp.body) and refuses tampering and old timestamps', () => {
    const body = '{"jobId":"x","status":"succeeded"}';
    const sig = sign('whsec_test', 1_700_000_000, body);
    expect(sig).toMatch(/^v1=[0-9a-f]{64}$/);
    const ok = { timestamp: '1700000000', signature: sig };
    expect(verifySignature('whsec_test', ok, body, { nowSeconds: 1_700_000_100 })).toBe(true);
    expect(verifySignature('whsec_test', ok, `${body} `, { nowSeconds: 1_700_000_100 })).toBe(false);
    expect(verifySignature('whsec_other', ok, body, { nowSeconds: 1_700_000_100 })).toBe(false);
    expect(
      verifySignature('whsec_test', { ...ok, timestamp: '1700000001' }, body, { nowSeconds: 1_700_000_100 }),
    ).toBe(false);
    expect(verifySignature('whsec_test', ok, body, { nowSeconds: 1_700_001_000 })).toBe(false);
  });
});
