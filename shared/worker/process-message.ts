import { randomUUID } from 'node:crypto';
import { Attempt } from './attempt';
import type { Disposition, ReceivedMessage, WorkerDeps } from './deps';
import { takeIn } from './intake';
import { JobRecorder } from './recorder';

/**
 * Processes one queue message for one ERP, end to end: intake (parse, validate, find or create the job), claim,
 * then one attempt. Never throws for a job-level problem.
 */
export async function processMessage(msg: ReceivedMessage, deps: WorkerDeps): Promise<Disposition> {
  const now = () => deps.now?.() ?? new Date();
  const intake = await takeIn(msg, deps, now);
  if (intake.kind === 'done') return intake.disposition;
  const { job, raw } = intake;

  const leaseToken = randomUUID();
  const claim = await deps.jobs.claim(job.tenantId, job.jobId, {
    now: now(),
    leaseMs: deps.leaseMs,
    leaseToken,
  });
  switch (claim.kind) {
    case 'final':
      await deps.events?.seenFinal?.(claim.job).catch((e) => {
        deps.log.error('job event not recorded', { jobId: job.jobId, error: (e as Error).message });
      });
      return 'ack';
    case 'missing':
    case 'busy':
      // Duplicate delivery: the job is done, or another worker holds it (its own message is still in flight).
      return 'ack';
    case 'not_due': {
      const waitMs = Date.parse(claim.job.nextAttemptAt ?? '') - now().getTime();
      await deps.control.retryLater(msg.receiptHandle, Math.max(1, waitMs / 1000)).catch(() => undefined);
      return 'retry';
    }
  }
  const rec = new JobRecorder(claim.job, leaseToken, deps, now);
  if (claim.tookOver) rec.noteLostAttempt();
  return new Attempt(rec, msg, raw, deps, now).execute(claim.lookupFirst);
}
