import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  batchAcceptedSchema,
  batchDryRunSchema,
  batchSchema,
  jobSchema,
} from '../../shared/api/openapi-schemas';
import type { DynamoBatchStore } from '../../shared/batches/dynamo-store';
import { batchJobEvents, FINISH_CLAIM_MS } from '../../shared/batches/progress';
import type { WebhookDelivery } from '../../shared/webhooks/delivery';
import { silentLog, stark, startPipeline } from '../helpers/pipeline';

/** Batches (issue 16 §3) on the real handlers, dynalite and fauxqs, with the scripted ERP. */
let p: Awaited<ReturnType<typeof startPipeline>>;
const A = 'tenant-batch';
const siigo = { 'x-erp': 'siigo', 'x-connection': 'main' };
const company = (n: number) => ({
  ...stark,
  name: { company: `Batch Company ${n}` },
  identification: { type: 'NIT', number: String(900_200_000 + n) },
});

async function drain(batchId: string, deadlineMs = 20_000) {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const got = await p.api('GET', `/v1/batches/${batchId}`, { tenantId: A });
    if (got.json.counts.pending === 0 || Date.now() > end) return got;
    await p.pump(undefined, undefined, 0);
  }
}

beforeAll(async () => {
  p = await startPipeline();
  await p.tenant(A);
  const put = await p.api('PUT', '/v1/connections/main', {
    tenantId: A,
    body: {
      erp: 'siigo',
      environment: 'sandbox',
      credentials: { username: 'b@stark.co', accessKey: 'k-batch' },
    },
  });
  expect(put.status).toBe(201);
});
afterAll(() => p.close());

describe('POST /v1/customers/batch', () => {
  it('queues the good items, rejects the bad ones with pointers, and counts every item once final', async () => {
    const res = await p.api('POST', '/v1/customers/batch', {
      tenantId: A,
      headers: { ...siigo, 'idempotency-key': 'import-2025-01' },
      body: {
        items: [
          { itemId: 'row-2', customer: company(1) },
          { itemId: 'row-3', customer: { ...company(2), identification: undefined } },
          { itemId: 'row-4', customer: { ...company(3), notes: 'bad \u0000 byte' } },
          { itemId: 'row-5', customer: company(4) },
          { itemId: 'row-5', customer: company(5) },
        ],
      },
    });
    expect(res.status).toBe(202);
    // The documented shapes (strict): a new field fails here until openapi-schemas.ts documents it.
    expect(batchAcceptedSchema.safeParse(res.json).error).toBeUndefined();
    expect(res.headers.location).toBe(`/v1/batches/${res.json.batchId}`);
    expect(res.json).toMatchObject({ accepted: 2, rejected: 3 });
    const [ok1, missing, control, ok2, dup] = res.json.items;
    expect(ok1).toMatchObject({ itemId: 'row-2', status: 'queued' });
    expect(ok2).toMatchObject({ itemId: 'row-5', status: 'queued' });
    expect(missing.status).toBe('rejected');
    expect(missing.error.details[0].pointer).toBe('/items/1/customer/identification');
    expect(control.error.details[0].pointer).toMatch(/^\/items\/2\/customer\/notes/);
    expect(dup.error.details[0]).toMatchObject({ pointer: '/items/4/itemId', code: 'duplicate' });

    // Each accepted item is an ordinary job: the job names its batch and its derived key.
    const job = await p.api('GET', `/v1/jobs/${ok1.jobId}`, { tenantId: A });
    expect(job.json).toMatchObject({ batchId: res.json.batchId, idempotencyKey: 'import-2025-01 row-2' });
    expect(jobSchema.safeParse(job.json).error).toBeUndefined();
    const dry = await p.api('POST', '/v1/customers/batch/dry-run', {
      tenantId: A,
      headers: siigo,
      body: {
        items: [
          { itemId: 'd1', customer: company(7) },
          { itemId: 'd2', customer: {} },
        ],
      },
    });
    expect(dry.status).toBe(200);
    expect(batchDryRunSchema.safeParse(dry.json).error).toBeUndefined();
    expect(dry.json).toMatchObject({ dryRun: true, valid: 1, rejected: 1 });

    const done = await drain(res.json.batchId);
    expect(done.json.counts).toEqual({
      items: 5,
      accepted: 2,
      rejected: 3,
      succeeded: 2,
      failed: 0,
      dead_lettered: 0,
      pending: 0,
    });
    expect(done.json.finishedAt).toBeTruthy();
    expect(batchSchema.safeParse(done.json).error).toBeUndefined();
    expect(done.json.items[0]).toMatchObject({ itemId: 'row-2', jobStatus: 'succeeded' });
    expect(done.json.items[1].jobStatus).toBeUndefined();
  });

  it('a retried batch (same Idempotency-Key) creates no second job; another body under the key is a 409', async () => {
    const body = { items: [1, 2, 3].map((n) => ({ itemId: `r${n}`, customer: company(10 + n) })) };
    const headers = { ...siigo, 'idempotency-key': 'import-retry-1' };
    const first = await p.api('POST', '/v1/customers/batch', { tenantId: A, headers, body });
    expect(first.status).toBe(202);
    await drain(first.json.batchId);
    const creates = p.erp.creates.length;
    const again = await p.api('POST', '/v1/customers/batch', { tenantId: A, headers, body });
    expect(again.status).toBe(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json.batchId).toBe(first.json.batchId);
    expect(again.json.items.map((i: { jobId: string }) => i.jobId)).toEqual(
      first.json.items.map((i: { jobId: string }) => i.jobId),
    );
    await p.pump(undefined, undefined, 0);
    expect(p.erp.creates.length).toBe(creates);
    const other = await p.api('POST', '/v1/customers/batch', {
      tenantId: A,
      headers,
      body: { items: [{ itemId: 'r1', customer: company(99) }] },
    });
    expect(other.status).toBe(409);
    expect(other.json.error.code).toBe('idempotency_conflict');
  });

  it('a batch with no valid item is a 422 naming every item; nothing is queued', async () => {
    const before = await p.queueDepth();
    const res = await p.api('POST', '/v1/customers/batch', {
      tenantId: A,
      headers: siigo,
      body: {
        items: [
          { itemId: 'a', customer: { personType: 'nobody' } },
          { itemId: 'b', customer: 'x' },
        ],
      },
    });
    expect(res.status).toBe(422);
    const pointers = res.json.error.details.map((d: { pointer: string }) => d.pointer);
    expect(pointers.some((x: string) => x.startsWith('/items/0/customer'))).toBe(true);
    expect(pointers.some((x: string) => x.startsWith('/items/1/customer'))).toBe(true);
    expect(await p.queueDepth()).toBe(before);
  });

  it('at most 500 items; the limits are errors naming /items', async () => {
    const items = Array.from({ length: 501 }, (_, i) => ({ itemId: `i${i}`, customer: {} }));
    const res = await p.api('POST', '/v1/customers/batch', { tenantId: A, headers: siigo, body: { items } });
    expect(res.status).toBe(422);
    expect(res.json.error.details[0].pointer).toBe('/items');
  });

  it('GET /v1/batches/{id} pages the items in request order; a foreign cursor is a 422, a query typo a 400', async () => {
    const body = { items: [1, 2, 3, 4, 5].map((n) => ({ itemId: `p${n}`, customer: company(30 + n) })) };
    const res = await p.api('POST', '/v1/customers/batch', { tenantId: A, headers: siigo, body });
    const page1 = await p.api('GET', `/v1/batches/${res.json.batchId}?limit=2`, { tenantId: A });
    expect(page1.json.items.map((i: { itemId: string }) => i.itemId)).toEqual(['p1', 'p2']);
    const page2 = await p.api(
      'GET',
      `/v1/batches/${res.json.batchId}?limit=2&cursor=${page1.json.nextCursor}`,
      {
        tenantId: A,
      },
    );
    expect(page2.json.items.map((i: { itemId: string }) => i.itemId)).toEqual(['p3', 'p4']);
    const bad = await p.api('GET', `/v1/batches/${res.json.batchId}?cursor=nonsense`, { tenantId: A });
    expect(bad.status).toBe(422);
    expect(bad.json.error).toMatchObject({
      code: 'invalid_cursor',
      details: [{ pointer: '/query/cursor', code: 'invalid_cursor' }],
    });
    // A typo in the query is refused like on every route (issue 12 §4), never ignored.
    const typo = await p.api('GET', `/v1/batches/${res.json.batchId}?limt=2`, { tenantId: A });
    expect(typo.status).toBe(400);
    expect(typo.json.error.details[0]).toMatchObject({
      pointer: '/query/limt',
      code: 'unknown_query_parameter',
    });
    // Another tenant sees nothing.
    const other = await p.api('GET', `/v1/batches/${res.json.batchId}`, { tenantId: 'someone-else' });
    expect(other.status).toBe(404);
    await drain(res.json.batchId);
  });

  it('a worker that stops between saving a final job and its hook: the redelivered message counts it', async () => {
    const events = p.workerDeps.events;
    p.workerDeps.events = undefined;
    const res = await p.api('POST', '/v1/customers/batch', {
      tenantId: A,
      headers: siigo,
      body: { items: [{ itemId: 'crash-1', customer: company(50) }] },
    });
    const jobId = res.json.items[0].jobId;
    await p.runUntilFinal(A, jobId);
    p.workerDeps.events = events;
    const stuck = await p.api('GET', `/v1/batches/${res.json.batchId}`, { tenantId: A });
    expect(stuck.json.counts.pending).toBe(1);
    // SQS redelivers the message the stopped worker never deleted.
    await p.sendRaw({ version: 1, jobId, tenantId: A, connectionId: 'main', customer: company(50) });
    const done = await drain(res.json.batchId, 10_000);
    expect(done.json.counts).toMatchObject({ succeeded: 1, pending: 0 });
  });
});

describe('batch.finished: once, however often the hooks run', () => {
  it('repeated and concurrent finished-hooks count each item once and send one event', async () => {
    const batches = p.deps.batches?.store as DynamoBatchStore;
    const sent: WebhookDelivery[] = [];
    const events = batchJobEvents({
      batches,
      sink: {
        send: async (b) => {
          sent.push({ batch: b } as never);
        },
      },
      log: silentLog,
    });
    const batchId = '7d9b2c1e-4f3a-4b5c-8d6e-0a1b2c3d4e5f';
    const jobs = [0, 1, 2].map((index) => ({
      jobId: `00000000-0000-4000-8000-00000000000${index}`,
      tenantId: A,
      status: index === 2 ? 'failed' : 'succeeded',
      batch: { batchId, index },
    }));
    // Jobs finish before the API has written the header: nothing is sent yet.
    await Promise.all(jobs.map((j) => events.finished(j as never)));
    expect(sent).toHaveLength(0);
    const rec = await batches.record({
      batchId,
      tenantId: A,
      erp: 'siigo',
      connectionId: 'main',
      environment: 'sandbox',
      requestHash: 'h',
      total: 3,
      accepted: 3,
      rejected: 0,
      createdAt: new Date().toISOString(),
    });
    expect(rec.kind).toBe('ok');
    // Twice each, concurrently: the sets are unions, and one writer wins finishedAt.
    await Promise.all([...jobs, ...jobs].map((j) => events.seenFinal(j as never)));
    const b = await batches.get(A, batchId);
    expect(b?.final).toEqual({ succeeded: [0, 1], failed: [2], dead_lettered: [] });
    expect(b?.finishedAt).toBeTruthy();
    // One writer claims the sending: concurrent hooks of the last items do not each send it.
    expect(sent).toHaveLength(1);
    await Promise.all(jobs.map((j) => events.finished(j as never)));
    const count = sent.length;
    await events.finished(jobs[0] as never);
    expect(sent.length).toBe(count);
  });
});

describe('batch.finished: a failed or stopped sender is taken over', () => {
  it('a send that fails drops the claim; a claim of a stopped sender lapses after FINISH_CLAIM_MS', async () => {
    const batches = p.deps.batches?.store as DynamoBatchStore;
    const sent: string[] = [];
    let failNext = true;
    let nowMs = Date.now();
    const events = batchJobEvents({
      batches,
      sink: {
        send: async (b) => {
          if (failNext) {
            failNext = false;
            throw new Error('webhooks queue unavailable');
          }
          sent.push(b.batchId);
        },
      },
      log: silentLog,
      now: () => new Date(nowMs),
    });
    const header = (batchId: string) => ({
      batchId,
      tenantId: A,
      erp: 'siigo' as const,
      connectionId: 'main',
      environment: 'sandbox' as const,
      requestHash: 'h',
      total: 1,
      accepted: 1,
      rejected: 0,
      createdAt: new Date().toISOString(),
    });
    const job = (batchId: string) =>
      ({
        jobId: '00000000-0000-4000-8000-0000000000aa',
        tenantId: A,
        status: 'succeeded',
        batch: { batchId, index: 0 },
      }) as never;

    const failing = '3b0f6c2e-1d4a-4e5b-9c8d-7a6f5e4d3c2b';
    await batches.record(header(failing));
    await expect(events.finished(job(failing))).rejects.toThrow(/unavailable/);
    expect((await batches.get(A, failing))?.finishedAt).toBeUndefined();
    // The redelivered message's hook sends at once: the failed sender let go of its claim.
    await events.seenFinal(job(failing));
    expect(sent).toEqual([failing]);

    const stopped = '4c1a7d3f-2e5b-4f6c-8d9e-0b1c2d3e4f5a';
    await batches.record(header(stopped));
    expect(await batches.claimFinish(A, stopped, nowMs, nowMs + FINISH_CLAIM_MS)).toBe(true);
    await events.finished(job(stopped));
    expect(sent).toEqual([failing]);
    nowMs += FINISH_CLAIM_MS + 1_000;
    await events.seenFinal(job(stopped));
    expect(sent).toEqual([failing, stopped]);
    expect((await batches.get(A, stopped))?.finishedAt).toBeTruthy();
  });
});
