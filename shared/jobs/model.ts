import type { UnifiedCustomer } from '../customer/schema';
import type { Environment, ErpId, FieldWarning } from '../erps/types';
import type { Issue, UpstreamError } from '../errors';

export const JOB_STATUSES = [
  'queued',
  'in_progress',
  'retry_scheduled',
  'outcome_unknown',
  'succeeded',
  'failed',
  'dead_lettered',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const FINAL_STATUSES: ReadonlySet<JobStatus> = new Set(['succeeded', 'failed', 'dead_lettered']);
/** States a worker may claim a job from (plus `in_progress` whose lease has expired: a crashed worker). */
export const CLAIMABLE_STATUSES: readonly JobStatus[] = ['queued', 'retry_scheduled', 'outcome_unknown'];

/** The codes of a final job's `error` (README "Job states"; OpenAPI `Job.error.code`), and what each means. */
export const JOB_ERROR_CODES = {
  validation_failed: 'the customer is not valid for the ERP (re-checked by the worker)',
  invalid_message: 'a queue message that does not follow the message contract',
  connection_not_found: 'the connection does not exist for this tenant',
  connection_erp_mismatch: 'the connection is for another ERP',
  connection_invalid: "the stored credentials do not fit the ERP's schema",
  environment_conflict: 'the connection now points at another environment than the job was accepted for',
  auth_failed: "the ERP did not accept the connection's credentials",
  upstream_rejected: 'the ERP rejected the customer (its message under upstream, pointers under details)',
  duplicate_unresolved: 'the ERP reports a duplicate but the existing record could not be found',
  duplicate_conflict:
    "the ERP holds another customer's record under a value this customer shares (details[].pointer); existingId names it. The job is never attached to it",
  attempts_exhausted: 'retries spent (dead_lettered); the last failure under upstream',
} as const;

export interface JobError {
  code: string;
  message: string;
  retryable: boolean;
  details?: Issue[];
  upstream?: UpstreamError;
  /** `duplicate_conflict`: the ERP id of the other customer's record that holds the colliding value. */
  existingId?: string;
}

export interface HistoryEntry {
  at: string;
  /** What happened: accepted, claimed, created, reconciled, retry_scheduled, outcome_unknown, failed, … */
  event: string;
  status: JobStatus;
  attempt?: number;
  /** Outcome class of the attempt (created, duplicate, invalid, auth, rate_limited, transient, unknown). */
  outcome?: string;
  message?: string;
  upstream?: UpstreamError;
  delayMs?: number;
  actor?: string;
  /** Only on the `history_compacted` entry: how many older entries of each event were dropped to bound the history. */
  omitted?: Record<string, number>;
}

export interface Job {
  jobId: string;
  tenantId: string;
  erp: ErpId;
  connectionId: string;
  /**
   * The connection's environment: where the customer is (or would be) created. Absent only for a queue message
   * whose connection does not exist (the job fails `connection_not_found` / `invalid_message`).
   */
  environment?: Environment;
  status: JobStatus;
  customer: UnifiedCustomer;
  /** Hash of what the client asked for; a replay with another hash is an idempotency conflict. */
  requestHash: string;
  idempotencyKey?: string;
  callbackUrl?: string;
  source: 'api' | 'queue';
  /** Upstream attempts so far, every one numbered in the history (rate-limited ones included). */
  attempts: number;
  /** Budget of attempts that failed for real; attempts answered with a rate limit do not count against it. */
  maxAttempts: number;
  /**
   * `attempts` when the job was last re-opened (API retry, redrive): the numbering goes on, the budget starts
   * again from here.
   */
  attemptsBeforeReopen?: number;
  /** Attempts the ERP answered with a rate limit ("wait"): traced, but not spent from `maxAttempts`. */
  rateLimited?: number;
  /** When the ERP first rate-limited this job: rate-limit waits are bounded by time from here, not by count. */
  rateLimitedSince?: string;
  erpCustomerId?: string;
  reconciled?: boolean;
  error?: JobError;
  history: HistoryEntry[];
  /** Unified fields the ERP cannot hold, named when the job was accepted (not sent; issue 11 §4). */
  warnings?: FieldWarning[];
  createdAt: string;
  updatedAt: string;
  nextAttemptAt?: string;
  /**
   * When the job's first message was sent, or — for a single create, which records it with its one put and then
   * sends — meant to be sent: until a worker receives a message for the job, that send is unconfirmed
   * (jobs/stuck.ts, unconfirmedFirstSend). A job without it was recorded but not yet queued.
   */
  enqueuedAt?: string;
  /**
   * Last time a message for the job was sent by a worker or the sweeper (a retry or wait re-sends it with a
   * delay). With `enqueuedAt` and `messageSeenAt` it tells the sweeper whether a message is still in flight.
   */
  messageSentAt?: string;
  /** Last time a worker received a message for the job and claimed it. */
  messageSeenAt?: string;
  /** While `in_progress`: until when the claiming worker owns the job. */
  leaseUntil?: string;
  leaseToken?: string;
  /** Last time the sweeper re-queued it (for operators; the sweeper decides on the message times). */
  sweptAt?: string;
  /** A pacing slot this job already reserved and is waiting for: coming back at it does not reserve again. */
  paceSlotAt?: string;
  /** The batch (POST /v1/customers/batch) this job is item `index` of; its final state counts there. */
  batch?: { batchId: string; index: number };
}

/**
 * Keep the history bounded: every job write rewrites the item (1 write unit per KB), and it must stay far below
 * DynamoDB's 400 KB. 24 entries hold a job's usual life whole (accepted, a few retries and waits, the result).
 */
export const MAX_HISTORY = 24;
export const HISTORY_COMPACTED = 'history_compacted';

/**
 * Appends an entry, keeping at most MAX_HISTORY: the first entry (how the job began), one `history_compacted`
 * entry counting every dropped entry by event, and the latest ones. No attempt vanishes without a trace.
 */
export function appendHistory(history: HistoryEntry[], entry: HistoryEntry): HistoryEntry[] {
  const next = [...history, entry];
  if (next.length <= MAX_HISTORY) return next;
  const [first, ...rest] = next as [HistoryEntry, ...HistoryEntry[]];
  const prior = rest[0]?.event === HISTORY_COMPACTED ? rest.shift() : undefined;
  const keep = MAX_HISTORY - 2;
  const dropped = rest.slice(0, rest.length - keep);
  const omitted: Record<string, number> = { ...prior?.omitted };
  for (const d of dropped) omitted[d.event] = (omitted[d.event] ?? 0) + 1;
  const total = Object.values(omitted).reduce((a, b) => a + b, 0);
  const summary: HistoryEntry = {
    at: dropped.at(-1)?.at ?? entry.at,
    event: HISTORY_COMPACTED,
    status: dropped.at(-1)?.status ?? entry.status,
    message: `${total} older entries omitted; counts by event in 'omitted'`,
    omitted,
  };
  return [first, summary, ...rest.slice(rest.length - keep)];
}

export function isFinal(status: JobStatus): boolean {
  return FINAL_STATUSES.has(status);
}

/** The job as clients see it (GET /v1/jobs/{id}); the stored request hash and lease are internal. */
export function publicJob(job: Job) {
  return {
    jobId: job.jobId,
    status: job.status,
    erp: job.erp,
    connectionId: job.connectionId,
    environment: job.environment,
    erpCustomerId: job.erpCustomerId,
    reconciled: job.reconciled,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    rateLimited: job.rateLimited,
    error: job.error,
    history: job.history,
    warnings: job.warnings,
    idempotencyKey: job.idempotencyKey,
    batchId: job.batch?.batchId,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    nextAttemptAt: job.nextAttemptAt,
    links: { self: `/v1/jobs/${job.jobId}` },
  };
}

export type { Environment, ErpId, UnifiedCustomer };

/**
 * A job recorded but never queued, without an Idempotency-Key: the client's retry is a new job, so this one is
 * retired (failed, retryable) and never runs as a second copy.
 */
export function notQueuedPatch(now: Date) {
  return {
    status: 'failed' as const,
    updatedAt: now.toISOString(),
    error: {
      code: 'queue_unavailable',
      message: 'the job could not be queued; it was not run',
      retryable: true,
    },
  };
}

/**
 * Re-opening a failed or dead-lettered job (API retry, DLQ redrive): the attempt budget starts again (the
 * attempts already made keep their numbers, so no two history entries share one) and, if any attempt
 * may have reached the ERP, the job restarts as `outcome_unknown` so the worker looks the customer up before it
 * creates anything. The history keeps who did it.
 */
export function reopenPatch(job: Job, event: 'retry_requested' | 'redriven', actor: string, now: Date) {
  const mayExistUpstream = job.attempts > 0 || job.history.some((h) => h.outcome === 'unknown');
  const status: JobStatus = mayExistUpstream ? 'outcome_unknown' : 'queued';
  const at = now.toISOString();
  return {
    status,
    attemptsBeforeReopen: job.attempts,
    rateLimited: undefined,
    rateLimitedSince: undefined,
    error: undefined,
    nextAttemptAt: undefined,
    updatedAt: at,
    history: appendHistory(job.history, {
      at,
      event,
      status,
      actor,
      message: mayExistUpstream ? 'will look the customer up before creating' : undefined,
    }),
  };
}
