import type { Batch, BatchItem, FinalJobStatus } from './model';

/** The header fields written when a batch is accepted (the `final` sets are kept by the workers). */
export type NewBatch = Omit<Batch, 'final' | 'finishedAt'>;

/** Port: where batches live (the jobs table on AWS: `T#<tenant>` / `BATCH#<id>` and its items). */
export interface BatchStore {
  /** The batch, or undefined when none was accepted under that id. */
  get(tenantId: string, batchId: string): Promise<Batch | undefined>;
  /** Writes the items (idempotent: a retried batch writes the same items). */
  putItems(tenantId: string, batchId: string, items: BatchItem[]): Promise<void>;
  /**
   * Writes the header unless one with another request hash exists (then `conflict`). Returns the batch with
   * whatever final states workers recorded meanwhile.
   */
  record(batch: NewBatch): Promise<{ kind: 'ok'; batch: Batch } | { kind: 'conflict'; batch: Batch }>;
  /** Items in request order, `limit` at a time from `after` (an index). */
  listItems(
    tenantId: string,
    batchId: string,
    opts: { limit: number; after?: number },
  ): Promise<{ items: BatchItem[]; last?: number }>;
  /**
   * Records item `index`'s job as final in `status` (idempotent: a set union; it leaves the other statuses' sets).
   * Returns the header as it is after the write.
   */
  markFinal(
    tenantId: string,
    batchId: string,
    index: number,
    status: FinalJobStatus,
  ): Promise<Batch | undefined>;
  /**
   * Claims the sending of `batch.finished` until `untilMs` (epoch ms): true for one writer while no other holds an
   * unexpired claim and the batch is not finished. A writer that stops holding it lets the claim lapse.
   */
  claimFinish(tenantId: string, batchId: string, nowMs: number, untilMs: number): Promise<boolean>;
  /** Drops a claim this writer holds (its send failed), so the next hook sends at once. */
  releaseFinish(tenantId: string, batchId: string, untilMs: number): Promise<void>;
  /** Marks `batch.finished` as sent; false when another writer already did. */
  markFinished(tenantId: string, batchId: string, at: string): Promise<boolean>;
}
