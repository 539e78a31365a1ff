import type { ErpId } from '../erps/types';
import type { JobMessage } from './message';

/** Port: how jobs reach the worker of their ERP. */
export interface JobQueue {
  send(erp: ErpId, message: JobMessage): Promise<void>;
  /**
   * Sends many messages (SQS SendMessageBatch, 10 per call); resolves to the indexes that were not sent. Absent:
   * callers send one by one.
   */
  sendMany?(erp: ErpId, messages: JobMessage[]): Promise<number[]>;
  /**
   * Whether `erp`'s queue holds no message at all: none visible, in flight or delayed (SQS's approximate
   * counts). Absent: unknown, and the sweeper assumes messages are waiting.
   */
  isEmpty?(erp: ErpId): Promise<boolean>;
}

/** Port: what the worker can do with the message it is processing, besides acknowledging it. */
export interface MessageControl {
  /**
   * Makes the message visible again after `seconds`; it is then redelivered. Each redelivery counts towards
   * the queue's maxReceiveCount, so the job worker uses it only when `resend` failed.
   */
  retryLater(receiptHandle: string, seconds: number): Promise<void>;
  /**
   * Sends `body` to the same queue again, delivered after `delaySeconds` (at most MAX_DELAY_SECONDS). The copy
   * starts with no receives, so a wait that re-sends its message (and deletes the original) costs none.
   * `groupId`: the SQS fair-queue group (the tenant).
   */
  resend(body: string, delaySeconds: number, groupId?: string): Promise<void>;
  /** Moves the message body to this ERP's dead-letter queue (explicit dead-lettering). */
  deadLetter(body: string, reason: string): Promise<void>;
}

/** SQS caps visibility at 12 hours. */
export const MAX_VISIBILITY_SECONDS = 12 * 60 * 60;
/** SQS caps a message's DelaySeconds at 15 minutes: a longer wait is a chain of delayed copies. */
export const MAX_DELAY_SECONDS = 900;

/**
 * Message attribute the worker puts on what it dead-letters. Redrives (StartMessageMoveTask, or the local
 * mover) keep message attributes, so a message carrying it in a jobs queue is known to be a redrive.
 */
export const DEAD_LETTER_REASON = 'dead-letter-reason';
