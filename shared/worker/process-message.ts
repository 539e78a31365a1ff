import { randomUUID } from 'node:crypto';
import { Attempt } from './attempt';
import { comeBackAt } from './come-back';
import { type Disposition, type ReceivedMessage, type WorkerDeps, withJobId } from './deps';
import { takeIn } from './intake';
import { JobRecorder } from './recorder';
import { failedAttempts } from './retry-policy';

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
    case 'not_due':
      // Early (a duplicate, or one hop of a long wait): it waits for the job's time, never runs an attempt.
      return comeBackAt(
        Date.parse(claim.job.nextAttemptAt as string),
        msg,
        withJobId(msg.body, raw, job.jobId),
        job.tenantId,
        deps,
        now,
      );
  }
  const rec = new JobRecorder(claim.job, leaseToken, deps, now);
  if (claim.tookOver) {
    rec.noteLostAttempt();
    // Workers that keep dying on this job (each takeover is an attempt) end it here, explained, before SQS's
    // maxReceiveCount moves its message away from a job that would then never finish.
    if (failedAttempts(rec.job) > rec.job.maxAttempts) {
      await rec.deadLetter(
        {
          kind: 'unknown',
          upstream: { erp: deps.adapter.id, code: 'attempt_lost', message: 'the worker stopped mid-attempt' },
        },
        msg,
        raw,
        `${rec.job.maxAttempts} attempts were lost or failed`,
      );
      return 'ack';
    }
  }
  return new Attempt(rec, msg, raw, deps, now).execute(claim.lookupFirst);
}
