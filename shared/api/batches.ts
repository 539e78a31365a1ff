import { randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import * as z from 'zod';
import {
  type BatchItem,
  type BatchItemError,
  batchBodySchema,
  batchItemIdSchema,
  itemJobStatus,
  MAX_BATCH_BYTES,
  publicBatch,
} from '../batches/model';
import { settleBatch } from '../batches/progress';
import type { NewBatch } from '../batches/store';
import { MAX_CUSTOMER_BYTES } from '../customer/schema';
import { findUnsupportedCharacters } from '../customer/text';
import { ApiError, type Issue, issuesFromZod, validationFailed } from '../errors';
import { stableHash } from '../jobs/ids';
import type { Job } from '../jobs/model';
import { takeBackSend } from '../jobs/take-back';
import { callbackUrlFromHeader } from '../webhooks/routes';
import {
  createHeaders,
  idempotencyConflict,
  jobMessageOf,
  newApiJob,
  resolveConnection,
  validateCustomer,
} from './customers';
import type { ApiDeps } from './deps';
import { type ApiRequest, type ApiResponse, json, notFound, parseJsonBody } from './http';
import { optionIssuesFor } from './options';
import { parseQuery } from './query';

const BATCH_NAMESPACE = '0e7b6a52-31c4-4d8e-a9f2-6c1b7d3e5f84';
/** Conditional puts and updates in flight at once per batch: fast, and far below DynamoDB's per-partition limit. */
const WRITE_CONCURRENCY = 16;

/** Runs `fn` over `list` with at most `limit` calls in flight; results in order. */
async function pool<T, R>(list: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(list.length);
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const i = next++;
      out[i] = await fn(list[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, list.length) }, worker));
  return out;
}

const prefixed = (issues: Issue[], prefix: string) =>
  issues.map((i) => ({ ...i, pointer: `${prefix}${i.pointer}` }));
const rejected = (index: number, itemId: string, error: BatchItemError): BatchItem => ({
  index,
  itemId,
  status: 'rejected',
  error,
});
const invalid = (details: Issue[], message = 'the item is not valid'): BatchItemError => ({
  code: 'validation_failed',
  message,
  retryable: false,
  details,
});

/**
 * POST /v1/customers/batch (issue 16 §3): up to 500 customers with the headers of a single create. Every item is
 * validated on its own and, when valid, becomes an ordinary job (idempotent per item key, paced per connection);
 * messages go out with SendMessageBatch, ten at a time. 202 when at least one item was queued, else 422 with every
 * item's problems (pointers `/items/<i>/…`). An item without its own `idempotencyKey` gets `<batch key> <itemId>`
 * (a space cannot occur in a key), so a retried batch with the same Idempotency-Key creates no second job.
 */
export async function createCustomerBatch(
  req: ApiRequest,
  tenantId: string,
  deps: ApiDeps,
  opts: { dryRun?: boolean } = {},
): Promise<ApiResponse> {
  const now = deps.now?.() ?? new Date();
  const dryRun = opts.dryRun === true;
  const raw = parseJsonBody(req, MAX_BATCH_BYTES, { checkText: false });
  // As a single create: a dropped `Idempotency_Key` would make every keyless item a new job on a retried batch.
  const { adapter, named, idempotencyKey: batchKey } = createHeaders(req, deps);
  const body = batchBodySchema.safeParse(raw);
  if (!body.success) throw validationFailed(issuesFromZod(body.error), 'the batch is not valid');
  const batches = deps.batches;
  if (!batches)
    throw new ApiError(503, 'queue_unavailable', 'batches are not available here', { retryable: true });
  const callbackUrl = await callbackUrlFromHeader(req, tenantId, deps);
  const conn = await resolveConnection(req, tenantId, adapter, deps, named, {
    store: !dryRun,
    needCredentials: false,
  });

  const options = await optionIssuesFor(deps, tenantId, conn.connectionId, adapter);

  // 1. Each item on its own: text, size, the unified schema, the ERP's rules, the connection's cached options.
  const seen = new Set<string>();
  const items: BatchItem[] = [];
  const jobs = new Map<number, Job>();
  // What the batch's request hash covers: each valid customer as normalized (NFC, trimmed, ids in one form), so
  // a batch sent again with the same names composed or decomposed is the same batch, as a single create is.
  const hashed: unknown[] = body.data.items.map((it) => it);
  body.data.items.forEach((it, index) => {
    const at = `/items/${index}`;
    const itemId = batchItemIdSchema.safeParse(it.itemId);
    if (!itemId.success) {
      const message = 'itemId is 1-100 printable ASCII characters without spaces';
      items.push(
        rejected(
          index,
          it.itemId.slice(0, 100),
          invalid([{ pointer: `${at}/itemId`, code: 'invalid_format', message }]),
        ),
      );
      return;
    }
    if (seen.has(it.itemId)) {
      items.push(
        rejected(
          index,
          it.itemId,
          invalid([
            { pointer: `${at}/itemId`, code: 'duplicate', message: 'itemId repeats an earlier item' },
          ]),
        ),
      );
      return;
    }
    seen.add(it.itemId);
    const badText = findUnsupportedCharacters(it.customer);
    if (badText.length) {
      items.push(rejected(index, it.itemId, invalid(prefixed(badText, `${at}/customer`))));
      return;
    }
    if (Buffer.byteLength(JSON.stringify(it.customer ?? null), 'utf8') > MAX_CUSTOMER_BYTES) {
      items.push(
        rejected(index, it.itemId, {
          code: 'payload_too_large',
          message: `the customer is larger than ${MAX_CUSTOMER_BYTES} bytes`,
          retryable: false,
          details: [{ pointer: `${at}/customer`, code: 'payload_too_large', message: 'at most 64 KiB' }],
        }),
      );
      return;
    }
    const valid = validateCustomer(it.customer, adapter);
    const issues = 'issues' in valid ? valid.issues : options(valid.customer);
    if ('issues' in valid || issues.length) {
      const message = 'issues' in valid ? valid.message : "a value is not among the connection's options";
      items.push(rejected(index, it.itemId, invalid(prefixed(issues, `${at}/customer`), message)));
      return;
    }
    const idempotencyKey = it.idempotencyKey ?? (batchKey ? `${batchKey} ${it.itemId}` : undefined);
    const job = newApiJob({
      adapter,
      tenantId,
      conn,
      customer: valid.customer,
      warnings: valid.warnings,
      idempotencyKey,
      callbackUrl,
      now,
    });
    // Recorded as sent with its one put, as a single create is: a send that fails is taken back below, and a
    // send lost with a dead API is found by the sweeper once the queue is empty (jobs/stuck.ts).
    job.enqueuedAt = job.createdAt;
    jobs.set(index, job);
    hashed[index] = { ...it, customer: valid.customer };
    const { warnings } = valid;
    items.push({
      index,
      itemId: it.itemId,
      status: 'queued',
      jobId: job.jobId,
      ...(warnings.length
        ? { warnings: warnings.map((w) => ({ ...w, pointer: `${at}/customer${w.pointer}` })) }
        : {}),
    });
  });
  const requestHash = stableHash({
    erp: adapter.id,
    connectionId: conn.connectionId,
    environment: conn.environment,
    ...(callbackUrl ? { callbackUrl } : {}),
    items: hashed,
  });
  const allKeyed = body.data.items.every((i) => i.idempotencyKey);
  // The same key, or (every item keyed) the same content, names the same batch: its retry is a replay.
  const batchId = batchKey
    ? uuidv5(`key:${tenantId}:${batchKey}`, BATCH_NAMESPACE)
    : allKeyed
      ? uuidv5(`hash:${tenantId}:${requestHash}`, BATCH_NAMESPACE)
      : randomUUID();
  for (const [index, job] of jobs) job.batch = { batchId, index };
  const earlier = await batches.store.get(tenantId, batchId);
  if (earlier && earlier.requestHash !== requestHash) {
    throw new ApiError(409, 'idempotency_conflict', 'this Idempotency-Key was used with a different batch', {
      details: [
        { pointer: '/headers/idempotency-key', code: 'idempotency_conflict', message: `batch ${batchId}` },
      ],
    });
  }
  if (dryRun) {
    // Checked exactly as a batch is, nothing recorded or queued (the importer's --dry-run).
    const valid = items.filter((i) => i.status === 'queued').length;
    return json(200, {
      dryRun: true,
      valid,
      rejected: items.length - valid,
      items: items.map(({ jobId: _jobId, ...it }) => ({
        ...it,
        status: it.status === 'queued' ? 'valid' : 'rejected',
      })),
    });
  }
  if (jobs.size === 0) {
    throw validationFailed(
      items.flatMap((i) => i.error?.details ?? []),
      'no item of the batch is valid; nothing was queued',
    );
  }

  // 2. Record each job (conditional put: an item key names one job, whatever batch carried it first).
  const toQueue: Job[] = [];
  await pool([...jobs.entries()], WRITE_CONCURRENCY, async ([index, job]) => {
    const put = await deps.jobs.create(job);
    const current = put.job;
    const item = items[index] as BatchItem;
    const ours = current.batch?.batchId === batchId && current.batch.index === index;
    if (!put.created && (current.requestHash !== job.requestHash || !ours)) {
      const pointer = body.data.items[index]?.idempotencyKey
        ? `/items/${index}/idempotencyKey`
        : '/headers/idempotency-key';
      const e = idempotencyConflict(current.jobId, pointer);
      items[index] = rejected(index, item.itemId, {
        code: e.code,
        message: ours
          ? e.message
          : `this key was first used for job ${current.jobId}, outside this batch item`,
        retryable: false,
        details: e.extra.details,
      });
      jobs.delete(index);
      return;
    }
    // A replayed batch sends again while no worker has taken the job: the first request may have died before
    // its send. A spare copy finds the job busy or final and runs nothing.
    if (put.created || (current.status === 'queued' && !current.messageSeenAt)) toQueue.push(current);
  });

  // 3. Queue them, ten per SendMessageBatch. Sent: nothing more to write (the put said so). Not sent: taken back.
  const failed = new Set(await sendAll(deps, adapter.id, toQueue));
  await pool(toQueue, WRITE_CONCURRENCY, async (job) => {
    const index = job.batch?.index as number;
    if (!failed.has(job.jobId)) {
      if (!job.enqueuedAt) await deps.jobs.update(job, { enqueuedAt: new Date().toISOString() });
      return;
    }
    // Taken back. Keyed: recorded, the sweeper queues it (and a retried batch converges on it). Keyless: retired,
    // never run. Unless a worker took it meanwhile: its send reached SQS after all, and it stays queued.
    if ((await takeBackSend(deps.jobs, job, new Date())) || job.idempotencyKey) return;
    items[index] = rejected(index, (items[index] as BatchItem).itemId, {
      code: 'queue_unavailable',
      message: 'the item could not be queued; send it again',
      retryable: true,
    });
    jobs.delete(index);
  });

  // 4. The items, then the header (written last: a batch exists once all of it is recorded).
  await batches.store.putItems(tenantId, batchId, items);
  const accepted = items.filter((i) => i.status === 'queued').length;
  const header: NewBatch = {
    batchId,
    tenantId,
    erp: adapter.id,
    connectionId: conn.connectionId,
    environment: conn.environment,
    requestHash,
    idempotencyKey: batchKey,
    callbackUrl,
    total: items.length,
    accepted,
    rejected: items.length - accepted,
    createdAt: earlier?.createdAt ?? now.toISOString(),
  };
  const recorded = await batches.store.record(header);
  if (recorded.kind === 'conflict') {
    throw new ApiError(409, 'idempotency_conflict', 'this Idempotency-Key was used with a different batch');
  }
  // Jobs may have finished before the header existed (their hooks found no batch yet): settle here too.
  await settleBatch(recorded.batch, { batches: batches.store, sink: batches.sink, log: deps.log });
  if (accepted === 0) {
    throw validationFailed(
      items.flatMap(
        (i) =>
          i.error?.details ?? [
            {
              pointer: `/items/${i.index}`,
              code: i.error?.code ?? 'rejected',
              message: i.error?.message ?? '',
            },
          ],
      ),
      'no item of the batch could be queued',
    );
  }
  return json(
    202,
    {
      batchId,
      accepted,
      rejected: items.length - accepted,
      items: items.map(publicItem),
      links: { self: `/v1/batches/${batchId}` },
    },
    { location: `/v1/batches/${batchId}`, ...(earlier ? { 'idempotent-replayed': 'true' } : {}) },
  );
}

const publicItem = ({ index, ...rest }: BatchItem) => ({ index, ...rest });

async function sendAll(deps: ApiDeps, erp: Job['erp'], jobs: Job[]): Promise<string[]> {
  const messages = jobs.map(jobMessageOf);
  if (deps.queue.sendMany) {
    const failed = await deps.queue.sendMany(erp, messages);
    return failed.map((i) => (jobs[i] as Job).jobId);
  }
  const failed: string[] = [];
  for (const [i, m] of messages.entries()) {
    await deps.queue.send(erp, m).catch(() => failed.push((jobs[i] as Job).jobId));
  }
  return failed;
}

export const batchPageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(200).optional(),
});

const cursorOf = (after: number | undefined) =>
  after === undefined ? null : Buffer.from(JSON.stringify({ after })).toString('base64url');

function afterOf(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  try {
    const after = (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown })
      .after;
    if (typeof after === 'number' && Number.isInteger(after) && after >= 0) return after;
  } catch {
    // falls through to the 422
  }
  // As GET /v1/jobs answers a cursor it did not give.
  const message = 'not a cursor this batch listing gave you; start again without one';
  throw new ApiError(422, 'invalid_cursor', `the cursor is not valid: ${message}`, {
    details: [{ pointer: '/query/cursor', code: 'invalid_cursor', message }],
  });
}

/** GET /v1/batches/{batchId}: counts by status, and the items in request order, a page at a time. */
export async function getBatch(
  req: ApiRequest,
  rawId: string,
  tenantId: string,
  deps: ApiDeps,
): Promise<ApiResponse> {
  const q = parseQuery(req, batchPageQuery);
  const after = afterOf(q.cursor);
  // Another tenant's batch lives under another partition key: it is simply not found.
  const batch = z.uuid().safeParse(rawId).success
    ? await deps.batches?.store.get(tenantId, rawId)
    : undefined;
  if (!batch) throw notFound(`batch ${rawId.slice(0, 64)}`);
  const page = await deps.batches?.store.listItems(tenantId, batch.batchId, { limit: q.limit, after });
  return json(200, {
    ...publicBatch(batch),
    items: (page?.items ?? []).map((it) => ({
      ...publicItem(it),
      ...(it.status === 'queued' ? { jobStatus: itemJobStatus(batch, it.index) } : {}),
    })),
    nextCursor: cursorOf(page?.last),
  });
}
