import type { FailureOutcome, WorkerSettings } from '../erps/types';
import type { Job } from '../jobs/model';
import { backoffDelayMs } from './backoff';

/**
 * Rate limiting is not failure: an ERP saying "slow down" (429, Sage's block, NetSuite's concurrency limit) is
 * waited out, bounded by time from its first such answer instead of by the attempt budget.
 */
export const RATE_LIMIT_BUDGET_MS = 24 * 3_600_000;

/** Outcomes that are waited out and tried again. */
export type RetryableOutcome = Extract<FailureOutcome, { kind: 'rate_limited' | 'transient' | 'unknown' }>;

type BudgetFields = 'attempts' | 'attemptsBeforeReopen' | 'rateLimited';

/**
 * Attempts that count against `maxAttempts`: every attempt since the job was last re-opened, but those the ERP
 * answered with a rate limit.
 */
export function failedAttempts(job: Pick<Job, BudgetFields>): number {
  return job.attempts - (job.attemptsBeforeReopen ?? 0) - (job.rateLimited ?? 0);
}

/** The real-failure budget is spent: the job is dead-lettered instead of retried. */
export function attemptsSpent(job: Pick<Job, BudgetFields | 'maxAttempts'>): boolean {
  return failedAttempts(job) >= job.maxAttempts;
}

/** The job has been rate-limited for longer than RATE_LIMIT_BUDGET_MS. */
export function rateLimitBudgetSpent(job: Pick<Job, 'rateLimitedSince'>, now: Date): boolean {
  return (
    job.rateLimitedSince !== undefined &&
    now.getTime() - Date.parse(job.rateLimitedSince) >= RATE_LIMIT_BUDGET_MS
  );
}

export interface RetryTiming {
  settings: Pick<WorkerSettings, 'baseDelayMs' | 'maxDelayMs'>;
  /** Overrides `settings.maxDelayMs` (local and test runs use a shorter cap; the rules stay the same). */
  capMs?: number;
  random?: () => number;
}

/**
 * How long the job waits after `outcome`: capped exponential backoff with full jitter, never shorter than the
 * ERP's hint. The exponent counts only attempts of the same kind — rate-limit answers for a rate limit, real
 * failures otherwise — so a run of 429s does not stretch the wait after a later 503, nor the reverse.
 */
export function retryDelayMs(
  job: Pick<Job, 'attempts' | 'rateLimited'>,
  outcome: RetryableOutcome,
  t: RetryTiming,
): number {
  const n = outcome.kind === 'rate_limited' ? (job.rateLimited ?? 0) + 1 : failedAttempts(job);
  return backoffDelayMs(
    n,
    {
      baseDelayMs: t.settings.baseDelayMs,
      maxDelayMs: Math.min(t.settings.maxDelayMs, t.capMs ?? Number.POSITIVE_INFINITY),
      hintMs: outcome.retryAfterMs,
    },
    t.random,
  );
}
