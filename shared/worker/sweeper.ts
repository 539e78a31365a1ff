import type { ErpId } from '../erps/types';
import { appendHistory } from '../jobs/model';
import type { DueJob, JobStore } from '../jobs/store';
import { MESSAGE_RETENTION_SECONDS, stuckReason } from '../jobs/stuck';
import type { JobQueue } from '../queue/queue';
import type { Log } from './deps';

export interface SweepResult {
  requeued: number;
  erps: number;
}

export interface SweepOptions {
  limitPerErp?: number;
  /** Every queued message is known to be gone (the local queue emulator restarted empty): re-queue all. */
  messagesLost?: boolean;
}

type SweepDeps = { jobs: JobStore; queue: JobQueue; log: Log; now?: () => Date };

/**
 * Re-queues jobs that are really stuck (jobs/stuck.ts): recorded but never queued, in progress past their lease,
 * overdue with no message in flight, or sent by an API that stopped before the send (its first send unconfirmed
 * while the ERP's queue stands empty). A job merely waiting in a backed-up queue has a message in flight and is
 * left alone, and a job is re-queued at most once per due time (the copy it sends is in flight in turn).
 */
export async function sweep(
  deps: SweepDeps,
  erps: ErpId[],
  stuckAfterMs: number,
  opts: SweepOptions = {},
): Promise<SweepResult> {
  const now = deps.now?.() ?? new Date();
  const before = opts.messagesLost
    ? new Date(now.getTime() + 2 * MESSAGE_RETENTION_SECONDS * 1000)
    : new Date(now.getTime() - stuckAfterMs);
  let requeued = 0;
  const limit = opts.limitPerErp ?? 500;
  for (const erp of erps) {
    const due = await deps.jobs.listDue(erp, before, limit);
    for (const ref of due) {
      if (await requeueIfStuck(ref, deps, now, stuckAfterMs, opts)) requeued++;
    }
    // First sends the API never confirmed: once the queue is empty (a message for them would be there if it
    // had been sent), else — the queue is shared by every tenant and may never empty — once SQS would have
    // dropped that message unreceived, as for any message in flight.
    if (!deps.jobs.listUnconfirmed) continue;
    const queueEmpty = !opts.messagesLost && ((await deps.queue.isEmpty?.(erp)) ?? false);
    const sentBefore =
      queueEmpty || opts.messagesLost
        ? before
        : new Date(now.getTime() - MESSAGE_RETENTION_SECONDS * 1000 - stuckAfterMs);
    for (const ref of await deps.jobs.listUnconfirmed(erp, sentBefore, limit)) {
      if (await requeueIfStuck(ref, deps, now, stuckAfterMs, { ...opts, queueEmpty })) requeued++;
    }
  }
  if (requeued) deps.log.info('sweeper re-queued jobs', { requeued });
  return { requeued, erps: erps.length };
}

async function requeueIfStuck(
  ref: DueJob,
  deps: SweepDeps,
  now: Date,
  stuckAfterMs: number,
  opts: SweepOptions & { queueEmpty?: boolean },
): Promise<boolean> {
  // The index is eventually consistent and holds keys only: decide on the item itself, read consistently.
  const job = await deps.jobs.get(ref.tenantId, ref.jobId);
  if (!job) return false;
  const reason = stuckReason(job, now, stuckAfterMs, opts);
  if (!reason) return false;
  await deps.queue.send(job.erp, {
    version: 1,
    jobId: job.jobId,
    tenantId: job.tenantId,
    connectionId: job.connectionId,
    customer: job.customer as unknown as Record<string, unknown>,
  });
  // Recorded after sending: stopping in between sends one more copy next time, never none. Conditional on the
  // job being as read; if it moved meanwhile, the copy finds it busy, not due or final, and nothing is lost.
  const t = now.toISOString();
  await deps.jobs.update(
    job,
    {
      sweptAt: t,
      messageSentAt: t,
      ...(job.enqueuedAt ? {} : { enqueuedAt: t }),
      history: appendHistory(job.history, {
        at: t,
        event: 'requeued_by_sweeper',
        status: job.status,
        actor: 'sweeper',
        message: reason,
      }),
    },
    { expectUpdatedAt: job.updatedAt },
  );
  return true;
}
