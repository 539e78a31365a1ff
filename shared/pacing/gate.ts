import { emissionIntervalMs, type PaceLimits } from './limits';
import type { PaceLease, Pacer } from './pacer';

/**
 * SQS visibility has one-second resolution: a wait shorter than this is slept inline (bounded, billed at most
 * this long), a longer one goes back to the queue, timed to return just before the slot.
 */
export const INLINE_WAIT_MAX_MS = 1_000;
/** When every concurrent slot is held, try again this much later (a slot is freed within one call). */
export const CONCURRENCY_RETRY_MS = 2_000;

export type GateResult =
  | { kind: 'go'; lease?: PaceLease }
  /** Come back at `untilMs`; the slot is reserved already (keep it on the job, do not reserve again). */
  | { kind: 'wait'; untilMs: number; reason: string };

export interface GateRequest {
  pacer: Pacer;
  key: string;
  limits: PaceLimits;
  /** Upstream requests this attempt will make (a look-up first makes two). */
  cost: number;
  /** A slot the job reserved on an earlier delivery. */
  heldSlotMs?: number;
  /** How long a concurrency slot may be held (the job lease: a crashed worker's slot lapses with it). */
  leaseTtlMs: number;
  now: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Decides whether this attempt may call the ERP now, after a short inline wait, or must come back later. */
export async function passGate(req: GateRequest): Promise<GateResult> {
  const { pacer, key, limits } = req;
  const turn = await takeTurn(req);
  if (turn.kind === 'wait') return turn;
  if (!limits.concurrency) return { kind: 'go' };
  const lease = await pacer.acquire(key, limits.concurrency, req.leaseTtlMs, req.now());
  if (lease) return { kind: 'go', lease };
  return {
    kind: 'wait',
    untilMs: req.now() + CONCURRENCY_RETRY_MS,
    reason: `all ${limits.concurrency} concurrent requests of this connection are in use`,
  };
}

/**
 * The rate half of the gate: reserves `cost` requests (or keeps the job's held slot) and sleeps inline when the
 * slot is near; a request that comes up mid-attempt (a look-up after a duplicate) takes its turn here too.
 */
export async function takeTurn(
  req: Omit<GateRequest, 'leaseTtlMs'>,
): Promise<{ kind: 'go' } | Extract<GateResult, { kind: 'wait' }>> {
  const { pacer, key, limits } = req;
  // A held slot that passed more than one interval ago is forfeit: sent now, it would crowd the ERP's window
  // (the jobs after it were spaced from that moment on), so it takes a fresh slot at the end instead.
  const fresh = req.heldSlotMs !== undefined && req.now() - req.heldSlotMs <= emissionIntervalMs(limits);
  const slotMs = fresh ? (req.heldSlotMs as number) : await pacer.reserve(key, limits, req.cost, req.now());
  const waitMs = slotMs - req.now();
  if (waitMs > INLINE_WAIT_MAX_MS) {
    return {
      kind: 'wait',
      untilMs: slotMs,
      reason: `waiting for a slot: ${limits.requests} requests per ${limits.perSeconds} s on this connection`,
    };
  }
  if (waitMs > 0) await (req.sleep ?? defaultSleep)(waitMs);
  return { kind: 'go' };
}
