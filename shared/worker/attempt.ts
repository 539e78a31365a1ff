import { credentialsRefused } from '../connections/refused-credentials';
import type { StoredConnection } from '../connections/store';
import { customerSchema, type UnifiedCustomer } from '../customer/schema';
import { adapterContext } from '../erps/context';
import { UpstreamRedactor } from '../erps/redaction';
import type {
  AdapterContext,
  CreateOutcome,
  FailureOutcome,
  LookupConflict,
  LookupFound,
  LookupOutcome,
} from '../erps/types';
import { issuesFromZod, type UpstreamError } from '../errors';
import type { JobStatus } from '../jobs/model';
import { type GateResult, passGate } from '../pacing/gate';
import { effectiveLimits, paceKey } from '../pacing/limits';
import { backoffDelayMs } from './backoff';
import type { Disposition, ReceivedMessage, WorkerDeps } from './deps';
import type { JobRecorder } from './recorder';

/**
 * One claimed attempt at a job: re-validate, resolve the connection, take a turn at the ERP's limits, look up
 * (when owed) and create, then classify what came back. Results are written through the recorder.
 */
export class Attempt {
  private readonly erp: string;
  /** Everything the ERP says passes through it in `timed`, before anything is stored or logged. */
  private readonly redactor = new UpstreamRedactor();
  /** The connection as this attempt used it (credentials as the adapter last held them: they may rotate). */
  private used?: () => StoredConnection;
  constructor(
    private readonly rec: JobRecorder,
    private readonly msg: ReceivedMessage,
    private readonly raw: unknown,
    private readonly deps: WorkerDeps,
    private readonly now: () => Date,
  ) {
    this.erp = deps.adapter.id;
  }

  async execute(lookupFirst: boolean): Promise<Disposition> {
    const ready = await this.prepare();
    if (!ready) return 'ack';
    const { customer, conn, ctx } = ready;
    const { adapter } = this.deps;

    const gate = await this.pace(conn, lookupFirst);
    if (gate.kind === 'wait') return this.waitForSlot(gate, lookupFirst);
    try {
      if (lookupFirst) {
        const found = await this.timed('lookup', () => adapter.lookup(customer, ctx));
        if (found.kind === 'found' || found.kind === 'conflict') return this.settle(found);
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

  /**
   * The job's customer (re-validated: an outside producer's job, or one stored before the rules changed) and its
   * connection, ready for the adapter; or undefined when the job has failed for good on one of them.
   */
  private async prepare(): Promise<
    { customer: UnifiedCustomer; conn: StoredConnection; ctx: AdapterContext<unknown> } | undefined
  > {
    const { adapter } = this.deps;
    const job = this.rec.job;
    const parsed = customerSchema.safeParse(job.customer);
    const issues = parsed.success
      ? adapter.requirements(parsed.data)
      : issuesFromZod(parsed.error, '/customer');
    if (!parsed.success || issues.length) {
      await this.rec.fail('validation_failed', `the customer is not valid for ${this.erp}`, {
        details: issues,
      });
      return undefined;
    }
    const conn = await this.deps.connections.get(job.tenantId, job.connectionId);
    if (!conn) {
      this.deps.tokens.dropConnection(job.tenantId, job.connectionId);
      if (await this.deps.refusedInline?.get(job.tenantId, job.connectionId)) {
        await this.rec.fail('auth_failed', `${this.erp} refused the inline credentials of this job before`);
        return undefined;
      }
      await this.rec.fail(
        'connection_not_found',
        `connection ${job.connectionId} does not exist for this tenant`,
      );
      return undefined;
    }
    if (conn.erp !== this.erp) {
      await this.rec.fail(
        'connection_erp_mismatch',
        `connection ${job.connectionId} is for ${conn.erp}, not ${this.erp}`,
      );
      return undefined;
    }
    if (job.environment && conn.environment !== job.environment) {
      // The connection was re-pointed since the job was accepted: never create a sandbox job in production.
      await this.rec.fail(
        'environment_conflict',
        `connection ${job.connectionId} is now ${conn.environment}; the job was accepted for ${job.environment}`,
      );
      return undefined;
    }
    if (conn.status === 'needs_reauth') {
      await this.rec.fail('auth_failed', `connection ${job.connectionId} needs new credentials`, {});
      return undefined;
    }
    const creds = adapter.credentialsSchema.safeParse(conn.credentials);
    if (!creds.success) {
      await this.rec.fail(
        'connection_invalid',
        `stored credentials of ${job.connectionId} do not fit ${this.erp}`,
      );
      return undefined;
    }
    const ctx = adapterContext(adapter, conn, creds.data, job.jobId, {
      http: this.deps.http,
      tokens: this.deps.tokens,
      locks: this.deps.locks,
      blocks: this.deps.pacer,
      connections: this.deps.connections,
      env: this.deps.env,
      redactor: this.redactor,
    });
    this.used = () => ({ ...conn, credentials: ctx.connection.credentials });
    return { customer: parsed.data, conn, ctx };
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
      heldSlotMs: this.rec.job.paceSlotAt ? Date.parse(this.rec.job.paceSlotAt) : undefined,
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
    const saved = await this.rec.save(
      {
        // outcome_unknown keeps its look-up-first duty.
        status: lookupFirst ? 'outcome_unknown' : 'retry_scheduled',
        nextAttemptAt: at,
        paceSlotAt: at,
        attempts: Math.max(0, this.rec.job.attempts - 1),
      },
      { event: 'paced', delayMs, message: gate.reason },
    );
    if (!saved) return 'ack';
    // Whole seconds, rounded down: the message returns just before the slot and the rest is slept inline.
    await this.retryLater(Math.floor(delayMs / 1000));
    return 'retry';
  }

  /** Every adapter call goes through here: its outcome comes back redacted (the one choke point, issue 12 §3). */
  private async timed<T extends CreateOutcome | LookupOutcome>(
    what: string,
    fn: () => Promise<T>,
  ): Promise<T> {
    const started = performance.now();
    try {
      const out = this.redactor.outcome(await fn());
      this.deps.telemetry?.outcome(this.erp, `${what}:${out.kind}`, performance.now() - started);
      return out;
    } catch (e) {
      // An adapter bug must not lose the job: treat it as an unknown outcome (look up before re-creating).
      const error = this.redactor.text((e as Error).message);
      this.deps.log.error('adapter threw', { jobId: this.rec.job.jobId, what, error });
      return {
        kind: 'unknown',
        upstream: { erp: this.erp, code: 'adapter_error', message: error.slice(0, 200) },
      } as T;
    }
  }

  private async afterCreate(
    outcome: CreateOutcome,
    customer: UnifiedCustomer,
    ctx: AdapterContext<unknown>,
  ): Promise<Disposition> {
    if (outcome.kind === 'created') {
      await this.rec.succeed(outcome.erpCustomerId, false);
      return 'ack';
    }
    if (outcome.kind !== 'duplicate') return this.afterFailure(outcome, outcome.kind === 'unknown');
    const found =
      outcome.resolved ?? (await this.timed('lookup', () => this.deps.adapter.lookup(customer, ctx)));
    if (found.kind === 'found' || found.kind === 'conflict') return this.settle(found, outcome.upstream);
    if (found.kind !== 'not_found') return this.afterFailure(found, false);
    await this.rec.fail(
      'duplicate_unresolved',
      `${this.erp} reports a duplicate but the existing customer could not be found`,
      { upstream: outcome.upstream },
      'duplicate',
    );
    return 'ack';
  }

  /**
   * A look-up hit: adopted when the record carries this job's identity; otherwise it is another customer's and
   * the job fails `duplicate_conflict` naming the colliding field and that record, never attached to it.
   */
  private async settle(hit: LookupFound | LookupConflict, upstream?: UpstreamError): Promise<Disposition> {
    if (hit.kind === 'found') {
      await this.rec.succeed(hit.erpCustomerId, true, upstream, hit.provenBy);
      return 'ack';
    }
    await this.rec.fail(
      'duplicate_conflict',
      hit.message,
      {
        details: [{ pointer: hit.pointer, code: 'duplicate_conflict', message: hit.message }],
        existingId: hit.existingId,
        upstream: hit.upstream ?? upstream,
      },
      'conflict',
    );
    return 'ack';
  }

  /** A failed create or look-up. `lookupOwed`: the customer may exist upstream, look up before creating. */
  private async afterFailure(outcome: FailureOutcome, lookupOwed: boolean): Promise<Disposition> {
    const { adapter } = this.deps;
    const job = this.rec.job;
    if (outcome.kind === 'invalid') {
      await this.rec.fail(
        'upstream_rejected',
        `${this.erp} rejected the customer: ${outcome.upstream.message}`.slice(0, 1000),
        { upstream: outcome.upstream, details: outcome.details },
        'invalid',
      );
      return 'ack';
    }
    if (outcome.kind === 'auth') {
      if (outcome.reauthorize && this.used) {
        // Marked needs_reauth; refused inline credentials also leave no secret behind (issue 12 §4).
        await credentialsRefused(
          this.deps,
          this.used(),
          outcome.upstream.message.slice(0, 200),
          this.now(),
        ).catch((e) =>
          this.deps.log.warn('could not mark refused credentials', {
            jobId: job.jobId,
            error: (e as Error).name,
          }),
        );
      }
      await this.rec.fail(
        'auth_failed',
        `${this.erp} did not accept the connection's credentials`,
        { upstream: outcome.upstream },
        'auth',
      );
      return 'ack';
    }
    // rate_limited, transient, unknown: retry later, or give up when attempts are spent.
    if (job.attempts >= job.maxAttempts) {
      await this.rec.deadLetter(outcome, this.msg, this.raw);
      return 'ack';
    }
    const status: JobStatus =
      lookupOwed || job.status === 'outcome_unknown' ? 'outcome_unknown' : 'retry_scheduled';
    const delayMs = backoffDelayMs(
      job.attempts,
      {
        baseDelayMs: adapter.worker.baseDelayMs,
        maxDelayMs: adapter.worker.maxDelayMs,
        hintMs: outcome.retryAfterMs,
      },
      this.deps.random,
    );
    if (!(await this.rec.scheduleRetry(outcome, status, delayMs))) return 'ack';
    await this.retryLater(delayMs / 1000);
    return 'retry';
  }

  /** The message comes back after `seconds`; if moving it fails it still comes back after its visibility timeout. */
  private async retryLater(seconds: number): Promise<void> {
    await this.deps.control.retryLater(this.msg.receiptHandle, seconds).catch((e) => {
      this.deps.log.warn('could not change message visibility', {
        jobId: this.rec.job.jobId,
        error: (e as Error).message,
      });
    });
  }
}
