import type { ApiDeps } from '../api/deps';
import { type ApiRequest, type ApiResponse, json } from '../api/http';
import { type Job, publicJob } from '../jobs/model';
import type { WaitPreference } from './prefer';
import { retryAfterSeconds, waitForFinalJob } from './wait';

/** The moment a waited request must answer by: the asked wait, and never past the Lambda's own deadline. */
export function waitDeadline(req: ApiRequest, prefer: WaitPreference, nowMs: number): number {
  const asked = nowMs + prefer.waitSeconds * 1000;
  return req.deadlineMs !== undefined ? Math.min(asked, req.deadlineMs) : asked;
}

/**
 * The answer to an accepted create (RFC 7240). Without `wait`: `accepted(job)` (202) at once. With it: the job is
 * read with backoff until final or the deadline; `201` with the succeeded job (its `erpCustomerId`), `200` with a
 * failed or dead-lettered one (its normalized `error`; the request itself succeeded), else the usual 202 for the job
 * as it is now, with `Retry-After`. `Preference-Applied` says what was honoured.
 */
export async function answerAccepted(
  req: ApiRequest,
  job: Job,
  prefer: WaitPreference,
  deps: Pick<ApiDeps, 'jobs'>,
  accepted: (job: Job, headers: Record<string, string>) => ApiResponse,
  headers: Record<string, string>,
): Promise<ApiResponse> {
  const applied: Record<string, string> = prefer.applied
    ? { 'preference-applied': prefer.applied, vary: 'Prefer' }
    : {};
  if (prefer.waitSeconds === 0) return accepted(job, { ...headers, ...applied });
  const waited = await waitForFinalJob(job, waitDeadline(req, prefer, Date.now()), deps);
  const out = waited.job;
  if (waited.final) {
    return json(out.status === 'succeeded' ? 201 : 200, publicJob(out), {
      location: `/v1/jobs/${out.jobId}`,
      ...headers,
      ...applied,
    });
  }
  return accepted(out, {
    ...headers,
    ...applied,
    'retry-after': String(retryAfterSeconds(out, Date.now())),
  });
}

/** GET /v1/jobs/{jobId}?wait=N: the job once final, or as it is when the wait ends (`Retry-After` then). */
export async function answerJob(
  req: ApiRequest,
  job: Job,
  prefer: WaitPreference | undefined,
  deps: Pick<ApiDeps, 'jobs'>,
): Promise<ApiResponse> {
  if (!prefer) return json(200, publicJob(job));
  const waited = await waitForFinalJob(job, waitDeadline(req, prefer, Date.now()), deps);
  return json(200, publicJob(waited.job), {
    ...(prefer.applied ? { 'preference-applied': prefer.applied } : {}),
    ...(waited.final ? {} : { 'retry-after': String(retryAfterSeconds(waited.job, Date.now())) }),
  });
}
