import type { PaceLimits } from './limits';

/** A held concurrency slot; release it when the upstream calls are done (it also lapses at its TTL). */
export interface PaceLease {
  release(): Promise<void>;
}

/**
 * Port: an ERP's refusal of a whole scope until a time — Sage blocks API key + company + user for an hour after a
 * 429, and every call during the block extends it. Kept with the pacing state, so every worker, Lambda and cold
 * start honours a block one of them met (DynamoDB on AWS, memory in unit tests). `scope` holds no secret.
 */
export interface UpstreamBlocks {
  /** Records that `scope` is refused until `untilMs`; a block that ends later is never shortened. */
  block(scope: string, untilMs: number): Promise<void>;
  /** When the block on `scope` ends, or undefined when `scope` may be called at `nowMs`. */
  blockedUntil(scope: string, nowMs: number): Promise<number | undefined>;
}

/**
 * Port: shared pacing state for every worker of a connection (DynamoDB on AWS, memory in unit tests).
 * Rate is GCRA / virtual scheduling: the state is the time the next request may start (TAT); reserving `cost`
 * requests returns the slot they may start at and moves TAT on by `cost` emission intervals.
 */
export interface Pacer extends UpstreamBlocks {
  /** Reserves `cost` requests; returns the slot (epoch ms) the caller may start at (≥ `nowMs`). */
  reserve(key: string, limits: PaceLimits, cost: number, nowMs: number): Promise<number>;
  /** Takes one of `limit` concurrent slots for at most `ttlMs`; undefined when all are held. */
  acquire(key: string, limit: number, ttlMs: number, nowMs: number): Promise<PaceLease | undefined>;
  /**
   * The ERP told this connection to wait (a rate-limit answer with a hint): no slot of the connection's bucket
   * starts before `untilMs`. Moves TAT forward, never back, so every worker's next job of the connection waits
   * too, at no extra read. (`block` is for a scope wider than one connection, which the adapter checks itself.)
   */
  holdUntil(key: string, untilMs: number): Promise<void>;
}

/**
 * The GCRA step, with no burst: a bucket idle since before now starts at now. A burst tolerance would let
 * more than the limit into one sliding window of the ERP, which is exactly how the ERPs count.
 */
export function nextSlot(tatMs: number | undefined, nowMs: number, intervalMs: number, cost: number) {
  const slotMs = Math.max(nowMs, tatMs ?? nowMs);
  return { slotMs, tatMs: slotMs + cost * intervalMs };
}
