import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { ConnectionStore, StoredConnection } from '../../shared/connections/store';
import { nextAdapter } from '../../shared/erps/next/adapter';
import type { CreateOutcome, ErpAdapter, LookupOutcome } from '../../shared/erps/types';
import { DynamoJobStore } from '../../shared/jobs/dynamo-store';
import { HISTORY_COMPACTED, type Job, MAX_HISTORY } from '../../shared/jobs/model';
import type { DueJob, JobStore } from '../../shared/jobs/store';
import { createMemoryPacer } from '../../shared/pacing/memory-pacer';
import type { Pacer } from '../../shared/pacing/pacer';
import type { JobMessage } from '../../shared/queue/message';
import type { JobQueue, MessageControl } from '../../shared/queue/queue';
import type { WorkerDeps } from '../../shared/worker/deps';
import { processMessage } from '../../shared/worker/process-message';
import { RATE_LIMIT_BUDGET_MS } from '../../shared/worker/retry-policy';
import { sweep } from '../../shared/worker/sweeper';
import { dynamoForTest } from '../helpers/emulators';
import { silentLog } from '../helpers/pipeline';

/**
 * Issue 18's rules, one test each, on the worker and the sweeper themselves: the real claim and job store on
 * DynamoDB (dynalite), a scripted ERP, a clock of our own, and a message control that records what the worker
 * did with each message (re-sent with a delay, visibility moved, dead-lettered).
 */

const TENANT = 'rules';
const CONN = 'c1';
let clock = Date.parse('2031-03-01T12:00:00.000Z');
const now = () => new Date(clock);
const advance = (ms: number) => {
  clock += ms;
};

let closeDynamo: () => Promise<void>;
let jobs: DynamoJobStore;

beforeAll(async () => {
  const d = await dynamoForTest();
  closeDynamo = d.close;
  jobs = new DynamoJobStore(d.db, d.table);
});
afterAll(() => closeDynamo?.());

/** A scripted ERP: each create/look-up takes the next scripted outcome and is counted. */
function scriptedErp(worker: Partial<ErpAdapter['worker']> = {}, createRequests?: number) {
  const calls: ('create' | 'lookup')[] = [];
  const creates: CreateOutcome[] = [];
  const lookups: LookupOutcome[] = [];
  const adapter: ErpAdapter<{ key: string }> = {
    id: 'siigo',
    displayName: 'Scripted',
    credentialsSchema: z.strictObject({ key: z.string() }),
    capabilities: {
      upstreamIdempotency: 'lookup',
      lookupBy: ['externalId'],
      environments: ['sandbox', 'production'],
      inlineCredentials: false,
      rateLimit: { requests: 10, perSeconds: 1, scope: 'company', concurrency: 2 },
    },
    worker: {
      maxAttempts: 3,
      timeoutMs: 1_000,
      baseDelayMs: 1_000,
      maxDelayMs: 60_000,
      maxConcurrency: 2,
      batchSize: 1,
      ...worker,
    },
    endpoints: {},
    requirements: () => [],
    ...(createRequests ? { createRequests: () => createRequests } : {}),
    buildCreateRequest: () => ({
      method: 'POST',
      url: 'https://erp.example/customers',
      headers: {},
      body: {},
    }),
    async create() {
      calls.push('create');
      return creates.shift() ?? { kind: 'created', erpCustomerId: `erp-${calls.length}` };
    },
    async lookup() {
      calls.push('lookup');
      return lookups.shift() ?? { kind: 'not_found' };
    },
    async verify() {
      return { kind: 'ok' };
    },
  };
  return { adapter: adapter as unknown as ErpAdapter<unknown>, calls, creates, lookups };
}

const connection: StoredConnection = {
  tenantId: TENANT,
  connectionId: CONN,
  erp: 'siigo',
  environment: 'sandbox',
  status: 'active',
  credentials: { key: 'k' },
  createdAt: '2031-01-01T00:00:00.000Z',
  updatedAt: '2031-01-01T00:00:00.000Z',
};
const connections = {
  get: async (t: string, c: string) => (t === TENANT && c === CONN ? connection : undefined),
  setStatus: async () => undefined,
} as unknown as ConnectionStore;

/** What the worker did with the messages it was handed. */
function recordingControl() {
  const resent: { body: string; delaySeconds: number; groupId?: string }[] = [];
  const visibility: number[] = [];
  const deadLettered: string[] = [];
  const control: MessageControl = {
    async retryLater(_rh, seconds) {
      visibility.push(seconds);
    },
    async resend(body, delaySeconds, groupId) {
      resent.push({ body, delaySeconds, groupId });
    },
    async deadLetter(_body, reason) {
      deadLettered.push(reason);
    },
  };
  return { control, resent, visibility, deadLettered };
}

/** A pacer that records every reservation and hold, on top of the in-memory one. */
function spyPacer() {
  const inner = createMemoryPacer();
  const reserved: number[] = [];
  const holds: number[] = [];
  const pacer: Pacer = {
    async reserve(key, limits, cost, nowMs) {
      reserved.push(cost);
      return inner.reserve(key, limits, cost, nowMs);
    },
    acquire: (key, limit, ttl, nowMs) => inner.acquire(key, limit, ttl, nowMs),
    async holdUntil(key, untilMs) {
      holds.push(untilMs);
      return inner.holdUntil(key, untilMs);
    },
    block: (scope, untilMs) => inner.block(scope, untilMs),
    blockedUntil: (scope, nowMs) => inner.blockedUntil(scope, nowMs),
  };
  return { pacer, reserved, holds };
}

function setup(
  opts: { worker?: Partial<ErpAdapter['worker']>; createRequests?: number; pacer?: Pacer } = {},
) {
  const erp = scriptedErp(opts.worker, opts.createRequests);
  const ctl = recordingControl();
  const deps: WorkerDeps = {
    adapter: erp.adapter,
    jobs,
    connections,
    control: ctl.control,
    http: { request: () => Promise.reject(new Error('no network in this test')) },
    tokens: { get: async () => 'token', invalidate: () => undefined, dropConnection: () => undefined },
    locks: { withLock: (_k, _o, fn) => fn() },
    leaseMs: 30_000,
    log: silentLog,
    pacer: opts.pacer,
    now,
    random: () => 0.999,
  };
  return { ...erp, ...ctl, deps };
}

/** A job the API recorded and queued (its message sent, not yet received). */
async function acceptedJob(over: Partial<Job> = {}): Promise<Job> {
  const t = now().toISOString();
  const job: Job = {
    jobId: randomUUID(),
    tenantId: TENANT,
    erp: 'siigo',
    connectionId: CONN,
    environment: 'sandbox',
    status: 'queued',
    customer: { personType: 'company', name: { company: 'Rules' }, type: 'customer', active: true },
    requestHash: 'h',
    source: 'api',
    attempts: 0,
    maxAttempts: 3,
    history: [{ at: t, event: 'accepted', status: 'queued' }],
    createdAt: t,
    updatedAt: t,
    enqueuedAt: t,
    ...over,
  };
  await jobs.create(job);
  return job;
}

const messageFor = (job: Job): JobMessage => ({
  version: 1,
  jobId: job.jobId,
  tenantId: job.tenantId,
  connectionId: job.connectionId,
  customer: job.customer as unknown as Record<string, unknown>,
});

/** Hands one message for the job to the worker, as the event source would. */
function deliver(s: ReturnType<typeof setup>, job: Job) {
  return processMessage(
    { messageId: randomUUID(), body: JSON.stringify(messageFor(job)), receiptHandle: randomUUID() },
    s.deps,
  );
}

const get = async (job: Job) => (await jobs.get(TENANT, job.jobId)) as Job;

function recordingQueue() {
  const sent: JobMessage[] = [];
  const queue: JobQueue = {
    async send(_erp, m) {
      sent.push(m);
    },
  };
  return { queue, sent };
}

const sweepNow = (queue: JobQueue, store: JobStore = jobs, stuckAfterMs = 120_000) =>
  sweep({ jobs: store, queue, log: silentLog, now }, ['siigo'], stuckAfterMs);

/** Only this test's jobs are swept (the table is shared by the file). */
function onlyJobs(ids: string[], store: JobStore = jobs): JobStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'listDue' || prop === 'listUnconfirmed') {
        const list = target[prop]?.bind(target);
        return async (erp: 'siigo', before: Date, limit: number) =>
          ((await list?.(erp, before, limit)) ?? []).filter((d) => ids.includes(d.jobId));
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

describe('rule 1: the sweeper re-queues only jobs that are really stuck', () => {
  it('leaves a job waiting behind a backlog alone, however long it waits (its message is in flight)', async () => {
    const waiting = await acceptedJob();
    const q = recordingQueue();
    for (const later of [60_000, 3_600_000, 3 * 86_400_000]) {
      advance(later);
      expect((await sweepNow(q.queue, onlyJobs([waiting.jobId]))).requeued).toBe(0);
    }
    expect(q.sent).toEqual([]);
  });

  it('leaves a retry whose delayed message is in flight alone, even long past its due time', async () => {
    const s = setup();
    const job = await acceptedJob();
    s.creates.push({ kind: 'transient', upstream: { erp: 'siigo', status: 503, message: 'busy' } });
    expect(await deliver(s, job)).toBe('ack');
    const retry = await get(job);
    expect(retry.status).toBe('retry_scheduled');
    expect(s.resent).toHaveLength(1);
    const q = recordingQueue();
    advance(Date.parse(retry.nextAttemptAt as string) - clock + 10 * 60_000);
    expect((await sweepNow(q.queue, onlyJobs([job.jobId]))).requeued).toBe(0);
  });

  it('re-queues a job never queued, a lease left by a dead worker, and an overdue job with no message — each once per due time', async () => {
    const t = now().toISOString();
    const neverQueued = await acceptedJob({ enqueuedAt: undefined });
    const seen = new Date(clock + 1000).toISOString();
    const leaseEnded = await acceptedJob({
      status: 'in_progress',
      attempts: 1,
      leaseUntil: new Date(clock + 30_000).toISOString(),
      leaseToken: 'dead-worker',
      messageSeenAt: seen,
    });
    const noMessage = await acceptedJob({
      status: 'retry_scheduled',
      attempts: 1,
      nextAttemptAt: new Date(clock + 5_000).toISOString(),
      enqueuedAt: t,
      messageSeenAt: seen,
    });
    const ids = [neverQueued.jobId, leaseEnded.jobId, noMessage.jobId];
    const q = recordingQueue();
    expect((await sweepNow(q.queue, onlyJobs(ids))).requeued).toBe(0);
    advance(31_000 + 120_000);
    expect((await sweepNow(q.queue, onlyJobs(ids))).requeued).toBe(3);
    expect(q.sent.map((m) => m.jobId).sort()).toEqual([...ids].sort());
    for (const id of ids) {
      const j = (await jobs.get(TENANT, id)) as Job;
      expect(j.history.at(-1)).toMatchObject({ event: 'requeued_by_sweeper', actor: 'sweeper' });
    }
    expect((await jobs.get(TENANT, neverQueued.jobId))?.history.at(-1)?.message).toBe('never_queued');
    expect((await jobs.get(TENANT, leaseEnded.jobId))?.history.at(-1)?.message).toBe('lease_expired');
    // Their copies are in flight now: later sweeps leave them alone.
    for (const later of [60_000, 3_600_000]) {
      advance(later);
      expect((await sweepNow(q.queue, onlyJobs(ids))).requeued).toBe(0);
    }
    expect(q.sent).toHaveLength(3);
  });
  it('a copy sent while a worker held the job (and dropped as busy) does not count as in flight', async () => {
    const s = setup();
    // The local stack restarted with an empty queue while this job was in progress: every job is re-queued.
    const job = await acceptedJob({
      status: 'in_progress',
      attempts: 1,
      leaseUntil: new Date(clock + 20_000).toISOString(),
      leaseToken: 'the-process-that-died',
      messageSeenAt: now().toISOString(),
    });
    const q = recordingQueue();
    advance(1_000);
    await sweep({ jobs: onlyJobs([job.jobId]), queue: q.queue, log: silentLog, now }, ['siigo'], 10_000, {
      messagesLost: true,
    });
    expect(q.sent).toHaveLength(1);
    // The copy finds the job busy (the lease still runs) and is dropped.
    expect(await deliver(s, job)).toBe('ack');
    expect(s.calls).toEqual([]);
    // Once the lease has run out, the sweeper sends another, which takes the job over.
    advance(19_000 + 10_001);
    expect((await sweepNow(q.queue, onlyJobs([job.jobId]), 10_000)).requeued).toBe(1);
    expect((await get(job)).history.at(-1)?.message).toBe('lease_expired');
    await deliver(s, job);
    expect(s.calls).toEqual(['lookup', 'create']);
    expect(await get(job)).toMatchObject({ status: 'succeeded', attempts: 2 });
  });
});

describe('rule 2: every message for a job obeys nextAttemptAt', () => {
  it('a duplicate message for an outcome_unknown job waits for its time and runs no attempt', async () => {
    const s = setup();
    const job = await acceptedJob();
    s.creates.push({ kind: 'unknown', upstream: { erp: 'siigo', code: 'timeout', message: 'no answer' } });
    await deliver(s, job);
    const unknown = await get(job);
    expect(unknown).toMatchObject({ status: 'outcome_unknown', attempts: 1 });
    const delayMs = unknown.history.at(-1)?.delayMs as number;
    expect(delayMs).toBeGreaterThan(0);

    // A second copy (the sweeper's, a redelivery) arrives at once, then 1 ms before the recorded delay is over.
    for (const at of [0, delayMs - 1]) {
      advance(at - (clock - Date.parse(unknown.updatedAt)));
      s.resent.length = 0;
      expect(await deliver(s, job)).toBe('ack');
      expect(s.calls).toEqual(['create']);
      expect(await get(job)).toMatchObject({ status: 'outcome_unknown', attempts: 1 });
      // Sent round again, to arrive no earlier than the job's time, and no receive spent.
      expect(s.resent).toHaveLength(1);
      expect((s.resent[0]?.delaySeconds as number) * 1000).toBeGreaterThanOrEqual(
        Date.parse(unknown.nextAttemptAt as string) - clock,
      );
      expect(s.visibility).toEqual([]);
    }
    // On time: the next attempt looks up first.
    advance(1);
    await deliver(s, job);
    expect(s.calls).toEqual(['create', 'lookup', 'create']);
    expect(await get(job)).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('chains a wait longer than SQS allows (15 min) in hops, each one early and harmless', async () => {
    const s = setup();
    const job = await acceptedJob();
    s.creates.push({
      kind: 'rate_limited',
      retryAfterMs: 3_600_000,
      upstream: { erp: 'siigo', status: 429, message: 'blocked for an hour' },
    });
    await deliver(s, job);
    expect(s.resent.map((r) => r.delaySeconds)).toEqual([900]);
    for (let hop = 0; hop < 3; hop++) {
      advance(900_000);
      await deliver(s, job);
    }
    expect(s.calls).toEqual(['create']);
    expect(s.resent.map((r) => r.delaySeconds)).toEqual([900, 900, 900, 900]);
    advance(900_000);
    await deliver(s, job);
    expect(s.calls).toEqual(['create', 'create']);
    expect((await get(job)).status).toBe('succeeded');
  });
});

describe('rule 3: rate limiting is not failure', () => {
  const throttled = (retryAfterMs?: number): CreateOutcome => ({
    kind: 'rate_limited',
    retryAfterMs,
    upstream: { erp: 'siigo', status: 429, message: 'Too Many Requests' },
  });

  it('429s beyond the attempt budget still end in one created customer; no wait costs a receive', async () => {
    const s = setup({ pacer: spyPacer().pacer });
    const job = await acceptedJob();
    const n = job.maxAttempts + 3;
    s.creates.push(...Array.from({ length: n }, () => throttled(2_000)));
    for (let i = 0; i <= n; i++) {
      const j = await get(job);
      if (j.nextAttemptAt) advance(Math.max(0, Date.parse(j.nextAttemptAt) - clock));
      await deliver(s, job);
    }
    const done = await get(job);
    expect(done).toMatchObject({ status: 'succeeded', attempts: n + 1, rateLimited: n });
    expect(s.deadLettered).toEqual([]);
    // Every wait was a delayed copy of the message, never a visibility change (which SQS counts as a receive).
    expect(s.resent).toHaveLength(n);
    expect(s.visibility).toEqual([]);
    // Each wait honoured the ERP's hint.
    const waits = done.history.filter((h) => h.outcome === 'rate_limited');
    expect(waits).toHaveLength(n);
    for (const w of waits) expect(w.delayMs).toBeGreaterThanOrEqual(2_000);
  });

  it('a real failure after 429s still has its whole budget', async () => {
    const s = setup();
    const job = await acceptedJob();
    const busy = { kind: 'transient' as const, upstream: { erp: 'siigo', status: 503, message: 'busy' } };
    s.creates.push(throttled(), throttled(), throttled(), busy, busy);
    for (let i = 0; i < 6; i++) {
      const j = await get(job);
      if (j.nextAttemptAt) advance(Math.max(0, Date.parse(j.nextAttemptAt) - clock));
      await deliver(s, job);
    }
    expect(await get(job)).toMatchObject({ status: 'succeeded', attempts: 6, rateLimited: 3 });
  });

  it('is bounded by time instead: still rate limited 24 h after the first 429 → dead-lettered, explained', async () => {
    const s = setup();
    const job = await acceptedJob();
    s.creates.push(throttled(60_000));
    await deliver(s, job);
    const first = await get(job);
    expect(first.rateLimitedSince).toBe(now().toISOString());
    advance(RATE_LIMIT_BUDGET_MS);
    s.creates.push(throttled(60_000));
    await deliver(s, job);
    const done = await get(job);
    expect(done).toMatchObject({ status: 'dead_lettered', rateLimited: 1 });
    expect(done.error?.message).toMatch(/still rate limited/);
    expect(s.deadLettered).toEqual(['attempts_exhausted']);
  });

  it("the ERP's hint holds the connection's shared pacing state: another job of it waits too", async () => {
    const spy = spyPacer();
    const s = setup({ pacer: spy.pacer });
    const a = await acceptedJob();
    const b = await acceptedJob();
    s.creates.push(throttled(30_000));
    await deliver(s, a);
    expect(spy.holds).toEqual([clock + 30_000]);
    await deliver(s, b);
    expect(s.calls).toEqual(['create']);
    const paced = await get(b);
    expect(paced).toMatchObject({ status: 'retry_scheduled', attempts: 0 });
    expect(Date.parse(paced.paceSlotAt as string)).toBeGreaterThanOrEqual(clock + 30_000);
  });
});

describe('rule 4: look-ups are paced like creates', () => {
  it('an attempt reserves one slot per upstream request it makes: look-up first, the create, its own extra requests', async () => {
    const spy = spyPacer();
    const s = setup({ pacer: spy.pacer, createRequests: 2 });
    const job = await acceptedJob({ status: 'outcome_unknown' });
    await deliver(s, job);
    expect(s.calls).toEqual(['lookup', 'create']);
    // 1 look-up + a create that makes 2 requests (as NEXT's does when it checks a known externalId first).
    expect(spy.reserved).toEqual([3]);
    expect(nextAdapter.createRequests?.({ externalId: 'X' } as never)).toBe(2);
  });

  it('the look-up after a duplicate takes its own slot, or comes back for it as outcome_unknown', async () => {
    const spy = spyPacer();
    const s = setup({ pacer: spy.pacer });
    const dup: CreateOutcome = {
      kind: 'duplicate',
      upstream: { erp: 'siigo', code: 'already_exists', message: 'exists' },
    };
    const one = await acceptedJob();
    s.creates.push(dup);
    s.lookups.push({ kind: 'found', erpCustomerId: 'erp-existing', provenBy: 'externalId' });
    await deliver(s, one);
    expect(s.calls).toEqual(['create', 'lookup']);
    expect(spy.reserved).toEqual([1, 1]);
    expect(await get(one)).toMatchObject({ status: 'succeeded', reconciled: true });

    // Now the connection's next free slot for the look-up is 10 s away: it is not sent now.
    const later: Pacer = {
      ...spy.pacer,
      async reserve(_key, _limits, cost, nowMs) {
        spy.reserved.push(cost);
        return spy.reserved.length === 3 ? nowMs : nowMs + 10_000;
      },
    };
    s.deps.pacer = later;
    const two = await acceptedJob();
    s.calls.length = 0;
    s.creates.push(dup);
    await deliver(s, two);
    expect(s.calls).toEqual(['create']);
    expect(spy.reserved).toEqual([1, 1, 1, 1]);
    const waiting = await get(two);
    expect(waiting).toMatchObject({ status: 'outcome_unknown' });
    expect(waiting.paceSlotAt).toBe(new Date(clock + 10_000).toISOString());
    expect(waiting.history.at(-1)).toMatchObject({ event: 'paced', outcome: 'duplicate' });
    // At its slot it looks up first (the held slot, no new reservation) and finds the customer.
    advance(10_000);
    s.lookups.push({ kind: 'found', erpCustomerId: 'erp-existing', provenBy: 'externalId' });
    await deliver(s, two);
    expect(s.calls).toEqual(['create', 'lookup']);
    expect(spy.reserved).toHaveLength(4);
    expect(await get(two)).toMatchObject({ status: 'succeeded', reconciled: true });
  });
});

describe('rule 4b: a wait for a concurrent slot holds no rate slot', () => {
  it("back from the queue, the job takes its turn anew instead of going unpaced at the wait's end", async () => {
    const spy = spyPacer();
    let free = false;
    const pacer: Pacer = {
      ...spy.pacer,
      acquire: async (k, l, ttl, n) => (free ? spy.pacer.acquire(k, l, ttl, n) : undefined),
    };
    const s = setup({ pacer });
    connection.limits = { requests: 100, perSeconds: 60, concurrency: 1 };
    try {
      const job = await acceptedJob();
      await deliver(s, job);
      expect(s.calls).toEqual([]);
      const waiting = await get(job);
      expect(waiting).toMatchObject({ status: 'retry_scheduled' });
      expect(waiting.paceSlotAt).toBeUndefined();
      expect(spy.reserved).toEqual([1]);
      free = true;
      advance(Date.parse(waiting.nextAttemptAt as string) - clock);
      await deliver(s, job);
      expect(s.calls).toEqual(['create']);
      expect(spy.reserved).toEqual([1, 1]);
      expect(await get(job)).toMatchObject({ status: 'succeeded' });
    } finally {
      delete connection.limits;
    }
  });
});

describe('rule 5: every attempt leaves a trace', () => {
  it('numbers each attempt once; a pacing wait (no call) is traced without a number', async () => {
    const spy = spyPacer();
    const s = setup({ pacer: spy.pacer });
    const job = await acceptedJob();
    await spy.pacer.holdUntil(`siigo#${TENANT}#${CONN}`, clock + 5_000);
    s.creates.push({ kind: 'transient', upstream: { erp: 'siigo', status: 503, message: 'busy' } });
    for (let i = 0; i < 4; i++) {
      const j = await get(job);
      if (j.status === 'succeeded') break;
      if (j.nextAttemptAt) advance(Math.max(0, Date.parse(j.nextAttemptAt) - clock));
      await deliver(s, job);
    }
    const done = await get(job);
    expect(done.status).toBe('succeeded');
    expect(done.history.map((h) => [h.event, h.attempt])).toEqual([
      ['accepted', undefined],
      ['paced', undefined],
      ['retry_scheduled', 1],
      ['created', 2],
    ]);
  });

  it('a long history is bounded, and the entries it drops are counted, not lost', async () => {
    const s = setup();
    const job = await acceptedJob();
    const n = MAX_HISTORY + 10;
    s.creates.push(
      ...Array.from({ length: n }, () => ({
        kind: 'rate_limited' as const,
        upstream: { erp: 'siigo', status: 429, message: 'slow down' },
      })),
    );
    for (let i = 0; i <= n; i++) {
      const j = await get(job);
      if (j.nextAttemptAt) advance(Math.max(0, Date.parse(j.nextAttemptAt) - clock));
      await deliver(s, job);
    }
    const done = await get(job);
    expect(done).toMatchObject({ status: 'succeeded', attempts: n + 1 });
    expect(done.history).toHaveLength(MAX_HISTORY);
    const summary = done.history[1];
    expect(summary?.event).toBe(HISTORY_COMPACTED);
    // Kept + counted = every entry ever written: accepted, n rate-limit waits, created.
    const kept = done.history.filter((h) => h.event !== HISTORY_COMPACTED);
    const counted = Object.values(summary?.omitted ?? {}).reduce((a, b) => a + b, 0);
    expect(kept.length + counted).toBe(n + 2);
    const keptAttempts = kept.filter((h) => h.attempt !== undefined).map((h) => h.attempt);
    expect(keptAttempts.at(-1)).toBe(n + 1);
    expect(summary?.omitted?.retry_scheduled).toBe(n + 1 - keptAttempts.length);
  });

  it('the sweeper never writes over entries an attempt added after it read the job', async () => {
    const s = setup();
    // Overdue with no message in flight: stuck. A late copy of its message reaches a worker just as the sweeper
    // reads it, and the attempt ends as the job was (retry_scheduled) with one more history entry.
    const job = await acceptedJob({
      status: 'retry_scheduled',
      attempts: 1,
      nextAttemptAt: now().toISOString(),
      messageSeenAt: new Date(clock + 1).toISOString(),
    });
    const q = recordingQueue();
    const racing: JobStore = new Proxy(jobs, {
      get(target, prop, receiver) {
        if (prop === 'get') {
          return async (t: string, id: string) => {
            const read = await target.get(t, id);
            if (id === job.jobId) {
              s.creates.push({ kind: 'transient', upstream: { erp: 'siigo', status: 503, message: 'busy' } });
              await deliver(s, job);
            }
            return read;
          };
        }
        return Reflect.get(target, prop, receiver);
      },
    });
    advance(121_000);
    await sweepNow(q.queue, onlyJobs([job.jobId], racing));
    const after = await get(job);
    expect(after).toMatchObject({ status: 'retry_scheduled', attempts: 2 });
    expect(after.history.map((h) => [h.event, h.attempt])).toEqual([
      ['accepted', undefined],
      ['retry_scheduled', 2],
    ]);
  });
});

describe('issue 12 §5: the sweeper decides on the item, not on a stale index copy', () => {
  it('a stale index copy neither blocks a stuck job nor re-queues a finished one', async () => {
    // A stuck job (overdue, its message consumed) that the index still shows as it was when first queued.
    const stuck = await acceptedJob({
      status: 'retry_scheduled',
      attempts: 1,
      nextAttemptAt: now().toISOString(),
      messageSeenAt: new Date(clock + 1).toISOString(),
    });
    const staleCopy = { ...stuck, status: 'queued' as const, attempts: 0, dueAt: stuck.createdAt };
    // A finished job the index still lists as due.
    const finished = await acceptedJob({ status: 'succeeded', erpCustomerId: 'x' });
    const staleFinished = { ...finished, status: 'queued' as const, dueAt: finished.createdAt };
    const staleIndex: JobStore = new Proxy(jobs, {
      get(target, prop, receiver) {
        if (prop === 'listDue') return async () => [staleCopy, staleFinished] as unknown as DueJob[];
        return Reflect.get(target, prop, receiver);
      },
    });
    const q = recordingQueue();
    advance(121_000);
    expect((await sweepNow(q.queue, staleIndex)).requeued).toBe(1);
    expect(q.sent.map((m) => m.jobId)).toEqual([stuck.jobId]);
    const requeued = await get(stuck);
    expect(requeued).toMatchObject({ status: 'retry_scheduled', attempts: 1 });
    expect(requeued.history.at(-1)).toMatchObject({ event: 'requeued_by_sweeper' });
    expect((await get(finished)).status).toBe('succeeded');
  });
});

describe('issue 13 §3: maxReceiveCount stays a net for crashes', () => {
  it('a job whose workers keep dying is dead-lettered by the worker once its attempts are spent', async () => {
    const s = setup();
    // Every attempt so far was lost (each takeover counts one); the last holder's lease has run out.
    const job = await acceptedJob({
      status: 'in_progress',
      attempts: 3,
      leaseUntil: now().toISOString(),
      leaseToken: 'dead',
      messageSeenAt: now().toISOString(),
    });
    advance(1);
    expect(await deliver(s, job)).toBe('ack');
    expect(s.calls).toEqual([]);
    const done = await get(job);
    expect(done).toMatchObject({
      status: 'dead_lettered',
      attempts: 4,
      error: { code: 'attempts_exhausted' },
    });
    expect(done.history.map((h) => [h.event, h.attempt])).toEqual([
      ['accepted', undefined],
      ['attempt_lost', 3],
      ['dead_lettered', 4],
    ]);
    expect(s.deadLettered).toEqual(['attempts_exhausted']);
  });
});
