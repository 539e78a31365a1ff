import * as z from 'zod';
import type { Environment, ErpId, FieldWarning } from '../erps/types';
import type { Issue } from '../errors';
import type { JobStatus } from '../jobs/model';

/** POST /v1/customers/batch limits (issue 16 §3): items per batch and body bytes. */
export const MAX_BATCH_ITEMS = 500;
export const MAX_BATCH_BYTES = 5 * 1024 * 1024;

/** Printable ASCII without spaces, like an Idempotency-Key: a derived key `<batch key> <itemId>` stays unambiguous. */
export const batchItemIdSchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,100}$/, 'itemId is 1-100 printable ASCII characters without spaces');

export const batchBodySchema = z.strictObject({
  items: z
    .array(
      z.strictObject({
        // Checked per item (a bad itemId rejects that item only); bounded here so an answer never echoes megabytes.
        itemId: z.string().max(1000).meta({
          description:
            'your id for the item (a row number, a CRM id): 1-100 printable ASCII characters without spaces, unique in the batch; an item with another itemId is rejected on its own',
        }),
        idempotencyKey: z
          .string()
          .regex(/^[\x21-\x7e]{1,255}$/, 'idempotencyKey is 1-255 printable ASCII characters')
          .optional()
          .meta({
            description:
              "this item's own key (the same namespace as Idempotency-Key on createCustomer); absent: derived from the batch's Idempotency-Key and itemId",
          }),
        // Checked per item, so one bad customer rejects that item only.
        customer: z.unknown().meta({ description: 'the unified customer (UnifiedCustomer)' }),
      }),
    )
    .min(1)
    .max(MAX_BATCH_ITEMS),
});
export type BatchBody = z.infer<typeof batchBodySchema>;

/** An item's error: the envelope's fields, per item. */
export interface BatchItemError {
  code: string;
  message: string;
  retryable: boolean;
  details?: Issue[];
}

/** One item as accepted or rejected; `index` is its position in the request. */
export interface BatchItem {
  index: number;
  itemId: string;
  status: 'queued' | 'rejected';
  jobId?: string;
  error?: BatchItemError;
  warnings?: FieldWarning[];
}

export type FinalJobStatus = Extract<JobStatus, 'succeeded' | 'failed' | 'dead_lettered'>;
export const FINAL_JOB_STATUSES: readonly FinalJobStatus[] = ['succeeded', 'failed', 'dead_lettered'];

/** The batch's header: what was asked and accepted, and which accepted items are final (by index). */
export interface Batch {
  batchId: string;
  tenantId: string;
  erp: ErpId;
  connectionId: string;
  environment: Environment;
  requestHash: string;
  idempotencyKey?: string;
  callbackUrl?: string;
  total: number;
  accepted: number;
  rejected: number;
  createdAt: string;
  /** Item indexes whose job is final, per final status (a retried job moves from one to another). */
  final: Record<FinalJobStatus, number[]>;
  /** When `batch.finished` was queued (every accepted item final). */
  finishedAt?: string;
}

export function batchCounts(b: Batch) {
  const done = FINAL_JOB_STATUSES.reduce((n, s) => n + b.final[s].length, 0);
  return {
    items: b.total,
    accepted: b.accepted,
    rejected: b.rejected,
    succeeded: b.final.succeeded.length,
    failed: b.final.failed.length,
    dead_lettered: b.final.dead_lettered.length,
    pending: Math.max(0, b.accepted - done),
  };
}

export const isBatchComplete = (b: Batch) => batchCounts(b).pending === 0;

/** The batch as GET /v1/batches/{batchId} and `batch.finished` show it (without items). */
export function publicBatch(b: Batch) {
  return {
    batchId: b.batchId,
    erp: b.erp,
    connectionId: b.connectionId,
    environment: b.environment,
    idempotencyKey: b.idempotencyKey,
    createdAt: b.createdAt,
    finishedAt: b.finishedAt,
    counts: batchCounts(b),
    links: { self: `/v1/batches/${b.batchId}` },
  };
}

/** Where an item stands now: rejected, or its job's final status, else `pending` (queued or running). */
export function itemJobStatus(b: Batch, index: number): FinalJobStatus | 'pending' {
  return FINAL_JOB_STATUSES.find((s) => b.final[s].includes(index)) ?? 'pending';
}
