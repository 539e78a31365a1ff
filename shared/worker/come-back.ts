import { MAX_DELAY_SECONDS } from '../queue/queue';
import type { Disposition, ReceivedMessage, WorkerDeps } from './deps';

/**
 * The job's message comes back at `untilMs` (epoch ms): a copy is re-sent with a delay and the received one is
 * deleted (`ack`). A wait therefore costs no SQS receive, and `maxReceiveCount` only ever counts crashes.
 * Waits longer than SQS's 15-minute DelaySeconds are a chain: the copy arrives early, the claim answers
 * `not_due`, and it is re-sent again for the rest.
 *
 * Crash windows: stopped after the re-send, before the delete → two copies; the claim lets one run an attempt
 * and the other finds the job busy or not due. Stopped before the re-send → the original comes back after its
 * visibility timeout. If the re-send itself fails, the original's visibility is moved instead (`retry`), which
 * costs one receive and nothing else.
 *
 * `body` carries the job id, so the copy names the same job whatever the original message did.
 */
export async function comeBackAt(
  untilMs: number,
  msg: ReceivedMessage,
  body: string,
  tenantId: string,
  deps: Pick<WorkerDeps, 'control' | 'log'>,
  now: () => Date,
): Promise<Disposition> {
  const seconds = Math.max(0, (untilMs - now().getTime()) / 1000);
  try {
    // Rounded up: never visible before the job is due (the claim would only send it round again).
    await deps.control.resend(body, Math.min(MAX_DELAY_SECONDS, Math.ceil(seconds)), tenantId);
    return 'ack';
  } catch (e) {
    deps.log.warn('could not re-send the message; moving its visibility instead', {
      error: (e as Error).message,
    });
  }
  await deps.control.retryLater(msg.receiptHandle, Math.ceil(seconds)).catch((e) => {
    // It still comes back after the queue's visibility timeout.
    deps.log.warn('could not change message visibility', { error: (e as Error).message });
  });
  return 'retry';
}
