import { z } from 'zod';
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
export const jobStatusSchema = z.enum(JOB_STATUSES);

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
  attempts: number;
  maxAttempts: number;
  erpCustomerId?: string;
  reconciled?: boolean;
  error?: JobError;
  history: HistoryEntry[];
  /** Unified fields the ERP cannot hold, named when the job was accepted (not sent; issue 11 §4). */
  warnings?: FieldWarning[];
  createdAt: string;
  updatedAt: string;
  nextAttemptAt?: string;
  /** Set once the job's message is in the queue; a job without it was recorded but not yet queued. */
  enqueuedAt?: string;
  /** While `in_progress`: until when the claiming worker owns the job. */
  leaseUntil?: string;
  leaseToken?: string;
  /** Last time the sweeper re-queued it; the sweeper leaves it alone for a while after. */
  sweptAt?: string;
  /** A pacing slot this job already reserved and is waiting for: coming back at it does not reserve again. */
  paceSlotAt?: string;
  /** The batch (POST /v1/customers/batch) this job is item `index` of; its final state counts there. */
  batch?: { batchId: string; index: number };
}

/** Keep the history bounded so a job item stays far below DynamoDB's 400 KB. */
export const MAX_HISTORY = 50;

export function appendHistory(history: HistoryEntry[], entry: HistoryEntry): HistoryEntry[] {
  const next = [...history, entry];
  return next.length > MAX_HISTORY
    ? [next[0] as HistoryEntry, ...next.slice(next.length - MAX_HISTORY + 1)]
    : next;
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
 * Re-opening a failed or dead-lettered job (API retry, DLQ redrive): attempts start again and, if any attempt
 * may have reached the ERP, the job restarts as `outcome_unknown` so the worker looks the customer up before it
 * creates anything. The history keeps who did it.
 */
export function reopenPatch(job: Job, event: 'retry_requested' | 'redriven', actor: string, now: Date) {
  const mayExistUpstream = job.attempts > 0 || job.history.some((h) => h.outcome === 'unknown');
  const status: JobStatus = mayExistUpstream ? 'outcome_unknown' : 'queued';
  const at = now.toISOString();
  return {
    status,
    attempts: 0,
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
