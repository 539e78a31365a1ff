import { isFinal, type Job } from '../jobs/model';
import type { JobStore } from '../jobs/store';

/**
 * Polling schedule while a request waits for its job: the first read after 150 ms (a paced create rarely finishes
 * sooner), then 1.5× longer each time up to 2 s. A 25 s wait makes at most 18 reads; a job that finishes in 1 s
 * costs about 4. Reads are consistent (GetItem, 1 RCU per 4 KB of job), and nothing else holds a connection.
 */
export const WAIT_POLL = { firstMs: 150, factor: 1.5, maxMs: 2_000 } as const;

export interface WaitResult {
  job: Job;
  /** The job reached succeeded, failed or dead_lettered before the deadline. */
  final: boolean;
  /** Extra job reads the wait made (the bench reports them). */
  reads: number;
}

export interface WaitDeps {
  jobs: Pick<JobStore, 'get'>;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Waits until `job` is final or `deadlineMs` (epoch ms) passes, reading it with backoff. It stops early when the
 * job is scheduled to run again only after the deadline (`nextAttemptAt`): no read could see it finish.
 */
export async function waitForFinalJob(job: Job, deadlineMs: number, deps: WaitDeps): Promise<WaitResult> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? defaultSleep;
  let current = job;
  let reads = 0;
  let interval: number = WAIT_POLL.firstMs;
  while (!isFinal(current.status)) {
    const left = deadlineMs - now();
    const next = current.nextAttemptAt ? Date.parse(current.nextAttemptAt) : undefined;
    if (left <= 0 || (next !== undefined && next > deadlineMs)) break;
    await sleep(Math.min(interval, left));
    interval = Math.min(interval * WAIT_POLL.factor, WAIT_POLL.maxMs);
    const read = await deps.jobs.get(current.tenantId, current.jobId);
    reads++;
    if (!read) break;
    current = read;
  }
  return { job: current, final: isFinal(current.status), reads };
}

/** Seconds a client should come back after (`Retry-After`): at the job's next attempt, else soon. */
export function retryAfterSeconds(job: Job, nowMs: number): number {
  const next = job.nextAttemptAt ? Date.parse(job.nextAttemptAt) : Number.NaN;
  return Number.isFinite(next) ? Math.max(1, Math.ceil((next - nowMs) / 1000)) : 2;
}
