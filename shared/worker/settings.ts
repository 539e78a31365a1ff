import type { WorkerSettings } from '../erps/types';

/**
 * The worker function's timeout for an ERP: room for an auth call, a look-up and a create, each up to the
 * upstream timeout, plus slack. The CDK stack uses it too, and the job lease must outlast it.
 */
export function workerFunctionTimeoutSeconds(w: Pick<WorkerSettings, 'timeoutMs'>): number {
  return Math.min(900, Math.ceil((3 * w.timeoutMs) / 1000) + 30);
}

/** A claimed job is the worker's until this many ms have passed (then another worker may take it over). */
export function leaseMs(w: Pick<WorkerSettings, 'timeoutMs'>): number {
  return workerFunctionTimeoutSeconds(w) * 1000 + 30_000;
}

/**
 * Receives of one message that run no attempt (a worker that died before its claim, a copy that could not be
 * re-sent so the message's visibility was moved instead).
 */
export const CRASH_RECEIVE_MARGIN = 2;

/**
 * The jobs queue's maxReceiveCount: a net for messages whose worker keeps crashing, never reached by waits (a
 * pacing wait, a rate limit, a retry or an early message re-sends a delayed copy and deletes the one received).
 * Each receive of one message carries at most one attempt, and a worker that takes a job over once its attempts
 * are spent dead-letters it itself — at the (maxAttempts + 1)-th receive at the latest, before SQS would move
 * the message away from a job left unfinished.
 */
export function maxReceiveCount(w: Pick<WorkerSettings, 'maxAttempts'>): number {
  return w.maxAttempts + 1 + CRASH_RECEIVE_MARGIN;
}
