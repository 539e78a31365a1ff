import { randomUUID } from 'node:crypto';
import type { CachedConnectionStore } from '../connections/cached-store';
import type { ConnectionStore, StoredConnection } from '../connections/store';
import { customerSchema, type UnifiedCustomer } from '../customer/schema';
import { adapterContext } from '../erps/context';
import type {
  AdapterContext,
  CreateOutcome,
  ErpAdapter,
  LockService,
  LookupOutcome,
  TokenCache,
} from '../erps/types';
import { type Issue, issuesFromZod, type UpstreamError } from '../errors';
import type { HttpClient } from '../http/upstream';
import { jobIdForIdempotencyKey, jobIdForMessage, stableHash } from '../jobs/ids';
import {
  appendHistory,
  type HistoryEntry,
  isFinal,
  type Job,
  type JobError,
  type JobStatus,
  reopenPatch,
} from '../jobs/model';
import type { JobPatch, JobStore } from '../jobs/store';
import { type GateResult, passGate } from '../pacing/gate';
import { effectiveLimits, paceKey } from '../pacing/limits';
import type { Pacer } from '../pacing/pacer';
import { asciiJson } from '../queue/ascii-json';
import { type JobMessage, jobMessageSchema } from '../queue/message';
import type { MessageControl } from '../queue/queue';
import { backoffDelayMs } from './backoff';

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
  control: MessageControl;
  http: HttpClient;
  tokens: TokenCache;
  locks: LockService;
  leaseMs: number;
  env?: Record<string, string | undefined>;
  log: Log;
  telemetry?: WorkerTelemetry;
  events?: JobEvents;
  /** Paces upstream calls per connection to the ERP's limits across all workers; absent: no pacing. */
  pacer?: Pacer;
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

/** `ack`: delete the message. `retry`: leave it (visibility already moved to the retry time). */
export type Disposition = 'ack' | 'retry';

const MAX_HISTORY_MESSAGE = 500;

/** Processes one queue message for one ERP, end to end. Never throws for a job-level problem. */
export async function processMessage(msg: ReceivedMessage, deps: WorkerDeps): Promise<Disposition> {
  const now = () => deps.now?.() ?? new Date();
  const erp = deps.adapter.id;

  // 1. The message itself: a producer outside the API may send anything.
  let raw: unknown;
  try {
    raw = JSON.parse(msg.body);
  } catch {
    raw = undefined;
  }
  const parsed = jobMessageSchema.safeParse(raw);
  if (!parsed.success) {
    const details =
      raw === undefined
        ? [{ pointer: '', code: 'malformed_json', message: 'the message body is not JSON' }]
        : issuesFromZod(parsed.error);
    await recordInvalidMessage(msg, raw, details, deps, now());
    return 'ack';
  }
  const message = parsed.data;
  const jobId =
    message.jobId ??
    (message.idempotencyKey
      ? jobIdForIdempotencyKey(message.tenantId, message.idempotencyKey)
      : jobIdForMessage(msg.messageId));

  // 2. The job record: the API wrote it already; an outside producer's first message creates it.
  let job = await deps.jobs.get(message.tenantId, jobId);
  if (!job) {
    const customer = customerSchema.safeParse(message.customer);
    const issues = customer.success
      ? deps.adapter.requirements(customer.data)
      : issuesFromZod(customer.error, '/customer');
    const t = now().toISOString();
    const fresh: Job = {
      jobId,
      tenantId: message.tenantId,
      erp,
      connectionId: message.connectionId,
      environment: 'sandbox',
      status: issues.length ? 'failed' : 'queued',
      customer: (customer.success ? customer.data : message.customer) as UnifiedCustomer,
      requestHash: stableHash({ erp, connectionId: message.connectionId, customer: message.customer }),
      idempotencyKey: message.idempotencyKey,
      callbackUrl: message.callbackUrl,
      source: 'queue',
      attempts: 0,
      maxAttempts: deps.adapter.worker.maxAttempts,
      history: [{ at: t, event: 'accepted_from_queue', status: issues.length ? 'failed' : 'queued' }],
      createdAt: t,
      updatedAt: t,
      enqueuedAt: t,
      ...(issues.length
        ? {
            error: {
              code: customer.success ? 'validation_failed' : 'invalid_message',
              message: `the customer is not valid for ${erp}`,
              retryable: false,
              details: issues,
            },
          }
        : {}),
    };
    const created = await deps.jobs.create(fresh);
    job = created.job;
    if (issues.length && job.status === 'failed') {
      deps.telemetry?.job(erp, 'failed');
      if (created.created) await announce(job, deps);
      await deps.control.deadLetter(withJobId(msg.body, raw, jobId), 'invalid_message');
      return 'ack';
    }
  }
  if (msg.redriven && (job.status === 'dead_lettered' || job.status === 'failed')) {
    job = (await deps.jobs.update(job, reopenPatch(job, 'redriven', 'redrive', now()))) ?? job;
  }
  if (job.erp !== erp) {
    deps.log.warn('message on the wrong ERP queue', { jobId, jobErp: job.erp, queueErp: erp });
    await deps.control.deadLetter(withJobId(msg.body, raw, jobId), 'wrong_queue');
    return 'ack';
  }

  // 3. Claim it for this attempt.
  const leaseToken = randomUUID();
  const claim = await deps.jobs.claim(job.tenantId, jobId, { now: now(), leaseMs: deps.leaseMs, leaseToken });
  switch (claim.kind) {
    case 'missing':
    case 'final':
    case 'busy':
      // Duplicate delivery: the job is done, or another worker holds it (its own message is still in flight).
      return 'ack';
    case 'not_due': {
      const waitMs = Date.parse(claim.job.nextAttemptAt ?? '') - now().getTime();
      await deps.control.retryLater(msg.receiptHandle, Math.max(1, waitMs / 1000)).catch(() => undefined);
      return 'retry';
    }
  }
  const run = new Attempt(claim.job, leaseToken, msg, raw, deps, now);
  if (claim.tookOver) run.noteLostAttempt();
  return run.execute(claim.lookupFirst);
}

async function announce(job: Job, deps: WorkerDeps): Promise<void> {
  try {
    await deps.events?.finished(job);
  } catch (e) {
    deps.log.error('job event not delivered', { jobId: job.jobId, error: (e as Error).message });
  }
}

function withJobId(body: string, raw: unknown, jobId: string): string {
  // Dead-lettered messages carry their job id, so a redrive continues the same job instead of a new one.
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) return asciiJson({ ...raw, jobId });
  return body;
}

async function recordInvalidMessage(
  msg: ReceivedMessage,
  raw: unknown,
  details: Issue[],
  deps: WorkerDeps,
  at: Date,
): Promise<void> {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Partial<JobMessage>;
  const tenantOk = typeof r.tenantId === 'string' && /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(r.tenantId);
  const tenantId = tenantOk ? (r.tenantId as string) : '_invalid';
  const jobId =
    typeof r.jobId === 'string' && /^[0-9a-f-]{36}$/i.test(r.jobId)
      ? r.jobId
      : jobIdForMessage(msg.messageId);
  const t = at.toISOString();
  const error: JobError = {
    code: 'invalid_message',
    message: 'the queue message does not follow the message contract',
    retryable: false,
    details,
  };
  const job: Job = {
    jobId,
    tenantId,
    erp: deps.adapter.id,
    connectionId: typeof r.connectionId === 'string' ? r.connectionId.slice(0, 64) : '',
    environment: 'sandbox',
    status: 'failed',
    customer: {} as UnifiedCustomer,
    requestHash: stableHash(msg.body),
    source: 'queue',
    attempts: 0,
    maxAttempts: deps.adapter.worker.maxAttempts,
    error,
    history: [{ at: t, event: 'invalid_message', status: 'failed', message: `${details.length} problem(s)` }],
    createdAt: t,
    updatedAt: t,
  };
  const existing = await deps.jobs.create(job);
  if (!existing.created && existing.job.status !== 'failed' && existing.job.status !== 'succeeded') {
    // A valid job already has this id: the bad message must not touch it.
    deps.log.warn('invalid message names an existing job', { jobId, tenantId });
  }
  deps.telemetry?.job(deps.adapter.id, 'failed');
  if (existing.created && tenantOk) await announce(job, deps);
  deps.log.warn('invalid message dead-lettered', { jobId, tenantId, problems: details.length });
  await deps.control.deadLetter(msg.body, 'invalid_message');
}

/** One claimed attempt at a job. Every state change is conditional on still holding the lease. */
class Attempt {
  private readonly erp: string;
  constructor(
    private job: Job,
    private readonly leaseToken: string,
    private readonly msg: ReceivedMessage,
    private readonly raw: unknown,
    private readonly deps: WorkerDeps,
    private readonly now: () => Date,
  ) {
    this.erp = deps.adapter.id;
  }

  private entry(e: Omit<HistoryEntry, 'at' | 'attempt'>): HistoryEntry {
    return { at: this.now().toISOString(), attempt: this.job.attempts, ...e };
  }

  private async save(
    patch: JobPatch,
    entry: Omit<HistoryEntry, 'at' | 'attempt' | 'status'>,
  ): Promise<boolean> {
    const status = patch.status ?? this.job.status;
    const next = await this.deps.jobs.update(
      this.job,
      {
        // Any save but a pacing wait spends the held slot.
        paceSlotAt: undefined,
        ...patch,
        updatedAt: this.now().toISOString(),
        history: appendHistory(this.job.history, this.entry({ ...entry, status })),
        leaseUntil: undefined,
        leaseToken: undefined,
      },
      { leaseToken: this.leaseToken },
    );
    if (!next) {
      // Our lease ran out and another worker took over; its result stands.
      this.deps.log.warn('lost the job lease before saving', { jobId: this.job.jobId });
      return false;
    }
    this.job = next;
    this.deps.telemetry?.job(this.erp, status);
    if (isFinal(status)) await announce(next, this.deps);
    return true;
  }

  private fail(
    code: string,
    message: string,
    extra: Partial<JobError> = {},
    outcome?: string,
  ): Promise<boolean> {
    return this.save(
      { status: 'failed', nextAttemptAt: undefined, error: { code, message, retryable: false, ...extra } },
      { event: 'failed', outcome, message: message.slice(0, MAX_HISTORY_MESSAGE), upstream: extra.upstream },
    );
  }

  private succeed(erpCustomerId: string, reconciled: boolean, upstream?: UpstreamError) {
    return this.save(
      { status: 'succeeded', erpCustomerId, reconciled, error: undefined, nextAttemptAt: undefined },
      {
        event: reconciled ? 'reconciled' : 'created',
        outcome: reconciled ? 'found' : 'created',
        message: reconciled
          ? 'found by look-up instead of creating again'
          : `created with id ${erpCustomerId}`,
        upstream,
      },
    );
  }

  /**
   * The previous attempt's worker stopped (crash, timeout) before saving a result: say so in the history, so
   * every attempt is explained. The entry is written with this attempt's next state change.
   */
  noteLostAttempt() {
    this.job = {
      ...this.job,
      history: appendHistory(this.job.history, {
        at: this.now().toISOString(),
        attempt: this.job.attempts - 1,
        event: 'attempt_lost',
        outcome: 'lost',
        status: 'in_progress',
        message:
          'the worker stopped before saving a result; this attempt looks the customer up before creating',
      }),
    };
  }

  async execute(lookupFirst: boolean): Promise<Disposition> {
    const { adapter } = this.deps;
    const job = this.job;

    // Re-validate: an outside producer's job, or one stored before the rules changed.
    const parsed = customerSchema.safeParse(job.customer);
    const issues = parsed.success
      ? adapter.requirements(parsed.data)
      : issuesFromZod(parsed.error, '/customer');
    if (!parsed.success || issues.length) {
      await this.fail('validation_failed', `the customer is not valid for ${this.erp}`, { details: issues });
      return 'ack';
    }
    const customer = parsed.data;

    const conn = await this.deps.connections.get(job.tenantId, job.connectionId);
    if (!conn) {
      await this.fail(
        'connection_not_found',
        `connection ${job.connectionId} does not exist for this tenant`,
      );
      return 'ack';
    }
    if (conn.erp !== this.erp) {
      await this.fail(
        'connection_erp_mismatch',
        `connection ${job.connectionId} is for ${conn.erp}, not ${this.erp}`,
      );
      return 'ack';
    }
    if (conn.status === 'needs_reauth') {
      await this.fail('auth_failed', `connection ${job.connectionId} needs new credentials`, {});
      return 'ack';
    }
    const creds = adapter.credentialsSchema.safeParse(conn.credentials);
    if (!creds.success) {
      await this.fail(
        'connection_invalid',
        `stored credentials of ${job.connectionId} do not fit ${this.erp}`,
      );
      return 'ack';
    }
    const ctx = adapterContext(adapter, conn, creds.data, job.jobId, {
      http: this.deps.http,
      tokens: this.deps.tokens,
      locks: this.deps.locks,
      connections: this.deps.connections,
      env: this.deps.env,
    });

    const gate = await this.pace(conn, lookupFirst);
    if (gate.kind === 'wait') return this.waitForSlot(gate, lookupFirst);
    try {
      if (lookupFirst) {
        const found = await this.timed('lookup', () => adapter.lookup(customer, ctx));
        if (found.kind === 'found') {
          await this.succeed(found.erpCustomerId, true);
          return 'ack';
        }
        if (found.kind !== 'not_found') return this.afterFailure(found, true);
      }

      const outcome = await this.timed('create', () => adapter.create(customer, ctx));
      return await this.afterCreate(outcome, customer, ctx);
    } finally {
      await gate.lease?.release().catch((e) => {
        // The slot lapses at its expiry anyway.
        this.deps.log.warn('could not release a concurrency slot', { error: (e as Error).message });
      });
    }
  }

  /** Takes this attempt's turn at the connection's limits (DynamoDB-shared across workers). */
  private pace(conn: StoredConnection, lookupFirst: boolean): Promise<GateResult> {
    const { pacer, adapter } = this.deps;
    if (!pacer) return Promise.resolve({ kind: 'go' });
    return passGate({
      pacer,
      key: paceKey(this.erp, conn.tenantId, conn.connectionId),
      limits: effectiveLimits(adapter.capabilities.rateLimit, conn.environment, conn.limits),
      cost: lookupFirst ? 2 : 1,
      heldSlotMs: this.job.paceSlotAt ? Date.parse(this.job.paceSlotAt) : undefined,
      leaseTtlMs: this.deps.leaseMs,
      now: () => this.now().getTime(),
    });
  }

  /**
   * Not our turn yet: the job waits in the queue (message visibility), not in this Lambda. Waiting is not an
   * attempt; the reserved slot stays on the job so the next delivery does not reserve again.
   */
  private async waitForSlot(
    gate: Extract<GateResult, { kind: 'wait' }>,
    lookupFirst: boolean,
  ): Promise<Disposition> {
    const at = new Date(gate.untilMs).toISOString();
    const delayMs = Math.max(0, gate.untilMs - this.now().getTime());
    const saved = await this.save(
      {
        // outcome_unknown keeps its look-up-first duty.
        status: lookupFirst ? 'outcome_unknown' : 'retry_scheduled',
        nextAttemptAt: at,
        paceSlotAt: at,
        attempts: Math.max(0, this.job.attempts - 1),
      },
      { event: 'paced', delayMs, message: gate.reason },
    );
    if (!saved) return 'ack';
    // Whole seconds, rounded down: the message returns just before the slot and the rest is slept inline.
    await this.deps.control.retryLater(this.msg.receiptHandle, Math.floor(delayMs / 1000)).catch((e) => {
      this.deps.log.warn('could not change message visibility', {
        jobId: this.job.jobId,
        error: (e as Error).message,
      });
    });
    return 'retry';
  }

  private async timed<T extends CreateOutcome | LookupOutcome>(
    what: string,
    fn: () => Promise<T>,
  ): Promise<T> {
    const started = performance.now();
    try {
      const out = await fn();
      this.deps.telemetry?.outcome(this.erp, `${what}:${out.kind}`, performance.now() - started);
      return out;
    } catch (e) {
      // An adapter bug must not lose the job: treat it as an unknown outcome (look up before re-creating).
      this.deps.log.error('adapter threw', { jobId: this.job.jobId, what, error: (e as Error).message });
      return {
        kind: 'unknown',
        upstream: { erp: this.erp, code: 'adapter_error', message: (e as Error).message.slice(0, 200) },
      } as T;
    }
  }

  private async afterCreate(
    outcome: CreateOutcome,
    customer: UnifiedCustomer,
    ctx: AdapterContext<unknown>,
  ): Promise<Disposition> {
    if (outcome.kind === 'created') {
      await this.succeed(outcome.erpCustomerId, false);
      return 'ack';
    }
    if (outcome.kind === 'duplicate') {
      if (outcome.erpCustomerId) {
        await this.succeed(outcome.erpCustomerId, true, outcome.upstream);
        return 'ack';
      }
      const found = await this.timed('lookup', () => this.deps.adapter.lookup(customer, ctx));
      if (found.kind === 'found') {
        await this.succeed(found.erpCustomerId, true, outcome.upstream);
        return 'ack';
      }
      if (found.kind === 'not_found') {
        await this.fail(
          'duplicate_unresolved',
          `${this.erp} reports a duplicate but the existing customer could not be found`,
          { upstream: outcome.upstream },
          'duplicate',
        );
        return 'ack';
      }
      return this.afterFailure(found, false);
    }
    return this.afterFailure(outcome, outcome.kind === 'unknown');
  }

  /** A failed create or look-up. `lookupOwed`: the customer may exist upstream, look up before creating. */
  private async afterFailure(
    outcome: Exclude<CreateOutcome, { kind: 'created' } | { kind: 'duplicate' }>,
    lookupOwed: boolean,
  ): Promise<Disposition> {
    const { adapter } = this.deps;
    if (outcome.kind === 'invalid') {
      await this.fail(
        'upstream_rejected',
        `${this.erp} rejected the customer: ${outcome.upstream.message}`.slice(0, 1000),
        { upstream: outcome.upstream, details: outcome.details },
        'invalid',
      );
      return 'ack';
    }
    if (outcome.kind === 'auth') {
      if (outcome.reauthorize) {
        await this.deps.connections
          .setStatus(
            this.job.tenantId,
            this.job.connectionId,
            'needs_reauth',
            outcome.upstream.message.slice(0, 200),
          )
          .catch(() => undefined);
      }
      await this.fail(
        'auth_failed',
        `${this.erp} did not accept the connection's credentials`,
        { upstream: outcome.upstream },
        'auth',
      );
      return 'ack';
    }
    // rate_limited, transient, unknown: retry later, or give up when attempts are spent.
    const status: JobStatus =
      lookupOwed || this.job.status === 'outcome_unknown' ? 'outcome_unknown' : 'retry_scheduled';
    if (this.job.attempts >= this.job.maxAttempts) {
      const saved = await this.save(
        {
          status: 'dead_lettered',
          nextAttemptAt: undefined,
          error: {
            code: 'attempts_exhausted',
            message: `gave up after ${this.job.attempts} attempts; last: ${outcome.kind}`,
            retryable: true,
            upstream: outcome.upstream,
          },
        },
        {
          event: 'dead_lettered',
          outcome: outcome.kind,
          message: outcome.upstream.message.slice(0, MAX_HISTORY_MESSAGE),
          upstream: outcome.upstream,
        },
      );
      if (saved)
        await this.deps.control.deadLetter(
          withJobId(this.msg.body, this.raw, this.job.jobId),
          'attempts_exhausted',
        );
      return 'ack';
    }
    const delayMs = backoffDelayMs(
      this.job.attempts,
      {
        baseDelayMs: adapter.worker.baseDelayMs,
        maxDelayMs: adapter.worker.maxDelayMs,
        hintMs: outcome.retryAfterMs,
      },
      this.deps.random,
    );
    const nextAttemptAt = new Date(this.now().getTime() + delayMs).toISOString();
    const saved = await this.save(
      {
        status,
        nextAttemptAt,
        error: {
          code: outcome.kind,
          message: outcome.upstream.message,
          retryable: true,
          upstream: outcome.upstream,
        },
      },
      {
        event: status === 'outcome_unknown' ? 'outcome_unknown' : 'retry_scheduled',
        outcome: outcome.kind,
        delayMs,
        message: outcome.upstream.message.slice(0, MAX_HISTORY_MESSAGE),
        upstream: outcome.upstream,
      },
    );
    if (!saved) return 'ack';
    await this.deps.control.retryLater(this.msg.receiptHandle, delayMs / 1000).catch((e) => {
      // The message still comes back after its visibility timeout; the job shows when it is due.
      this.deps.log.warn('could not change message visibility', {
        jobId: this.job.jobId,
        error: (e as Error).message,
      });
    });
    return 'retry';
  }
}
