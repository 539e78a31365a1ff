import type { ErpAdapter, WorkerSettings } from '../shared/erps/types';
import { maxReceiveCount, workerFunctionTimeoutSeconds } from '../shared/worker/settings';

/** SQS → Lambda settings of one ERP, all derived from the adapter's own worker settings and limits. */
export interface WorkerSizing {
  functionTimeoutSeconds: number;
  batchSize: number;
  maxBatchingWindowSeconds: number;
  /** Event-source maximum concurrency: the per-ERP guard on the upstream's documented limits. */
  maxConcurrency: number;
  visibilityTimeoutSeconds: number;
  /** Above the worker's own attempt limit: only messages that crash the worker reach it (waits re-send). */
  maxReceiveCount: number;
  /** Oldest-message alarm: a job still queued after its whole retry budget is stuck. */
  oldestMessageAlarmSeconds: number;
}

/** Lambda's SQS batch size cap for standard queues without a window is 10; we never need more. */
const MAX_BATCH = 10;
/** A short window: jobs are latency-sensitive; batching only helps when a burst arrives. */
const BATCHING_WINDOW_SECONDS = 1;
const SQS_MAX_VISIBILITY_SECONDS = 12 * 60 * 60;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.round(v)));

export function workerSizing(adapter: Pick<ErpAdapter, 'worker'>): WorkerSizing {
  const w: WorkerSettings = adapter.worker;
  // Shared with the worker's job lease (shared/worker/settings.ts), so lease and function timeout agree.
  const functionTimeoutSeconds = workerFunctionTimeoutSeconds(w);
  // AWS: visibility timeout ≥ 6 × function timeout (+ batching window), so throttled retries don't redeliver early.
  const visibilityTimeoutSeconds = Math.min(
    SQS_MAX_VISIBILITY_SECONDS,
    6 * functionTimeoutSeconds + BATCHING_WINDOW_SECONDS,
  );
  const retryBudgetSeconds =
    (Math.max(1, w.maxAttempts) * (w.maxDelayMs + functionTimeoutSeconds * 1000)) / 1000;
  return {
    functionTimeoutSeconds,
    batchSize: clamp(w.batchSize, 1, MAX_BATCH),
    maxBatchingWindowSeconds: BATCHING_WINDOW_SECONDS,
    // ScalingConfig.MaximumConcurrency accepts 2..1000.
    maxConcurrency: clamp(w.maxConcurrency, 2, 1000),
    visibilityTimeoutSeconds,
    maxReceiveCount: maxReceiveCount(w),
    oldestMessageAlarmSeconds: clamp(retryBudgetSeconds, 900, SQS_MAX_VISIBILITY_SECONDS),
  };
}
