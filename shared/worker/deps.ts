import type { CachedConnectionStore } from '../connections/cached-store';
import type { RefusedInlineStore } from '../connections/refused-credentials';
import type { ConnectionStore } from '../connections/store';
import type { ErpAdapter, LockService, OAuthApps, TokenCache } from '../erps/types';
import type { HttpClient } from '../http/upstream';
import type { Job, JobStatus } from '../jobs/model';
import type { JobStore } from '../jobs/store';
import type { Pacer } from '../pacing/pacer';
import { asciiJson } from '../queue/ascii-json';
import type { MessageControl } from '../queue/queue';

export interface Log {
  info(msg: string, attrs?: Record<string, unknown>): void;
  warn(msg: string, attrs?: Record<string, unknown>): void;
  error(msg: string, attrs?: Record<string, unknown>): void;
}

/** Counters the Lambda wiring turns into CloudWatch metrics (per ERP and outcome). */
export interface WorkerTelemetry {
  outcome(erp: string, outcome: string, latencyMs?: number): void;
  job(erp: string, status: JobStatus): void;
}

/** Told about every job that reaches a final state (webhooks plug in here). Failures here never fail the job. */
export interface JobEvents {
  finished(job: Job): Promise<void>;
}

export interface WorkerDeps {
  adapter: ErpAdapter<unknown>;
  jobs: JobStore;
  connections: ConnectionStore | CachedConnectionStore;
  /** Markers of refused inline credentials (their secrets are deleted); absent: such a secret is kept. */
  refusedInline?: RefusedInlineStore;
  control: MessageControl;
  http: HttpClient;
  tokens: TokenCache;
  locks: LockService;
  leaseMs: number;
  env?: Record<string, string | undefined>;
  /** The operator's OAuth apps, for connections stored with app: "operator" (QuickBooks, NetSuite). */
  apps?: OAuthApps;
  log: Log;
  telemetry?: WorkerTelemetry;
  events?: JobEvents;
  /** Paces upstream calls per connection to the ERP's limits across all workers; absent: no pacing. */
  pacer?: Pacer;
  /** Caps retry backoff below the adapter's `maxDelayMs` (local and test runs); an ERP's hint still wins. */
  backoffCapMs?: number;
  now?: () => Date;
  random?: () => number;
}

export interface ReceivedMessage {
  messageId: string;
  body: string;
  receiptHandle: string;
  /** Set when the message came back from the DLQ (redrive): its dead-lettered job is re-opened. */
  redriven?: boolean;
}

/**
 * `ack`: delete the message (a wait has re-sent a delayed copy first). `retry`: leave it (its visibility was
 * moved to the retry time because the copy could not be sent).
 */
export type Disposition = 'ack' | 'retry';

/** Tells the job-events hook (webhooks) about a final job; a failure there is logged, never the job's. */
export async function announce(job: Job, deps: Pick<WorkerDeps, 'events' | 'log'>): Promise<void> {
  try {
    await deps.events?.finished(job);
  } catch (e) {
    deps.log.error('job event not delivered', { jobId: job.jobId, error: (e as Error).message });
  }
}

/** The message body to dead-letter: it carries its job id, so a redrive continues the same job, not a new one. */
export function withJobId(body: string, raw: unknown, jobId: string): string {
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) return asciiJson({ ...raw, jobId });
  return body;
}
