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
  /**
   * Come back at `untilMs`. `slotHeld`: a rate slot is reserved for then already (keep it on the job, do not
   * reserve again); false when the wait is for a concurrent slot, and the next delivery takes a turn anew.
   */
  | { kind: 'wait'; untilMs: number; reason: string; slotHeld: boolean };

/** A rate turn that came up: the request may go now; `slotMs` is the slot it was given. */
export type Turn = { kind: 'go'; slotMs: number } | Extract<GateResult, { kind: 'wait' }>;

/** Turns taken again in one attempt after waking late, before it goes anyway (a machine that busy is rare). */
const MAX_LATE_TURNS = 3;

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

/**
 * Decides whether this attempt may call the ERP now, after a short inline wait, or must come back later.
 * Requests go out within one emission interval (at least LATE_FLOOR_MS) of their slot. Later, they would
 * crowd the ERP's window: the requests after them were spaced from the slot on, and QuickBooks' 10/s (beside
 * its 500/min) refuses the bunch with a 429 and a minute's wait. So a request that took longer than that to get
 * its concurrent slot takes a new turn (after MAX_LATE_TURNS late turns on a machine that busy, it goes).
 */
export async function passGate(req: GateRequest): Promise<GateResult> {
  const { pacer, key, limits } = req;
  const turn = await takeTurn(req);
  if (turn.kind === 'wait') return turn;
  if (!limits.concurrency) return { kind: 'go' };
  const lease = await pacer.acquire(key, limits.concurrency, req.leaseTtlMs, req.now());
  if (!lease) {
    return {
      kind: 'wait',
      untilMs: req.now() + CONCURRENCY_RETRY_MS,
      reason: `all ${limits.concurrency} concurrent requests of this connection are in use`,
      slotHeld: false,
    };
  }
  if (!isLate(turn.slotMs, req)) return { kind: 'go', lease };
  // The concurrent slot is ours until released: every way out but 'go' gives it back (else it lapses only
  // with the job lease, and QuickBooks has ten).
  const giveBack = () => lease.release().catch(() => undefined);
  let again: Turn;
  try {
    again = await takeTurn({ ...req, heldSlotMs: undefined });
  } catch (e) {
    await giveBack();
    throw e;
  }
  if (again.kind === 'go') return { kind: 'go', lease };
  await giveBack();
  return again;
}

/**
 * The least lateness that forfeits a slot. At rates over 20/s the interval is shorter than a few DynamoDB writes,
 * so one interval would re-reserve nearly every request (the bench's 100,000/s connection took three extra turns
 * a job); 50 ms late adds at most 5 % to a second's count at 100/s, and nothing at the ERPs' documented rates.
 */
export const LATE_FLOOR_MS = 50;

/** More than one emission interval (at least LATE_FLOOR_MS) past `slotMs`: too late to go on that slot. */
function isLate(slotMs: number, req: Pick<GateRequest, 'limits' | 'now'>): boolean {
  return req.now() - slotMs > Math.max(emissionIntervalMs(req.limits), LATE_FLOOR_MS);
}

/**
 * The rate half of the gate: reserves `cost` requests (or keeps the job's held slot) and sleeps inline when the
 * slot is near; a request that comes up mid-attempt (a look-up after a duplicate) takes its turn here too.
 */
export async function takeTurn(req: Omit<GateRequest, 'leaseTtlMs'>): Promise<Turn> {
  const { pacer, key, limits } = req;
  let held = req.heldSlotMs;
  for (let round = 0; ; round++) {
    // A held slot that passed more than one interval ago is forfeit: sent now, it would crowd the ERP's
    // window (the jobs after it were spaced from that moment on), so it takes a fresh slot at the end instead.
    const slotMs =
      held !== undefined && !isLate(held, req) ? held : await pacer.reserve(key, limits, req.cost, req.now());
    const waitMs = slotMs - req.now();
    if (waitMs > INLINE_WAIT_MAX_MS) {
      return {
        kind: 'wait',
        untilMs: slotMs,
        reason: `waiting for a slot: ${limits.requests} requests per ${limits.perSeconds} s on this connection`,
        slotHeld: true,
      };
    }
    if (waitMs > 0) await (req.sleep ?? defaultSleep)(waitMs);
    // Woken more than an interval late (a stalled event loop): the same as a forfeit held slot.
    if (!isLate(slotMs, req) || round >= MAX_LATE_TURNS) return { kind: 'go', slotMs };
    held = undefined;
  }
}
