import { isFinal, type Job } from '../jobs/model';
import type { JobEvents, Log } from '../worker/deps';
import { type Batch, type FinalJobStatus, isBatchComplete } from './model';
import type { BatchStore } from './store';

/** Sends `batch.finished` (the webhooks queue, to the batch's callback URL or the tenant default). */
export interface BatchFinishedSink {
  send(batch: Batch): Promise<void>;
}

export interface BatchProgressDeps {
  batches: BatchStore;
  /** Absent where no webhooks are wired: the batch is still marked finished. */
  sink?: BatchFinishedSink;
  log: Log;
  now?: () => Date;
}

/**
 * How long one writer holds the sending of `batch.finished`. Shorter than the workers' SQS visibility timeout: a
 * worker that stops while holding it has its message redelivered after the claim lapsed, and that hook sends.
 */
export const FINISH_CLAIM_MS = 30_000;

/**
 * When every accepted item of a batch is final, `batch.finished` is sent by the one writer that claims it (items
 * finishing together on several workers, or a message delivered twice, would otherwise each send it). The event is
 * queued before `finishedAt` is written, so a crash in between repeats it (same event id, the receiver
 * de-duplicates) rather than losing it; a failed send drops the claim for the next hook.
 */
export async function settleBatch(batch: Batch | undefined, deps: BatchProgressDeps): Promise<void> {
  if (!batch || batch.finishedAt || !isBatchComplete(batch)) return;
  const nowMs = (deps.now?.() ?? new Date()).getTime();
  const until = nowMs + FINISH_CLAIM_MS;
  if (!(await deps.batches.claimFinish(batch.tenantId, batch.batchId, nowMs, until))) return;
  try {
    await deps.sink?.send(batch);
  } catch (e) {
    await deps.batches.releaseFinish(batch.tenantId, batch.batchId, until).catch(() => undefined);
    throw e;
  }
  const at = (deps.now?.() ?? new Date()).toISOString();
  await deps.batches.markFinished(batch.tenantId, batch.batchId, at);
}

/**
 * The worker's finished-job hook for batch items: records the job's final status on its batch (idempotent, so a
 * repeated hook or a redelivered message never counts twice) and settles the batch. `seenFinal` is the same for
 * a job that was already final when its message came back (the worker may have stopped between the job's save and
 * this hook).
 */
export function batchJobEvents(deps: BatchProgressDeps): Required<JobEvents> {
  const record = async (job: Job) => {
    if (!job.batch || !isFinal(job.status)) return;
    const { batchId, index } = job.batch;
    const batch = await deps.batches.markFinal(job.tenantId, batchId, index, job.status as FinalJobStatus);
    await settleBatch(batch, deps);
  };
  return { finished: record, seenFinal: record };
}

/** Several finished-job hooks as one; each failure is logged by the caller's `announce`, none stops the others. */
export function allJobEvents(...hooks: (JobEvents | undefined)[]): JobEvents | undefined {
  const list = hooks.filter((h): h is JobEvents => h !== undefined);
  if (!list.length) return undefined;
  const each = async (fn: (h: JobEvents) => Promise<void> | undefined) => {
    const results = await Promise.allSettled(list.map(fn));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  };
  return {
    finished: (job) => each((h) => h.finished(job)),
    seenFinal: (job) => each((h) => h.seenFinal?.(job)),
  };
}
