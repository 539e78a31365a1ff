import { connectionIdSchema } from '../connections/connection-id';
import { customerSchema, type UnifiedCustomer } from '../customer/schema';
import type { Environment } from '../erps/types';
import { type Issue, issuesFromZod } from '../errors';
import { jobIdForIdempotencyKey, jobIdForMessage, stableHash } from '../jobs/ids';
import { type Job, type JobError, reopenPatch } from '../jobs/model';
import { type JobMessage, jobMessageSchema } from '../queue/message';
import { announce, type Disposition, type ReceivedMessage, type WorkerDeps, withJobId } from './deps';

/** What intake made of a message: a job to claim (and its message), or nothing more to do with it. */
export type Intake =
  | { kind: 'message'; message: JobMessage; jobId: string; raw: unknown }
  | { kind: 'done'; disposition: Disposition };

/**
 * Message intake, before any read: parses and validates the message (a producer outside the API may send
 * anything) and names its job. An invalid message becomes a `failed` job and goes to the DLQ; it is never dropped.
 */
export async function parseMessage(msg: ReceivedMessage, deps: WorkerDeps, now: () => Date): Promise<Intake> {
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
    return { kind: 'done', disposition: 'ack' };
  }
  const message = parsed.data;
  const jobId =
    message.jobId ??
    (message.idempotencyKey
      ? jobIdForIdempotencyKey(message.tenantId, message.idempotencyKey)
      : jobIdForMessage(msg.messageId));
  return { kind: 'message', message, jobId, raw };
}

/**
 * An outside producer's message: its job is recorded as the API would, unless it exists. Returns false when there
 * is nothing to claim: the customer is not valid, the new job is `failed` and the message in the DLQ.
 */
export async function createForProducer(
  msg: ReceivedMessage,
  message: JobMessage,
  jobId: string,
  raw: unknown,
  deps: WorkerDeps,
  now: () => Date,
): Promise<boolean> {
  const created = await createFromMessage(message, jobId, deps, now());
  const job = created.job;
  // Recorded before (a redelivery): the claim decides what the message does.
  if (!created.created) return true;
  if (created.invalid && job.status === 'failed') {
    deps.telemetry?.job(deps.adapter.id, 'failed');
    if (created.created) await announce(job, deps);
    await deps.control.deadLetter(withJobId(msg.body, raw, jobId), 'invalid_message');
    return false;
  }
  return true;
}

/**
 * A redriven message for a `dead_lettered` or `failed` job: the job is re-opened (true: claim it again), unless
 * its customer is still invalid — then the message goes back to the DLQ under its own code, the job untouched.
 */
export async function reopenRedriven(
  msg: ReceivedMessage,
  job: Job,
  raw: unknown,
  deps: WorkerDeps,
  now: () => Date,
): Promise<boolean> {
  if (!msg.redriven || (job.status !== 'dead_lettered' && job.status !== 'failed')) return false;
  if (customerIssues(job.customer, deps).issues.length) {
    const code = job.error?.code === 'invalid_message' ? 'invalid_message' : 'validation_failed';
    deps.log.warn('redriven message still invalid, back to the DLQ', { jobId: job.jobId, code });
    await deps.control.deadLetter(withJobId(msg.body, raw, job.jobId), code);
    return false;
  }
  return (await deps.jobs.update(job, reopenPatch(job, 'redriven', 'redrive', now()))) !== undefined;
}

/** A message on the wrong ERP's queue: its job (another ERP's) is not touched; the message goes to the DLQ. */
export async function refuseWrongQueue(
  msg: ReceivedMessage,
  job: Job,
  raw: unknown,
  deps: WorkerDeps,
): Promise<void> {
  deps.log.warn('message on the wrong ERP queue', {
    jobId: job.jobId,
    jobErp: job.erp,
    queueErp: deps.adapter.id,
  });
  await deps.control.deadLetter(withJobId(msg.body, raw, job.jobId), 'wrong_queue');
}

/**
 * The environment a job of this connection runs in: the connection's own (a production connection creates
 * production customers, whatever path made the job), or undefined when no stored connection decides it.
 */
async function environmentOf(
  deps: WorkerDeps,
  tenantId: string,
  connectionId: unknown,
): Promise<Environment | undefined> {
  if (!connectionIdSchema.safeParse(connectionId).success) return undefined;
  const meta = await deps.connections.getMetadata(tenantId, connectionId as string);
  return meta?.environment;
}

/** The unified schema, then the ERP's requirements: what makes a customer valid for this worker's ERP. */
function customerIssues(raw: unknown, deps: WorkerDeps) {
  const customer = customerSchema.safeParse(raw);
  const issues = customer.success
    ? deps.adapter.requirements(customer.data)
    : issuesFromZod(customer.error, '/customer');
  return { customer, issues };
}

/** An outside producer's first message: the job is recorded as the API would, `failed` when the customer is not valid. */
async function createFromMessage(message: JobMessage, jobId: string, deps: WorkerDeps, at: Date) {
  const erp = deps.adapter.id;
  const environment = await environmentOf(deps, message.tenantId, message.connectionId);
  const { customer, issues } = customerIssues(message.customer, deps);
  const t = at.toISOString();
  const status = issues.length ? 'failed' : 'queued';
  const fresh: Job = {
    jobId,
    tenantId: message.tenantId,
    erp,
    connectionId: message.connectionId,
    ...(environment ? { environment } : {}),
    status,
    customer: (customer.success ? customer.data : message.customer) as UnifiedCustomer,
    // Normalized when valid, as the API hashes it: one text, one form.
    requestHash: stableHash({
      erp,
      connectionId: message.connectionId,
      customer: customer.success ? customer.data : message.customer,
    }),
    idempotencyKey: message.idempotencyKey,
    callbackUrl: message.callbackUrl,
    source: 'queue',
    attempts: 0,
    maxAttempts: deps.adapter.worker.maxAttempts,
    history: [{ at: t, event: 'accepted_from_queue', status }],
    // No 202 to carry them: a queue producer finds the fields the ERP cannot hold on the job (and its webhook).
    ...warningsFor(deps, customer.success && !issues.length ? customer.data : undefined),
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
  return { ...created, invalid: issues.length > 0 };
}

function warningsFor(deps: WorkerDeps, customer: UnifiedCustomer | undefined) {
  const warnings = customer ? (deps.adapter.warnings?.(customer) ?? []) : [];
  return warnings.length ? { warnings } : {};
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
  // A known connection still tells the truth about where the job would have run; a lookup that fails must
  // not keep the bad message from being recorded and dead-lettered.
  const environment = tenantOk
    ? await environmentOf(deps, tenantId, r.connectionId).catch(() => undefined)
    : undefined;
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
    ...(environment ? { environment } : {}),
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
