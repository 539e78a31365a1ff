import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { JOB_RETENTION_DAYS } from '../jobs/dynamo-store';
import { type Batch, type BatchItem, FINAL_JOB_STATUSES, type FinalJobStatus } from './model';
import type { BatchStore, NewBatch } from './store';

const pk = (tenantId: string) => `T#${tenantId}`;
const headerSk = (batchId: string) => `BATCH#${batchId}`;
const itemSk = (batchId: string, index: number) => `BATCH#${batchId}#I#${String(index).padStart(5, '0')}`;
/** DynamoDB number sets cannot be empty: each final status is its own set attribute, absent when empty. */
const SET_ATTR: Record<FinalJobStatus, string> = {
  succeeded: 'finalSucceeded',
  failed: 'finalFailed',
  dead_lettered: 'finalDeadLettered',
};
const HEADER_FIELDS = [
  'batchId',
  'tenantId',
  'erp',
  'connectionId',
  'environment',
  'requestHash',
  'idempotencyKey',
  'callbackUrl',
  'total',
  'accepted',
  'rejected',
  'createdAt',
] as const;

const ttlOf = (createdAt: string) => Math.floor(Date.parse(createdAt) / 1000) + JOB_RETENTION_DAYS * 86_400;

function toBatch(item: Record<string, unknown> | undefined): Batch | undefined {
  // A header a worker touched before the API wrote it holds only final sets: not a batch yet.
  if (!item || typeof item.total !== 'number') return undefined;
  const final = Object.fromEntries(
    FINAL_JOB_STATUSES.map((s) => [
      s,
      [...((item[SET_ATTR[s]] as Set<number> | undefined) ?? [])].map(Number),
    ]),
  ) as Batch['final'];
  const out: Record<string, unknown> = { final };
  for (const f of HEADER_FIELDS) if (item[f] !== undefined) out[f] = item[f];
  if (item.finishedAt !== undefined) out.finishedAt = item.finishedAt;
  return out as unknown as Batch;
}

/**
 * BatchStore on the jobs table, in the tenant's partition: a header `BATCH#<id>` and one item per request item
 * `BATCH#<id>#I#<index>` (so they page in request order). Final states are number sets of item indexes, one per
 * final status: ADD/DELETE on a set is idempotent, so a repeated or replayed finished-hook never counts twice.
 */
export class DynamoBatchStore implements BatchStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(tenantId: string, batchId: string) {
    const r = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: pk(tenantId), sk: headerSk(batchId) },
        ConsistentRead: true,
      }),
    );
    return toBatch(r.Item);
  }

  async putItems(tenantId: string, batchId: string, items: BatchItem[]) {
    const ttl = Math.floor(Date.now() / 1000) + JOB_RETENTION_DAYS * 86_400;
    const requests = items.map((it) => ({
      PutRequest: {
        Item: {
          pk: pk(tenantId),
          sk: itemSk(batchId, it.index),
          // As JSON text: errors and warnings are free-form (empty strings, deep details).
          data: JSON.stringify(it),
          ttl,
        },
      },
    }));
    for (let i = 0; i < requests.length; i += 25) {
      let pending: Record<string, unknown[]> = { [this.table]: requests.slice(i, i + 25) };
      for (let round = 0; Object.keys(pending).length && round < 8; round++) {
        if (round) await new Promise((r) => setTimeout(r, 50 * 2 ** round));
        const r = await this.db.send(new BatchWriteCommand({ RequestItems: pending as never }));
        pending = (r.UnprocessedItems ?? {}) as Record<string, unknown[]>;
      }
      if (Object.keys(pending).length) throw new Error('DynamoDB left batch items unprocessed');
    }
  }

  async record(batch: NewBatch) {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':ttl': ttlOf(batch.createdAt) };
    const sets = ['#ttl = :ttl'];
    names['#ttl'] = 'ttl';
    for (const f of HEADER_FIELDS) {
      if (batch[f] === undefined) continue;
      names[`#${f}`] = f;
      values[`:${f}`] = batch[f];
      sets.push(`#${f} = :${f}`);
    }
    try {
      const r = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: pk(batch.tenantId), sk: headerSk(batch.batchId) },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: 'attribute_not_exists(#requestHash) OR #requestHash = :requestHash',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { kind: 'ok' as const, batch: toBatch(r.Attributes) as Batch };
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
      const existing = await this.get(batch.tenantId, batch.batchId);
      if (!existing) throw e;
      return { kind: 'conflict' as const, batch: existing };
    }
  }

  async listItems(tenantId: string, batchId: string, opts: { limit: number; after?: number }) {
    const r = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': pk(tenantId),
          ':from': itemSk(batchId, (opts.after ?? -1) + 1),
          ':to': itemSk(batchId, 99_999),
        },
        Limit: opts.limit,
        ConsistentRead: true,
      }),
    );
    const items = (r.Items ?? []).map((i) => JSON.parse(String(i.data)) as BatchItem);
    return { items, last: r.LastEvaluatedKey ? items.at(-1)?.index : undefined };
  }

  async markFinal(tenantId: string, batchId: string, index: number, status: FinalJobStatus) {
    const others = FINAL_JOB_STATUSES.filter((s) => s !== status);
    const r = await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: pk(tenantId), sk: headerSk(batchId) },
        UpdateExpression: `SET #ttl = if_not_exists(#ttl, :ttl) ADD #add :i DELETE ${others.map((_, k) => `#del${k} :i`).join(', ')}`,
        ExpressionAttributeNames: {
          // A header the API has not written yet (its job finished first) still expires.
          '#ttl': 'ttl',
          '#add': SET_ATTR[status],
          ...Object.fromEntries(others.map((s, k) => [`#del${k}`, SET_ATTR[s]])),
        },
        ExpressionAttributeValues: {
          ':i': new Set([index]),
          ':ttl': Math.floor(Date.now() / 1000) + JOB_RETENTION_DAYS * 86_400,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toBatch(r.Attributes);
  }

  async claimFinish(tenantId: string, batchId: string, nowMs: number, untilMs: number) {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: pk(tenantId), sk: headerSk(batchId) },
          UpdateExpression: 'SET finishClaimUntil = :until',
          ConditionExpression:
            'attribute_exists(#total) AND attribute_not_exists(finishedAt) AND (attribute_not_exists(finishClaimUntil) OR finishClaimUntil < :now)',
          ExpressionAttributeNames: { '#total': 'total' },
          ExpressionAttributeValues: { ':until': untilMs, ':now': nowMs },
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }

  async releaseFinish(tenantId: string, batchId: string, untilMs: number) {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: pk(tenantId), sk: headerSk(batchId) },
          UpdateExpression: 'REMOVE finishClaimUntil',
          ConditionExpression: 'finishClaimUntil = :until',
          ExpressionAttributeValues: { ':until': untilMs },
        }),
      );
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    }
  }

  async markFinished(tenantId: string, batchId: string, at: string) {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: pk(tenantId), sk: headerSk(batchId) },
          UpdateExpression: 'SET finishedAt = :at',
          ConditionExpression: 'attribute_exists(#total) AND attribute_not_exists(finishedAt)',
          ExpressionAttributeNames: { '#total': 'total' },
          ExpressionAttributeValues: { ':at': at },
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }
}
