import type { FailureOutcome } from '../erps/types';
import type { UpstreamError } from '../errors';
import {
  appendHistory,
  type HistoryEntry,
  isFinal,
  type Job,
  type JobError,
  type JobStatus,
} from '../jobs/model';
import type { JobPatch } from '../jobs/store';
import { sentNow } from '../jobs/stuck';
import { announce, type ReceivedMessage, type WorkerDeps, withJobId } from './deps';

const MAX_HISTORY_MESSAGE = 500;

/**
 * Records one claimed attempt's results on its job. Every write is conditional on still holding the lease: when
 * another worker took the job over (our lease ran out), its result stands and ours is dropped (`false`).
 */
export class JobRecorder {
  constructor(
    public job: Job,
    private readonly leaseToken: string,
    private readonly deps: WorkerDeps,
    private readonly now: () => Date,
  ) {}

  /** An entry of this attempt; `attempt: undefined` for what is not one (a pacing wait made no call). */
  private entry(e: Omit<HistoryEntry, 'at'>): HistoryEntry {
    return { at: this.now().toISOString(), attempt: this.job.attempts, ...e };
  }

  async save(patch: JobPatch, entry: Omit<HistoryEntry, 'at' | 'status'>): Promise<boolean> {
    const status = patch.status ?? this.job.status;
    const next = await this.deps.jobs.update(
      this.job,
      {
        // Any save but a pacing wait spends the held slot.
        paceSlotAt: undefined,
        ...patch,
        updatedAt: this.now().toISOString(),
        history: appendHistory(this.job.history, this.entry({ ...entry, status })),
        leaseUntil: undefined,
        leaseToken: undefined,
      },
      { leaseToken: this.leaseToken },
    );
    if (!next) {
      this.deps.log.warn('lost the job lease before saving', { jobId: this.job.jobId });
      return false;
    }
    this.job = next;
    this.deps.telemetry?.job(this.deps.adapter.id, status);
    if (isFinal(status)) await announce(next, this.deps);
    return true;
  }

  fail(code: string, message: string, extra: Partial<JobError> = {}, outcome?: string): Promise<boolean> {
    return this.save(
      { status: 'failed', nextAttemptAt: undefined, error: { code, message, retryable: false, ...extra } },
      { event: 'failed', outcome, message: message.slice(0, MAX_HISTORY_MESSAGE), upstream: extra.upstream },
    );
  }

  /** `provenBy`: for a reconciled job, the identity field(s) that proved the record found is this customer. */
  succeed(
    erpCustomerId: string,
    reconciled: boolean,
    upstream?: UpstreamError,
    provenBy?: string,
  ): Promise<boolean> {
    return this.save(
      { status: 'succeeded', erpCustomerId, reconciled, error: undefined, nextAttemptAt: undefined },
      {
        event: reconciled ? 'reconciled' : 'created',
        outcome: reconciled ? 'found' : 'created',
        message: reconciled
          ? `found by look-up instead of creating again${provenBy ? `; it carries this job's ${provenBy}` : ''}`
          : `created with id ${erpCustomerId}`,
        upstream,
      },
    );
  }

  /** Attempts are spent: the job is `dead_lettered` (kept with its history) and its message goes to the DLQ. */
  async deadLetter(
    outcome: FailureOutcome,
    msg: ReceivedMessage,
    raw: unknown,
    why = `gave up after ${this.job.attempts} attempts`,
  ): Promise<void> {
    const saved = await this.save(
      {
        status: 'dead_lettered',
        nextAttemptAt: undefined,
        error: {
          code: 'attempts_exhausted',
          message: `${why}; last: ${outcome.kind}`,
          retryable: true,
          upstream: outcome.upstream,
        },
      },
      {
        event: 'dead_lettered',
        outcome: outcome.kind,
        message: outcome.upstream.message.slice(0, MAX_HISTORY_MESSAGE),
        upstream: outcome.upstream,
      },
    );
    if (saved)
      await this.deps.control.deadLetter(withJobId(msg.body, raw, this.job.jobId), 'attempts_exhausted');
  }

  /**
   * A retryable failure or a rate limit: the job waits until `delayMs` from now, in `status`, with the outcome
   * as its error. The caller re-sends the job's message (recorded here as sent, so the sweeper leaves it be).
   */
  scheduleRetry(
    outcome: FailureOutcome,
    status: JobStatus,
    delayMs: number,
    extra: JobPatch = {},
  ): Promise<boolean> {
    const now = this.now();
    return this.save(
      {
        ...extra,
        status,
        nextAttemptAt: new Date(now.getTime() + delayMs).toISOString(),
        messageSentAt: sentNow(this.job, now),
        error: {
          code: outcome.kind,
          message: outcome.upstream.message,
          retryable: true,
          upstream: outcome.upstream,
        },
      },
      {
        event: status === 'outcome_unknown' ? 'outcome_unknown' : 'retry_scheduled',
        outcome: outcome.kind,
        delayMs,
        message: outcome.upstream.message.slice(0, MAX_HISTORY_MESSAGE),
        upstream: outcome.upstream,
      },
    );
  }

  /**
   * The previous attempt's worker stopped (crash, timeout) before saving a result: say so in the history, so
   * every attempt is explained. The entry is written with this attempt's next state change.
   */
  noteLostAttempt(): void {
    this.job = {
      ...this.job,
      history: appendHistory(this.job.history, {
        at: this.now().toISOString(),
        attempt: this.job.attempts - 1,
        event: 'attempt_lost',
        outcome: 'lost',
        status: 'in_progress',
        message:
          'the worker stopped before saving a result; this attempt looks the customer up before creating',
      }),
    };
  }
}
