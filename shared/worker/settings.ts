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
