import { lookup as dnsLookup } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import type { Issue } from '../errors';

/**
 * Where webhooks may go. On AWS: `https` to public addresses only, so a tenant cannot make our dispatcher call
 * into the VPC, the instance metadata service or loopback (SSRF). The local stack may allow loopback `http` for
 * its own tests (`allowLoopback`).
 */
export interface UrlPolicy {
  allowLoopback: boolean;
}

export const MAX_CALLBACK_URL_LENGTH = 2000;

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Special-purpose ranges (RFC 6890 and friends): private, loopback, link-local, CGNAT, multicast, reserved. */
const NOT_PUBLIC = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  NOT_PUBLIC.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  NOT_PUBLIC.addSubnet(net, bits, 'ipv6');

/** `::ffff:10.0.0.1` is 10.0.0.1 to the kernel: judge IPv4-mapped addresses as IPv4. */
function normalize(ip: string): { ip: string; family: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return { ip: mapped[1] as string, family: 'ipv4' };
  return { ip, family: isIP(ip) === 6 ? 'ipv6' : 'ipv4' };
}

export function isLoopbackAddress(address: string): boolean {
  const { ip, family } = normalize(address);
  return LOOPBACK.check(ip, family);
}

export function isPublicAddress(address: string): boolean {
  const { ip, family } = normalize(address);
  if (!isIP(ip)) return false;
  return !NOT_PUBLIC.check(ip, family);
}

/** May we connect to this resolved address? */
export function addressAllowed(address: string, policy: UrlPolicy): boolean {
  return isPublicAddress(address) || (policy.allowLoopback && isLoopbackAddress(address));
}

const hostOf = (u: URL) => u.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Syntactic check at accept time (the API, the tenant default). Names are resolved, and checked again, at
 * delivery time: a name may point elsewhere by then (DNS rebinding).
 */
export function callbackUrlIssue(raw: string, policy: UrlPolicy, pointer: string): Issue | undefined {
  const bad = (message: string): Issue => ({ pointer, code: 'invalid_callback_url', message });
  if (raw.length > MAX_CALLBACK_URL_LENGTH) return bad(`at most ${MAX_CALLBACK_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return bad('not an absolute URL');
  }
  if (url.username || url.password) return bad('must not contain credentials');
  const host = hostOf(url);
  const loopbackOk =
    policy.allowLoopback && (host === 'localhost' || (isIP(host) !== 0 && isLoopbackAddress(host)));
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopbackOk)) return bad('must use https');
  if (loopbackOk) return undefined;
  if (isIP(host) !== 0) {
    return isPublicAddress(host)
      ? undefined
      : bad('must not point to a private, loopback or link-local address');
  }
  // Single-label and reserved names only ever resolve inside a network.
  if (!host.includes('.') || /(^|\.)(localhost|internal|local)$/i.test(host))
    return bad('must name a public host');
  return undefined;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string, family: number) => void;
export type Resolve = (host: string) => Promise<{ address: string; family: number }[]>;

const systemResolve: Resolve = (host) =>
  new Promise((resolve, reject) =>
    dnsLookup(host, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  );

export class BlockedAddressError extends Error {
  constructor(host: string) {
    super(`${host} resolves to an address webhooks may not reach`);
    this.name = 'BlockedAddressError';
  }
}

/**
 * A `lookup` for http.request that refuses the whole name if any of its addresses is not allowed, and connects
 * to the address it checked — so the check and the connection see the same answer.
 */
export function guardedLookup(policy: UrlPolicy, resolve: Resolve = systemResolve) {
  return (host: string, _opts: unknown, cb: LookupCallback) => {
    resolve(host).then(
      (addresses) => {
        const first = addresses[0];
        if (!first || addresses.some((a) => !addressAllowed(a.address, policy)))
          return cb(new BlockedAddressError(host), '', 0);
        cb(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => cb(err, '', 0),
    );
  };
}
