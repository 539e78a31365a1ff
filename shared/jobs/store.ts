import type { ErpId } from '../erps/types';
import type { Job, JobStatus } from './model';

export interface ListJobsQuery {
  status?: JobStatus;
  erp?: ErpId;
  limit: number;
  cursor?: string;
}

export type ClaimResult =
  | {
      kind: 'claimed';
      job: Job;
      /** the previous holder may have sent a create: look up first */
      lookupFirst: boolean;
      /** taken over from a worker whose lease ran out (it crashed or timed out mid-attempt) */
      tookOver: boolean;
    }
  | { kind: 'missing' }
  | { kind: 'final'; job: Job }
  | { kind: 'busy'; job: Job }
  | { kind: 'not_due'; job: Job }
  /** The job belongs to another ERP than the claimer's (`opts.erp`): not touched. */
  | { kind: 'other_erp'; job: Job };

/** A non-final job as the sweeper's index knows it: where to read it, and when it was due. */
export interface DueJob {
  tenantId: string;
  jobId: string;
  dueAt: string;
}

/** Fields a transition may set; `undefined` removes the attribute. */
export type JobPatch = Partial<Omit<Job, 'jobId' | 'tenantId' | 'createdAt'>>;

/** Port: where jobs live (DynamoDB on AWS and in the local stack). Every write that matters is conditional. */
export interface JobStore {
  /** Records a new job unless one with that id exists; then returns the existing one. */
  create(job: Job): Promise<{ created: true; job: Job } | { created: false; job: Job }>;
  get(tenantId: string, jobId: string): Promise<Job | undefined>;
  list(tenantId: string, query: ListJobsQuery): Promise<{ items: Job[]; nextCursor?: string }>;
  /**
   * Takes the job for one attempt: from a claimable state, or from `in_progress` whose lease has run out; with
   * `erp`, only a job of that ERP. One conditional write that returns the job as it was: the worker's first
   * (and, for a job it can run, only) read of it.
   */
  claim(
    tenantId: string,
    jobId: string,
    opts: { now: Date; leaseMs: number; leaseToken: string; erp?: ErpId },
  ): Promise<ClaimResult>;
  /**
   * Applies a patch if the job is still as the caller last saw it: in `current.status` (or one of
   * `expectStatus`), when given still held under `leaseToken`, and when given not updated since
   * `expectUpdatedAt`. Returns the new job, or undefined when someone else changed it first.
   */
  update(
    current: Job,
    patch: JobPatch,
    opts?: { leaseToken?: string; expectStatus?: readonly JobStatus[]; expectUpdatedAt?: string },
  ): Promise<Job | undefined>;
  /**
   * Jobs of one ERP that are not final and whose sweep time (see jobs/stuck.ts `sweepAt`) is before
   * `dueBefore`. From an eventually consistent index: read the job before acting on it.
   */
  listDue(erp: ErpId, dueBefore: Date, limit: number): Promise<DueJob[]>;
  /**
   * Unfinished jobs of `erp` whose first send is unconfirmed (jobs/stuck.ts) and was made before `sentBefore`.
   * Absent: the sweeper cannot look for lost first sends.
   */
  listUnconfirmed?(erp: ErpId, sentBefore: Date, limit: number): Promise<DueJob[]>;
}
