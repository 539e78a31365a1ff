import { isFinal, type Job } from './model';

/**
 * How long SQS keeps a message in a source queue (the SQS maximum, and what the stack sets): a message sent
 * for a job and never received in that time is gone.
 */
export const MESSAGE_RETENTION_SECONDS = 14 * 86_400;

type Timing = Pick<
  Job,
  'status' | 'updatedAt' | 'nextAttemptAt' | 'leaseUntil' | 'enqueuedAt' | 'messageSentAt' | 'messageSeenAt'
>;

const later = (a: string | undefined, b: string | undefined) => (a && b ? (a > b ? a : b) : (a ?? b));

/** The last time a message for the job was sent: by the API (`enqueuedAt`), a worker or the sweeper. */
export function lastSentAt(job: Timing): string | undefined {
  // ISO timestamps order as strings.
  return later(job.enqueuedAt, job.messageSentAt);
}

/**
 * A message was sent for the job and no worker has claimed from one since: it is waiting in the queue
 * (perhaps behind a backlog, perhaps delayed until the job is due). Re-queueing such a job only adds copies.
 * While a job is in progress, only a copy sent after its lease ended counts: one sent before finds the job
 * busy and is dropped (the holder re-sends when it is done, or its lease runs out).
 */
export function messageInFlight(job: Timing): boolean {
  const sent = lastSentAt(job);
  if (sent === undefined || (job.messageSeenAt && sent <= job.messageSeenAt)) return false;
  return job.status !== 'in_progress' || !job.leaseUntil || sent > job.leaseUntil;
}

/**
 * The send time to record for a copy a worker sends now, after it received (claimed from) one: strictly after
 * that receive, so the copy counts as in flight even within the same millisecond.
 */
export function sentNow(job: Pick<Job, 'messageSeenAt'>, now: Date): string {
  const seen = job.messageSeenAt ? Date.parse(job.messageSeenAt) : Number.NEGATIVE_INFINITY;
  return new Date(Math.max(now.getTime(), seen + 1)).toISOString();
}

/** When the job is due to move by itself: its lease ends (in progress) or its next attempt is due. */
function dueAt(job: Timing): string {
  return job.status === 'in_progress'
    ? (job.leaseUntil ?? job.updatedAt)
    : (job.nextAttemptAt ?? job.updatedAt);
}

/**
 * When the sweeper should look at a non-final job (the sort key of its index): when it is due, or — while a
 * message for it is in flight — not before SQS would have dropped that message unreceived.
 */
export function sweepAt(job: Timing): string {
  const due = dueAt(job);
  const sent = lastSentAt(job);
  if (!sent || !messageInFlight(job)) return due;
  const dropped = new Date(Date.parse(sent) + MESSAGE_RETENTION_SECONDS * 1000).toISOString();
  return later(due, dropped) as string;
}

/**
 * The API's own first send, unconfirmed: a create (single, or a batch item) records `enqueuedAt` with its one
 * put (issue 14 §1) and sends right after, so a process that dies between the two leaves a job that says
 * "queued" with no message. Until a worker receives a message for it, the job cannot tell the two apart; an
 * empty queue can (`first_send_lost`), and so can SQS's retention (`message_expired`).
 */
export function unconfirmedFirstSend(job: Timing): boolean {
  return job.status === 'queued' && !!job.enqueuedAt && !job.messageSentAt && !job.messageSeenAt;
}

/** Sort-key prefix in the sweeper's index for jobs whose first send is unconfirmed (after every ISO time). */
export const UNCONFIRMED_PREFIX = 'U#';

/**
 * The job's sort key in the sweeper's index (gsi2): `sweepAt`, or — while its first send is unconfirmed — the
 * send time under UNCONFIRMED_PREFIX, a range of its own that the sweeper reads when the ERP's queue is empty,
 * and otherwise only for sends older than SQS's retention: a job waiting in a backlog is neither re-read nor
 * copied.
 */
export function sweepIndexKey(job: Timing): string {
  return unconfirmedFirstSend(job) ? `${UNCONFIRMED_PREFIX}${job.enqueuedAt}` : sweepAt(job);
}

export type StuckReason =
  /**
   * Recorded, and no send of it is on record: its send failed and was taken back. (SQS may still have taken
   * that message, its answer lost: the copy then finds the job busy or final and runs nothing.)
   */
  | 'never_queued'
  /** In progress past its lease: the worker stopped mid-attempt. */
  | 'lease_expired'
  /** Overdue, and the message that would move it was consumed with no successor sent. */
  | 'no_message_in_flight'
  /** Its message was sent longer ago than SQS keeps one. */
  | 'message_expired'
  /** The caller knows every queued message is gone (the local queue emulator restarted empty). */
  | 'messages_lost'
  /**
   * Its first send was never confirmed and, `stuckAfterMs` later, its ERP's queue holds no message at all:
   * the API stopped between recording the job and sending it.
   */
  | 'first_send_lost';

/**
 * Why a job is really stuck at `now`, or undefined when it is not: it is final, not yet `stuckAfterMs` past
 * its due time, or it has a message in flight (a job merely waiting in a backed-up queue is not stuck).
 * `queueEmpty`: the job's ERP queue holds no message (visible, in flight or delayed), so a first send still
 * unconfirmed was lost.
 */
export function stuckReason(
  job: Timing,
  now: Date,
  stuckAfterMs: number,
  opts: { messagesLost?: boolean; queueEmpty?: boolean } = {},
): StuckReason | undefined {
  if (isFinal(job.status)) return undefined;
  if (opts.messagesLost) return 'messages_lost';
  if (
    opts.queueEmpty &&
    unconfirmedFirstSend(job) &&
    Date.parse(job.enqueuedAt as string) + stuckAfterMs < now.getTime()
  ) {
    return 'first_send_lost';
  }
  if (Date.parse(sweepAt(job)) + stuckAfterMs >= now.getTime()) return undefined;
  if (messageInFlight(job)) return 'message_expired';
  if (job.status === 'in_progress') return 'lease_expired';
  return lastSentAt(job) ? 'no_message_in_flight' : 'never_queued';
}
