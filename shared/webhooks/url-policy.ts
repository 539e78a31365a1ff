import { lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { Issue } from '../errors';

/**
 * Where webhooks may go. On AWS: `https` to public addresses only, so a tenant cannot make our dispatcher call
 * into the VPC, the instance metadata service or loopback (SSRF). The local stack may allow loopback `http` for
 * its own tests (`allowLoopback`).
 */
export interface UrlPolicy {
  allowLoopback: boolean;
  /**
   * With `allowLoopback`: loopback ports no callback may use — the local stack's own simulators and emulators,
   * so one tenant's webhook cannot reset a simulator every tenant shares.
   */
  refusedLoopbackPorts?: readonly number[];
}

export const MAX_CALLBACK_URL_LENGTH = 2000;

/**
 * How an address is judged (ipaddr.js names the special-purpose ranges of RFC 6890 and its successors):
 * IPv4 must be plain unicast (not private, loopback, link-local, CGNAT, multicast, reserved, …); IPv6 must be
 * global unicast (2000::/3) outside every special range. IPv6 forms that carry an IPv4 address are judged by
 * that address: IPv4-mapped (::ffff:0:0/96, which the kernel connects over IPv4), 6to4 (2002::/16, routed to
 * the embedded host) and NAT64 (64:ff9b::/96). The other embeddings never reach a public host and are refused:
 * IPv4-compatible (::/96, deprecated; `::127.0.0.1`), IPv4-translated (::ffff:0:0:0/96), local-use NAT64
 * (64:ff9b:1::/48), Teredo.
 */
type Verdict = { public: boolean; loopback: boolean };
const REFUSED: Verdict = { public: false, loopback: false };

function judgeIPv4(ip: ipaddr.IPv4): Verdict {
  const range = ip.range();
  return { public: range === 'unicast', loopback: range === 'loopback' };
}

function judge(address: string): Verdict {
  const text = address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  if (!ipaddr.isValid(text) || isIP(text) === 0) return REFUSED;
  const ip = ipaddr.parse(text);
  if (ip.kind() === 'ipv4') return judgeIPv4(ip as ipaddr.IPv4);
  const v6 = ip as ipaddr.IPv6;
  const p = v6.parts;
  const embedded = (hi: number, lo: number) =>
    judgeIPv4(new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]));
  switch (v6.range()) {
    case 'loopback':
      return { public: false, loopback: true };
    case 'ipv4Mapped':
      return embedded(p[6] as number, p[7] as number);
    case '6to4':
      return embedded(p[1] as number, p[2] as number);
    case 'rfc6052':
      // 64:ff9b::/96 only; 64:ff9b:1::/48 is for a local translator.
      return p.slice(2, 6).every((x) => x === 0) ? embedded(p[6] as number, p[7] as number) : REFUSED;
    case 'unicast':
      // Not a special range, yet only 2000::/3 is global unicast (::/96 "IPv4-compatible" lands here too).
      return { public: ((p[0] as number) & 0xe000) === 0x2000, loopback: false };
    default:
      return REFUSED;
  }
}

export function isLoopbackAddress(address: string): boolean {
  return judge(address).loopback;
}

export function isPublicAddress(address: string): boolean {
  return judge(address).public;
}

/** May we connect to this resolved address? */
export function addressAllowed(address: string, policy: UrlPolicy): boolean {
  return isPublicAddress(address) || (policy.allowLoopback && isLoopbackAddress(address));
}

/** The host without brackets or the root's trailing dot (`internal.` names the same host as `internal`). */
const hostOf = (u: URL) => u.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
const portOf = (u: URL) => Number(u.port || (u.protocol === 'https:' ? 443 : 80));

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
  // Two x-callback-url headers reach us joined by ", " (API Gateway payload 2.0): never one of them silently.
  if (/\s/.test(raw)) return bad('must be one URL without spaces (a repeated header arrives joined by ", ")');
  if (url.username || url.password) return bad('must not contain credentials');
  const host = hostOf(url);
  const loopbackOk =
    policy.allowLoopback && (host === 'localhost' || (isIP(host) !== 0 && isLoopbackAddress(host)));
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopbackOk)) return bad('must use https');
  if (loopbackOk) {
    return policy.refusedLoopbackPorts?.includes(portOf(url))
      ? bad('must not point at the local stack itself (its simulators and emulators)')
      : undefined;
  }
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

/** What `net.connect` passes to a custom lookup: `all` is set when it connects with autoSelectFamily (Node ≥ 20). */
interface LookupOptions {
  family?: number | 'IPv4' | 'IPv6';
  all?: boolean;
}
type LookupAddress = { address: string; family: number };
type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

const wantedFamily = (f: LookupOptions['family']) => (f === 'IPv4' ? 4 : f === 'IPv6' ? 6 : (f ?? 0));

/**
 * A `lookup` for http.request that refuses the whole name if any of its addresses is not allowed, and connects
 * only to addresses it checked — so the check and the connection see the same answer. It answers in both forms
 * Node uses: one address (`all` unset), or every address as an array (`all: true`, which Node ≥ 20 asks for
 * when it tries the families in turn, "happy eyeballs").
 */
export function guardedLookup(policy: UrlPolicy, resolve: Resolve = systemResolve) {
  return (host: string, opts: LookupOptions | number | undefined, cb: LookupCallback) => {
    const options: LookupOptions = typeof opts === 'number' ? { family: opts } : (opts ?? {});
    const family = wantedFamily(options.family);
    resolve(host).then(
      (resolved) => {
        if (resolved.some((a) => !addressAllowed(a.address, policy)))
          return cb(new BlockedAddressError(host), options.all ? [] : '', 0);
        const addresses = resolved.filter((a) => family === 0 || a.family === family);
        const first = addresses[0];
        if (!first) return cb(new BlockedAddressError(host), options.all ? [] : '', 0);
        if (options.all)
          return cb(
            null,
            addresses.map((a) => ({ address: a.address, family: a.family })),
          );
        cb(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => cb(err, options.all ? [] : '', 0),
    );
  };
}
