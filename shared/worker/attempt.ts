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
import { sentNow } from '../jobs/stuck';
import { type GateResult, INLINE_WAIT_MAX_MS, passGate, takeTurn } from '../pacing/gate';
import { effectiveLimits, type PaceLimits, paceKey } from '../pacing/limits';
import { comeBackAt } from './come-back';
import { type Disposition, type ReceivedMessage, type WorkerDeps, withJobId } from './deps';
import type { JobRecorder } from './recorder';
import { attemptsSpent, type RetryableOutcome, rateLimitBudgetSpent, retryDelayMs } from './retry-policy';

type Wait = Extract<GateResult, { kind: 'wait' }>;

/**
 * One claimed attempt at a job: re-validate, resolve the connection, take a turn at the ERP's limits, look up
 * (when owed) and create, then classify what came back. Results are written through the recorder.
 */
export class Attempt {
  private readonly erp: string;
  /** The job's connection, once resolved. */
  private conn?: StoredConnection;
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
    this.conn = conn;

    // The ERP's token first, then the turn: a slow token refresh must not sit between a slot and its request.
    await adapter.authenticate?.(ctx).catch(() => undefined);
    const gate = await this.pace(conn, customer, lookupFirst);
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
      apps: this.deps.apps,
      redactor: this.redactor,
    });
    this.used = () => ({ ...conn, credentials: ctx.connection.credentials });
    return { customer: parsed.data, conn, ctx };
  }

  /** The connection's pacing bucket and limits (DynamoDB-shared across workers); undefined without a pacer. */
  private pacing(conn: StoredConnection): { key: string; limits: PaceLimits } | undefined {
    if (!this.deps.pacer) return undefined;
    return {
      key: paceKey(this.erp, conn.tenantId, conn.connectionId),
      limits: effectiveLimits(this.deps.adapter.capabilities.rateLimit, conn.environment, conn.limits),
    };
  }

  /**
   * Takes this attempt's turn at the connection's limits: one slot per upstream request it plans (a look-up
   * first, then the create's own requests), and a concurrency slot held for the whole attempt.
   */
  private pace(conn: StoredConnection, customer: UnifiedCustomer, lookupFirst: boolean): Promise<GateResult> {
    const { pacer, adapter } = this.deps;
    const p = this.pacing(conn);
    if (!pacer || !p) return Promise.resolve({ kind: 'go' });
    return passGate({
      pacer,
      ...p,
      cost: (lookupFirst ? 1 : 0) + (adapter.createRequests?.(customer) ?? 1),
      heldSlotMs: this.rec.job.paceSlotAt ? Date.parse(this.rec.job.paceSlotAt) : undefined,
      leaseTtlMs: this.deps.leaseMs,
      now: () => this.now().getTime(),
    });
  }

  /**
   * A request the attempt did not plan for (the look-up after a duplicate) takes its own turn at the rate;
   * the concurrency slot is held already.
   */
  private paceOneMore(): Promise<{ kind: 'go' } | Wait> {
    const p = this.conn && this.pacing(this.conn);
    if (!this.deps.pacer || !p) return Promise.resolve({ kind: 'go' });
    return takeTurn({ pacer: this.deps.pacer, ...p, cost: 1, now: () => this.now().getTime() });
  }

  /**
   * Not our turn yet: the job waits in the queue (a delayed copy of its message), not in this Lambda. Waiting
   * is not an attempt, so it is refunded and numbered in no history entry. A reserved rate slot stays on the
   * job so the next delivery does not reserve again (a wait for a concurrent slot holds none); the job may be
   * claimed up to INLINE_WAIT_MAX_MS before it (the rest is slept inline), so the copy never arrives after the
   * slot has gone by.
   */
  private async waitForSlot(gate: Wait, lookupFirst: boolean): Promise<Disposition> {
    const claimAt = Math.max(this.now().getTime(), gate.untilMs - INLINE_WAIT_MAX_MS);
    const saved = await this.rec.save(
      {
        // outcome_unknown keeps its look-up-first duty.
        status: lookupFirst ? 'outcome_unknown' : 'retry_scheduled',
        nextAttemptAt: new Date(claimAt).toISOString(),
        // A wait for a concurrent slot holds no rate slot: the next delivery takes its turn anew.
        paceSlotAt: gate.slotHeld ? new Date(gate.untilMs).toISOString() : undefined,
        attempts: Math.max(0, this.rec.job.attempts - 1),
        messageSentAt: sentNow(this.rec.job, this.now()),
      },
      {
        event: 'paced',
        attempt: undefined,
        delayMs: Math.max(0, gate.untilMs - this.now().getTime()),
        message: gate.reason,
      },
    );
    if (!saved) return 'ack';
    return this.comeBack(claimAt);
  }

  /** The job's message comes back at `untilMs` without spending a receive (see come-back.ts). */
  private comeBack(untilMs: number): Promise<Disposition> {
    const body = withJobId(this.msg.body, this.raw, this.rec.job.jobId);
    return comeBackAt(untilMs, this.msg, body, this.rec.job.tenantId, this.deps, this.now);
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
    let found: LookupOutcome | undefined = outcome.resolved;
    if (!found) {
      const turn = await this.paceOneMore();
      if (turn.kind === 'wait') return this.lookUpLater(turn, outcome.upstream.message);
      found = await this.timed('lookup', () => this.deps.adapter.lookup(customer, ctx));
    }
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
   * The ERP reported a duplicate and the look-up that finds it must wait for a slot: the job comes back as
   * `outcome_unknown` (look up first) at that slot, which it keeps.
   */
  private async lookUpLater(turn: Wait, upstreamMessage: string): Promise<Disposition> {
    const claimAt = Math.max(this.now().getTime(), turn.untilMs - INLINE_WAIT_MAX_MS);
    const saved = await this.rec.save(
      {
        status: 'outcome_unknown',
        nextAttemptAt: new Date(claimAt).toISOString(),
        paceSlotAt: turn.slotHeld ? new Date(turn.untilMs).toISOString() : undefined,
        messageSentAt: sentNow(this.rec.job, this.now()),
      },
      {
        event: 'paced',
        outcome: 'duplicate',
        delayMs: Math.max(0, turn.untilMs - this.now().getTime()),
        message: `duplicate (${upstreamMessage.slice(0, 200)}); the look-up is ${turn.reason}`,
      },
    );
    if (!saved) return 'ack';
    return this.comeBack(claimAt);
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
    const status: JobStatus =
      lookupOwed || job.status === 'outcome_unknown' ? 'outcome_unknown' : 'retry_scheduled';
    if (outcome.kind === 'rate_limited') return this.waitOutRateLimit(outcome, status);
    // transient, unknown: retry later, or give up when the attempts are spent.
    if (attemptsSpent(job)) {
      await this.rec.deadLetter(outcome, this.msg, this.raw);
      return 'ack';
    }
    const delayMs = retryDelayMs(job, outcome, this.timing());
    if (!(await this.rec.scheduleRetry(outcome, status, delayMs))) return 'ack';
    return this.comeBack(this.now().getTime() + delayMs);
  }

  /**
   * Rate limiting is not failure: the attempt is traced and counted in `rateLimited`, not against
   * `maxAttempts`, and the job waits at least as long as the ERP said — as does every other job of the
   * connection (the hint is kept in the shared pacing state). Bounded by RATE_LIMIT_BUDGET_MS from the first
   * rate-limit answer.
   */
  private async waitOutRateLimit(
    outcome: Extract<RetryableOutcome, { kind: 'rate_limited' }>,
    status: JobStatus,
  ): Promise<Disposition> {
    const job = this.rec.job;
    const now = this.now();
    if (rateLimitBudgetSpent(job, now)) {
      await this.rec.deadLetter(
        outcome,
        this.msg,
        this.raw,
        `still rate limited after ${job.attempts} attempts`,
      );
      return 'ack';
    }
    const hint = outcome.retryAfterMs;
    const p = this.conn && this.pacing(this.conn);
    if (hint && p && this.deps.pacer) {
      await this.deps.pacer.holdUntil(p.key, now.getTime() + hint).catch((e) => {
        this.deps.log.warn('could not record the rate limit in the pacing state', {
          error: (e as Error).message,
        });
      });
    }
    const delayMs = retryDelayMs(job, outcome, this.timing());
    const saved = await this.rec.scheduleRetry(outcome, status, delayMs, {
      rateLimited: (job.rateLimited ?? 0) + 1,
      rateLimitedSince: job.rateLimitedSince ?? now.toISOString(),
    });
    if (!saved) return 'ack';
    return this.comeBack(now.getTime() + delayMs);
  }

  private timing() {
    return {
      settings: this.deps.adapter.worker,
      capMs: this.deps.backoffCapMs,
      random: this.deps.random,
    };
  }
}
