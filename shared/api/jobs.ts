import * as z from 'zod';
import { parsePrefer, waitQueryPreference, waitQueryValue } from '../answers/prefer';
import { answerJob } from '../answers/respond';
import { customerSchema } from '../customer/schema';
import { ERP_IDS } from '../erps/types';
import { ApiError, issuesFromZod, validationFailed } from '../errors';
import { InvalidCursorError } from '../jobs/dynamo-store';
import { JOB_STATUSES, publicJob, reopenPatch } from '../jobs/model';
import type { ApiDeps } from './deps';
import { type ApiRequest, type ApiResponse, json, notFound } from './http';
import { parseQuery } from './query';

export const jobIdSchema = z.uuid();
export const jobStatusSchema = z.enum(JOB_STATUSES);

export const listJobsQuery = z.strictObject({
  status: jobStatusSchema.optional(),
  // Case-insensitive, as x-erp is (?erp=Siigo).
  erp: z.preprocess((v) => (typeof v === 'string' ? v.toLowerCase() : v), z.enum(ERP_IDS)).optional(),
  cursor: z.string().max(2000).optional(),
  // Decimal digits only: Number() would also read "0x10", "1e2" and " 10" (those stay text, and fail).
  limit: z
    .preprocess(
      (v) => (typeof v === 'string' && /^\d{1,3}$/.test(v) ? Number(v) : v),
      z.number().int().min(1).max(100),
    )
    .default(25),
});

export const getJobQuery = z.strictObject({ wait: waitQueryValue.optional() });

/** GET /v1/jobs/{jobId}[?wait=N]: with `wait` (or `Prefer: wait=N`) the answer comes when the job is final. */
export async function getJob(
  req: ApiRequest,
  jobId: string,
  tenantId: string,
  deps: ApiDeps,
): Promise<ApiResponse> {
  const { wait } = parseQuery(req, getJobQuery);
  const prefer = wait !== undefined ? waitQueryPreference(wait) : waitFromHeader(req);
  // Another tenant's job lives under another partition key: it is simply not found.
  const job = jobIdSchema.safeParse(jobId).success ? await deps.jobs.get(tenantId, jobId) : undefined;
  if (!job) throw notFound(`job ${jobId.slice(0, 64)}`);
  return answerJob(req, job, prefer, deps);
}

function waitFromHeader(req: ApiRequest) {
  const p = parsePrefer(req.headers.prefer);
  return p.waitSeconds > 0 ? p : undefined;
}

export async function listJobs(req: ApiRequest, tenantId: string, deps: ApiDeps): Promise<ApiResponse> {
  const q = parseQuery(req, listJobsQuery);
  try {
    const page = await deps.jobs.list(tenantId, q);
    return json(200, { items: page.items.map(publicJob), nextCursor: page.nextCursor ?? null });
  } catch (e) {
    if (e instanceof InvalidCursorError) {
      const message = 'not a cursor this listing gave you; start again without one';
      throw new ApiError(422, 'invalid_cursor', `the cursor is not valid: ${message}`, {
        details: [{ pointer: '/query/cursor', code: 'invalid_cursor', message }],
      });
    }
    throw e;
  }
}

/**
 * POST /v1/jobs/{id}/retry: a failed or dead-lettered job runs again under the same id. It is re-validated
 * first, and if any earlier attempt may have reached the ERP it is re-queued as `outcome_unknown`, so the
 * worker looks the customer up (reconciles) before it creates anything.
 */
export async function retryJob(jobId: string, tenantId: string, deps: ApiDeps): Promise<ApiResponse> {
  const job = jobIdSchema.safeParse(jobId).success ? await deps.jobs.get(tenantId, jobId) : undefined;
  if (!job) throw notFound(`job ${jobId.slice(0, 64)}`);
  if (job.status !== 'failed' && job.status !== 'dead_lettered') {
    throw new ApiError(
      409,
      'job_not_retryable',
      `job is ${job.status}; only failed or dead_lettered jobs can be retried`,
    );
  }
  const adapter = deps.adapters.get(job.erp);
  const parsed = customerSchema.safeParse(job.customer);
  const issues = !parsed.success ? issuesFromZod(parsed.error) : (adapter?.requirements(parsed.data) ?? []);
  if (issues.length)
    throw validationFailed(issues, "the job's customer is not valid; send a new request instead");
  const conn = await deps.connections.getMetadata(tenantId, job.connectionId);
  if (!conn)
    throw new ApiError(409, 'connection_not_found', `connection ${job.connectionId} no longer exists`);
  if (conn.status === 'needs_reauth') {
    throw new ApiError(
      409,
      'connection_needs_reauth',
      `connection ${job.connectionId} needs new credentials first`,
    );
  }
  const updated = await deps.jobs.update(job, {
    ...reopenPatch(job, 'retry_requested', 'api', deps.now?.() ?? new Date()),
    enqueuedAt: undefined,
  });
  if (!updated)
    throw new ApiError(409, 'job_changed', 'the job changed while retrying; read it and try again');
  await deps.queue.send(job.erp, {
    version: 1,
    jobId: job.jobId,
    tenantId,
    connectionId: job.connectionId,
    customer: job.customer as unknown as Record<string, unknown>,
  });
  const enqueued = (await deps.jobs.update(updated, { enqueuedAt: new Date().toISOString() })) ?? updated;
  return json(202, publicJob(enqueued));
}
