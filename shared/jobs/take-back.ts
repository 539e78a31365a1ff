import { type Job, notQueuedPatch } from './model';
import type { JobStore } from './store';

/**
 * After a send that failed — or whose answer was lost after SQS took the message — takes the job's send back.
 * Keyed: its `enqueuedAt` is removed, so the sweeper (or the client's retry with the key) queues it. Keyless:
 * retired (failed, `queue_unavailable`), so a message that did reach SQS runs nothing and the client's retry
 * is the only create.
 *
 * Resolves to the job as it now stands when a worker took it meanwhile (the take-back's condition on `queued`
 * failed): the send reached SQS after all, and the caller answers as for a sent job, not 503 — a keyless
 * client told to retry would create the customer twice. Otherwise undefined (also when the take-back itself
 * failed: the caller answers 503).
 */
export async function takeBackSend(jobs: JobStore, job: Job, now: Date): Promise<Job | undefined> {
  let undone: Job | undefined;
  try {
    undone = await jobs.update(job, job.idempotencyKey ? { enqueuedAt: undefined } : notQueuedPatch(now));
  } catch {
    return undefined;
  }
  if (undone) return undefined;
  return (await jobs.get(job.tenantId, job.jobId).catch(() => undefined)) ?? undefined;
}
