import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Headers of every webhook delivery (documented in docs/webhooks.md). */
export const EVENT_ID_HEADER = 'x-erp-bridge-event-id';
export const TIMESTAMP_HEADER = 'x-erp-bridge-timestamp';
export const SIGNATURE_HEADER = 'x-erp-bridge-signature';
/** `job.finished`, `connection.created`, `connection.updated`, `connection.reauth_required`, `connection.expiring`. */
export const EVENT_TYPE_HEADER = 'x-erp-bridge-event-type';

/** A new per-tenant signing secret: 32 random bytes, prefixed so it is recognisable in a secret scanner. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** `v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>`; the timestamp is Unix seconds. */
export function sign(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * What a receiver does: recompute the signature over the raw body and compare in constant time; refuse
 * timestamps further than `toleranceSeconds` from now (replays).
 */
export function verifySignature(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  opts: { nowSeconds: number; toleranceSeconds?: number },
): boolean {
  const ts = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(ts)) return false;
  if (Math.abs(opts.nowSeconds - ts) > (opts.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(sign(secret, ts, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
