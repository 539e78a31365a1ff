import type { Environment, RateLimit } from '../erps/types';

/**
 * A connection's own limits (PUT /v1/connections/{id} `limits`): overrides the ERP's documented ones.
 * `requests` per `perSeconds` seconds, and at most `concurrency` requests at once.
 */
export interface ConnectionLimits {
  requests: number;
  perSeconds: number;
  concurrency?: number;
}

/**
 * Bounds of ConnectionLimits; `requests` and `concurrency` are integers. `perSeconds` is at least 1 (ERPs
 * document their windows in seconds, minutes, hours or days): with a smaller window the cap on `requests`
 * would not cap the rate (1 request per 1e-9 s is a billion a second).
 */
export const CONNECTION_LIMITS_MIN_PER_SECONDS = 1;
export const CONNECTION_LIMITS_MAX = { requests: 100_000, perSeconds: 86_400, concurrency: 1_000 } as const;

/**
 * The API's rule for ConnectionLimits (its schema: shared/api/connections.ts), without zod: the sweeper reads
 * limits back from a secret's tag and bundles nothing else of zod (issue 14 §4).
 */
export function isConnectionLimits(l: Partial<ConnectionLimits>): l is ConnectionLimits {
  const within = (n: number | undefined, max: number): n is number => n !== undefined && n > 0 && n <= max;
  const count = (n: number | undefined, max: number) => Number.isSafeInteger(n) && within(n, max);
  return (
    count(l.requests, CONNECTION_LIMITS_MAX.requests) &&
    Number.isFinite(l.perSeconds) &&
    within(l.perSeconds, CONNECTION_LIMITS_MAX.perSeconds) &&
    l.perSeconds >= CONNECTION_LIMITS_MIN_PER_SECONDS &&
    (l.concurrency === undefined || count(l.concurrency, CONNECTION_LIMITS_MAX.concurrency))
  );
}

/** What the pacer enforces for one connection. */
export interface PaceLimits {
  requests: number;
  perSeconds: number;
  concurrency?: number;
}

/**
 * We aim this far under the documented rate. ERPs count in a sliding window at their clock, on arrival:
 * network jitter and calls we do not pace (Siigo counts /auth) land in the same window, and a 429 costs far
 * more than 3% (Sage blocks the company for an hour).
 */
export const PACE_HEADROOM = 0.97;

/** The ERP's documented limit for this environment, unless the connection overrides it. */
export function effectiveLimits(
  rate: RateLimit,
  environment: Environment,
  override?: ConnectionLimits,
): PaceLimits {
  if (override) return override;
  const requests = environment === 'sandbox' && rate.sandboxRequests ? rate.sandboxRequests : rate.requests;
  return { requests, perSeconds: rate.perSeconds, concurrency: rate.concurrency };
}

/** Milliseconds between two requests at `limits`, headroom included. */
export function emissionIntervalMs(limits: PaceLimits): number {
  return (limits.perSeconds * 1000) / limits.requests / PACE_HEADROOM;
}

/** Per connection: one company/realm/account is what the limits are per. */
export function paceKey(erp: string, tenantId: string, connectionId: string): string {
  return `${erp}#${tenantId}#${connectionId}`;
}
