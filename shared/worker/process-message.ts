import { randomUUID } from 'node:crypto';
import { Attempt } from './attempt';
import { comeBackAt } from './come-back';
import { type Disposition, type ReceivedMessage, type WorkerDeps, withJobId } from './deps';
import { createForProducer, parseMessage, refuseWrongQueue, reopenRedriven } from './intake';
import { JobRecorder } from './recorder';
import { failedAttempts } from './retry-policy';

/**
 * Processes one queue message for one ERP, end to end: intake (parse, validate), claim — the first read of the
 * job, in the same write — then one attempt. Only an outside producer's first message (no job yet) and a redriven
 * one (a final job) cost more: the job is recorded or re-opened, then claimed. Never throws for a job-level problem.
 */
export async function processMessage(msg: ReceivedMessage, deps: WorkerDeps): Promise<Disposition> {
  const now = () => deps.now?.() ?? new Date();
  const intake = await parseMessage(msg, deps, now);
  if (intake.kind === 'done') return intake.disposition;
  const { message, jobId, raw } = intake;

  const leaseToken = randomUUID();
  const claimIt = () =>
    deps.jobs.claim(message.tenantId, jobId, {
      now: now(),
      leaseMs: deps.leaseMs,
      leaseToken,
      erp: deps.adapter.id,
    });
  // A message without a job id is an outside producer's (the API names its jobs): record the job first (a
  // conditional put that keeps an existing one), then claim it — no claim that can only miss.
  if (!message.jobId && !(await createForProducer(msg, message, jobId, raw, deps, now))) return 'ack';
  let claim = await claimIt();
  if (claim.kind === 'missing') {
    // The API writes its jobs before queueing them: no job means an outside producer's first message.
    if (!(await createForProducer(msg, message, jobId, raw, deps, now))) return 'ack';
    claim = await claimIt();
  } else if (claim.kind === 'final' && (await reopenRedriven(msg, claim.job, raw, deps, now))) {
    claim = await claimIt();
  }
  switch (claim.kind) {
    case 'final':
      await deps.events?.seenFinal?.(claim.job).catch((e) => {
        deps.log.error('job event not recorded', { jobId: claim.job.jobId, error: (e as Error).message });
      });
      return 'ack';
    case 'missing':
    case 'busy':
      // Duplicate delivery: the job is done, or another worker holds it (its own message is still in flight).
      return 'ack';
    case 'other_erp':
      await refuseWrongQueue(msg, claim.job, raw, deps);
      return 'ack';
    case 'not_due':
      // Early (a duplicate, or one hop of a long wait): it waits for the job's time, never runs an attempt.
      return comeBackAt(
        Date.parse(claim.job.nextAttemptAt as string),
        msg,
        withJobId(msg.body, raw, jobId),
        message.tenantId,
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
