import * as z from 'zod';
import type { Environment, RateLimit } from '../erps/types';

/** A connection's own limits (PUT /v1/connections/{id} `limits`): overrides the ERP's documented ones. */
export const connectionLimitsSchema = z.strictObject({
  requests: z.number().int().positive().max(100_000),
  perSeconds: z.number().positive().max(86_400),
  concurrency: z.number().int().positive().max(1_000).optional(),
});
export type ConnectionLimits = z.infer<typeof connectionLimitsSchema>;

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
