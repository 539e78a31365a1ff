import type { ErpId } from '../erps/types';
import { appendHistory, type Job } from '../jobs/model';
import type { JobStore } from '../jobs/store';
import type { JobQueue } from '../queue/queue';
import type { Log } from './deps';

export interface SweepResult {
  requeued: number;
  erps: number;
}

/**
 * Re-queues jobs that are not final and have not moved for `stuckAfterMs`: recorded but never queued (the
 * API crashed or SQS failed), a retry whose message vanished, a lease left by a crashed worker. Re-queueing
 * a live job is harmless — the worker's conditional claim lets only one message run it — and each swept job
 * is left alone for another `stuckAfterMs`, so the sweeper does not flood a queue with copies.
 */
export async function sweep(
  deps: { jobs: JobStore; queue: JobQueue; log: Log; now?: () => Date },
  erps: ErpId[],
  stuckAfterMs: number,
  limitPerErp = 500,
): Promise<SweepResult> {
  const now = deps.now?.() ?? new Date();
  const before = new Date(now.getTime() - stuckAfterMs);
  let requeued = 0;
  for (const erp of erps) {
    const due = await deps.jobs.listDue(erp, before, limitPerErp);
    for (const job of due) {
      if (await requeue(job, deps, now)) requeued++;
    }
  }
  if (requeued) deps.log.info('sweeper re-queued jobs', { requeued });
  return { requeued, erps: erps.length };
}

async function requeue(
  job: Job,
  deps: { jobs: JobStore; queue: JobQueue; log: Log },
  now: Date,
): Promise<boolean> {
  const t = now.toISOString();
  // Mark first (conditional on the status we saw): if the job moved meanwhile, leave it alone.
  const marked = await deps.jobs.update(job, {
    sweptAt: t,
    history: appendHistory(job.history, {
      at: t,
      event: 'requeued_by_sweeper',
      status: job.status,
      actor: 'sweeper',
    }),
  });
  if (!marked) return false;
  await deps.queue.send(job.erp, {
    version: 1,
    jobId: job.jobId,
    tenantId: job.tenantId,
    connectionId: job.connectionId,
    customer: job.customer as unknown as Record<string, unknown>,
  });
  if (!job.enqueuedAt) await deps.jobs.update(marked, { enqueuedAt: t });
  return true;
}
