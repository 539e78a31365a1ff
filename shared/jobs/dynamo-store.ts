import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
// zod/mini: the sweeper bundles this store and needs no more of zod than this cursor check.
import * as z from 'zod/mini';
import type { ErpId } from '../erps/types';
import { CLAIMABLE_STATUSES, isFinal, type Job, type JobStatus } from './model';
import type { ClaimResult, DueJob, JobPatch, JobStore, ListJobsQuery } from './store';
import { sweepIndexKey, UNCONFIRMED_PREFIX } from './stuck';

/** Jobs are kept this long; idempotency keys live on the job, so they are kept at least as long (≥ 30 days). */
export const JOB_RETENTION_DAYS = 90;

const keys = (tenantId: string, jobId: string) => ({ pk: `T#${tenantId}`, sk: `JOB#${jobId}` });
const INTERNAL = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'ttl']);

function fromItem(item: Record<string, unknown>): Job {
  const job: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!INTERNAL.has(k)) job[k] = v;
  if (typeof job.customer === 'string') job.customer = JSON.parse(job.customer);
  return job as unknown as Job;
}

const encodeCursor = (key: Record<string, unknown> | undefined) =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const ISO_TIME = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?Z';

/**
 * A cursor is the listing's LastEvaluatedKey, and nothing else: exactly the four key attributes, of the caller's
 * own partition, in the shapes this store writes. Anything else (forged, altered, another tenant's) is refused
 * before DynamoDB sees it — a malformed start key would be a DynamoDB ValidationException, a 500.
 */
function decodeCursor(cursor: string | undefined, tenantId: string): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  const shape = z.strictObject({
    pk: z.literal(`T#${tenantId}`),
    sk: z.string().check(z.regex(new RegExp(`^JOB#${UUID}$`, 'i'))),
    gsi1pk: z.literal(`T#${tenantId}`),
    gsi1sk: z.string().check(z.regex(new RegExp(`^${ISO_TIME}#${UUID}$`, 'i'))),
  });
  const r = shape.safeParse(key);
  if (!r.success || r.data.sk.slice(4) !== r.data.gsi1sk.slice(-36)) throw new InvalidCursorError();
  return r.data;
}

export class InvalidCursorError extends Error {
  constructor() {
    super('cursor is not valid');
  }
}

/**
 * JobStore on one DynamoDB table (pk/sk, gsi1 = tenant listing newest first: keys, status and erp; gsi2 = sparse
 * index of due jobs: keys only).
 */
export class DynamoJobStore implements JobStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private item(job: Job): Record<string, unknown> {
    return {
      ...job,
      // As JSON text: erpFields may hold what a DynamoDB map cannot (empty keys, numbers below 1e-130).
      customer: JSON.stringify(job.customer),
      ...keys(job.tenantId, job.jobId),
      gsi1pk: `T#${job.tenantId}`,
      gsi1sk: `${job.createdAt}#${job.jobId}`,
      ...(isFinal(job.status) ? {} : { gsi2pk: `DUE#${job.erp}`, gsi2sk: sweepIndexKey(job) }),
      ttl: Math.floor(Date.parse(job.createdAt) / 1000) + JOB_RETENTION_DAYS * 86_400,
    };
  }

  async create(job: Job) {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: this.item(job),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { created: true as const, job };
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
      const existing = await this.get(job.tenantId, job.jobId);
      if (!existing) throw e;
      return { created: false as const, job: existing };
    }
  }

  async get(tenantId: string, jobId: string): Promise<Job | undefined> {
    const r = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys(tenantId, jobId), ConsistentRead: true }),
    );
    return r.Item ? fromItem(r.Item) : undefined;
  }

  async list(tenantId: string, q: ListJobsQuery) {
    const filters: string[] = [];
    const values: Record<string, unknown> = { ':pk': `T#${tenantId}` };
    const names: Record<string, string> = {};
    if (q.status) {
      filters.push('#status = :status');
      names['#status'] = 'status';
      values[':status'] = q.status;
    }
    if (q.erp) {
      filters.push('erp = :erp');
      values[':erp'] = q.erp;
    }
    const items: Job[] = [];
    let start = decodeCursor(q.cursor, tenantId);
    // With a filter a page can come back short; read on until the page is full or the index ends.
    do {
      const r = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: values,
          ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
          ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
          ScanIndexForward: false,
          Limit: q.limit - items.length,
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(await this.itemsOf(r.Items ?? [])));
      start = r.LastEvaluatedKey;
    } while (start && items.length < q.limit);
    return { items, nextCursor: encodeCursor(start) };
  }

  /**
   * The jobs of a gsi1 page, in its order. gsi1 projects only its keys, `status` and `erp` (what the listing
   * filters on): every job write then costs one small index entry instead of the whole item again, and a listing
   * reads its page from the table (one BatchGetItem of ≤ 100 keys, eventually consistent like the index itself).
   */
  private async itemsOf(page: Record<string, unknown>[]): Promise<Job[]> {
    if (!page.length) return [];
    const found = new Map<string, Record<string, unknown>>();
    let keysLeft: Record<string, unknown>[] | undefined = page.map((i) => ({ pk: i.pk, sk: i.sk }));
    while (keysLeft?.length) {
      const r = await this.db.send(
        new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keysLeft } } }),
      );
      for (const it of r.Responses?.[this.table] ?? []) found.set(String(it.sk), it);
      keysLeft = r.UnprocessedKeys?.[this.table]?.Keys as Record<string, unknown>[] | undefined;
    }
    // A job gone between the index read and this one (its TTL ran out) is left out.
    return page.flatMap((i) => {
      const it = found.get(String(i.sk));
      return it ? [fromItem(it)] : [];
    });
  }

  /**
   * One conditional update: from `queued`, `retry_scheduled` or `outcome_unknown` once `nextAttemptAt` has
   * passed (every message obeys it: one that arrives early is `not_due`, whatever the status), or from
   * `in_progress` whose lease has run out. Records that a message was received for the job.
   */
  async claim(
    tenantId: string,
    jobId: string,
    opts: { now: Date; leaseMs: number; leaseToken: string; erp?: ErpId },
  ): Promise<ClaimResult> {
    const now = opts.now.toISOString();
    const leaseUntil = new Date(opts.now.getTime() + opts.leaseMs).toISOString();
    const claimable = Object.fromEntries(CLAIMABLE_STATUSES.map((s, i) => [`:c${i}`, s]));
    try {
      const r = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys(tenantId, jobId),
          UpdateExpression:
            'SET #status = :ip, leaseUntil = :lease, leaseToken = :token, attempts = attempts + :one, updatedAt = :now, messageSeenAt = :now, gsi2sk = :lease',
          ConditionExpression: `attribute_exists(pk)${opts.erp ? ' AND erp = :erp' : ''} AND ((#status IN (${Object.keys(claimable).join(', ')}) AND (attribute_not_exists(nextAttemptAt) OR nextAttemptAt <= :now)) OR (#status = :ip AND leaseUntil < :now))`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':ip': 'in_progress',
            ...claimable,
            ':lease': leaseUntil,
            ':token': opts.leaseToken,
            ':one': 1,
            ':now': now,
            ...(opts.erp ? { ':erp': opts.erp } : {}),
          },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const old = fromItem(r.Attributes ?? {});
      const job: Job = {
        ...old,
        status: 'in_progress',
        leaseUntil,
        leaseToken: opts.leaseToken,
        attempts: old.attempts + 1,
        updatedAt: now,
        messageSeenAt: now,
      };
      // A job left in_progress by a crashed worker, or marked outcome_unknown, may exist upstream already.
      return {
        kind: 'claimed',
        job,
        lookupFirst: old.status === 'in_progress' || old.status === 'outcome_unknown',
        tookOver: old.status === 'in_progress',
      };
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
      const job = await this.get(tenantId, jobId);
      if (!job) return { kind: 'missing' };
      if (opts.erp && job.erp !== opts.erp) return { kind: 'other_erp', job };
      if (isFinal(job.status)) return { kind: 'final', job };
      if (job.status !== 'in_progress' && job.nextAttemptAt && job.nextAttemptAt > now) {
        return { kind: 'not_due', job };
      }
      return { kind: 'busy', job };
    }
  }

  async update(
    current: Job,
    patch: JobPatch,
    opts: { leaseToken?: string; expectStatus?: readonly JobStatus[]; expectUpdatedAt?: string } = {},
  ) {
    const next = { ...current, ...patch } as Job;
    const sets: string[] = [];
    const removes: string[] = [];
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = {};
    let i = 0;
    const assign = (attr: string, value: unknown) => {
      const n = `#a${i}`;
      const v = `:v${i++}`;
      names[n] = attr;
      if (value === undefined) removes.push(n);
      else {
        values[v] = value;
        sets.push(`${n} = ${v}`);
      }
    };
    for (const [k, v] of Object.entries(patch))
      assign(k, k === 'customer' && v !== undefined ? JSON.stringify(v) : v);
    if (isFinal(next.status)) {
      assign('gsi2pk', undefined);
      assign('gsi2sk', undefined);
    } else {
      assign('gsi2pk', `DUE#${next.erp}`);
      assign('gsi2sk', sweepIndexKey(next));
    }
    const expected = opts.expectStatus ?? [current.status];
    const statusConds = expected.map((s, j) => {
      values[`:s${j}`] = s;
      return `#status = :s${j}`;
    });
    let condition = `(${statusConds.join(' OR ')})`;
    if (opts.leaseToken) {
      values[':lt'] = opts.leaseToken;
      condition += ' AND leaseToken = :lt';
    }
    if (opts.expectUpdatedAt) {
      values[':ua'] = opts.expectUpdatedAt;
      condition += ' AND updatedAt = :ua';
    }
    const expr = [
      sets.length ? `SET ${sets.join(', ')}` : '',
      removes.length ? `REMOVE ${removes.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    try {
      const r = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys(current.tenantId, current.jobId),
          UpdateExpression: expr,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return fromItem(r.Attributes ?? {});
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return undefined;
      throw e;
    }
  }

  /** Reads gsi2, which projects keys only: the caller reads each job itself (consistently) before acting. */
  listDue(erp: ErpId, dueBefore: Date, limit: number): Promise<DueJob[]> {
    // ISO times sort before UNCONFIRMED_PREFIX: this range never holds an unconfirmed first send.
    return this.queryDue(erp, 'gsi2sk < :due', dueBefore.toISOString(), limit);
  }

  /** Jobs whose first send is unconfirmed, sent before `sentBefore` (gsi2's UNCONFIRMED_PREFIX range). */
  listUnconfirmed(erp: ErpId, sentBefore: Date, limit: number): Promise<DueJob[]> {
    return this.queryDue(
      erp,
      'gsi2sk BETWEEN :from AND :due',
      `${UNCONFIRMED_PREFIX}${sentBefore.toISOString()}`,
      limit,
      { ':from': UNCONFIRMED_PREFIX },
    );
  }

  private async queryDue(
    erp: ErpId,
    range: string,
    due: string,
    limit: number,
    extra: Record<string, string> = {},
  ): Promise<DueJob[]> {
    const r = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi2',
        KeyConditionExpression: `gsi2pk = :pk AND ${range}`,
        ExpressionAttributeValues: { ':pk': `DUE#${erp}`, ':due': due, ...extra },
        Limit: limit,
      }),
    );
    return (r.Items ?? []).map((it) => ({
      tenantId: String(it.pk).slice('T#'.length),
      jobId: String(it.sk).slice('JOB#'.length),
      dueAt: String(it.gsi2sk).replace(UNCONFIRMED_PREFIX, ''),
    }));
  }
}
