import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoPacer } from '../../shared/pacing/dynamo-pacer';
import { PACE_HEADROOM } from '../../shared/pacing/limits';
import { dynamoForTest } from '../helpers/emulators';
import { stark, startPipeline } from '../helpers/pipeline';

let dynamo: Awaited<ReturnType<typeof dynamoForTest>>;
let pacer: DynamoPacer;
beforeAll(async () => {
  dynamo = await dynamoForTest();
  pacer = new DynamoPacer(dynamo.db, dynamo.table);
});
afterAll(() => dynamo.close());

describe('DynamoPacer', () => {
  it('gives concurrent workers distinct slots, one emission interval apart', async () => {
    const limits = { requests: 10, perSeconds: 1 };
    const now = Date.now();
    // Separate pacers: separate processes with their own hints, one bucket.
    const workers = Array.from({ length: 4 }, () => new DynamoPacer(dynamo.db, dynamo.table));
    const slots = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (workers[i % 4] as DynamoPacer).reserve('rate', limits, 1, now)),
    );
    const sorted = [...slots].sort((a, b) => a - b);
    expect(sorted[0]).toBe(now);
    const gap = 100 / PACE_HEADROOM;
    for (let i = 1; i < sorted.length; i++) {
      expect((sorted[i] as number) - (sorted[i - 1] as number)).toBeCloseTo(gap, 3);
    }
  });

  it('keeps an ERP block for every process: the later end wins, and it lapses at its end', async () => {
    const t = Date.now();
    const other = new DynamoPacer(dynamo.db, dynamo.table);
    expect(await pacer.blockedUntil('scope-1', t)).toBeUndefined();
    await pacer.block('scope-1', t + 3_600_000);
    // Two workers recording the same block: an earlier end never shortens it.
    await Promise.all([other.block('scope-1', t + 60_000), other.block('scope-1', t + 3_660_000)]);
    expect(await other.blockedUntil('scope-1', t)).toBe(t + 3_660_000);
    expect(await pacer.blockedUntil('scope-2', t)).toBeUndefined();
    expect(await pacer.blockedUntil('scope-1', t + 3_660_000)).toBeUndefined();
  });

  it('an idle bucket starts again at now, not in the past', async () => {
    const limits = { requests: 1, perSeconds: 1 };
    const t = Date.now();
    expect(await pacer.reserve('idle', limits, 1, t)).toBe(t);
    expect(await pacer.reserve('idle', limits, 1, t + 60_000)).toBe(t + 60_000);
  });

  it('counts concurrent holders; a released or lapsed slot is free again', async () => {
    const t = Date.now();
    const a = await pacer.acquire('conc', 2, 1000, t);
    const b = await pacer.acquire('conc', 2, 1000, t);
    expect(a && b).toBeTruthy();
    expect(await pacer.acquire('conc', 2, 1000, t)).toBeUndefined();
    await a?.release();
    const c = await pacer.acquire('conc', 2, 1000, t);
    expect(c).toBeTruthy();
    // b and c are held, but b lapses at t + 1000 (a crashed worker).
    expect(await pacer.acquire('conc', 2, 1000, t + 1001)).toBeTruthy();
  });
});

describe('the worker waits for its slot in the queue', () => {
  let p: Awaited<ReturnType<typeof startPipeline>>;
  const A = 'tenant-paced';
  const headers = { 'x-erp': 'siigo', 'x-connection': 'slow' };
  beforeAll(async () => {
    p = await startPipeline();
    p.workerDeps.pacer = pacer;
    await p.tenant(A);
  });
  afterAll(() => p.close());
  const putSlow = (limits: unknown) =>
    p.api('PUT', '/v1/connections/slow', {
      tenantId: A,
      body: {
        erp: 'siigo',
        environment: 'sandbox',
        credentials: { username: 'u@x.co', accessKey: 'k-paced' },
        limits,
      },
    });

  it('rejects bad limits naming the field, and stores good ones with the connection', async () => {
    const bad = await putSlow({ requests: 0, perSeconds: 2 });
    expect(bad.status).toBe(422);
    expect(bad.json.error.details[0].pointer).toBe('/limits/requests');
    // A window under a second would make the cap on requests no cap on the rate (1 per 1e-9 s).
    const tiny = await putSlow({ requests: 1, perSeconds: 1e-9 });
    expect(tiny.status).toBe(422);
    expect(tiny.json.error.details[0].pointer).toBe('/limits/perSeconds');
    // 5 s apart: a slow CI machine still sees the second job wait (not slept inline).
    const ok = await putSlow({ requests: 1, perSeconds: 5 });
    expect(ok.status).toBe(201);
    expect(ok.json.limits).toEqual({ requests: 1, perSeconds: 5 });
    const got = await p.api('GET', '/v1/connections/slow', { tenantId: A });
    expect(got.json.limits).toEqual({ requests: 1, perSeconds: 5 });
  });

  it('a job over the limit shows retry_scheduled with nextAttemptAt, is not an attempt, then succeeds', async () => {
    const first = await p.api('POST', '/v1/customers', { tenantId: A, headers, body: stark });
    const second = await p.api('POST', '/v1/customers', {
      tenantId: A,
      headers,
      body: { ...stark, identification: { type: 'NIT', number: '800197268' } },
    });
    await p.pump();
    await p.pump();
    // One receive may hand both over at once, run side by side: either may win the free slot.
    const [a, b] = await Promise.all([p.jobs.get(A, first.json.jobId), p.jobs.get(A, second.json.jobId)]);
    const [done, paced] = a?.status === 'succeeded' ? [a, b] : [b, a];
    expect(done).toMatchObject({ status: 'succeeded', attempts: 1 });
    const waiting = await p.api('GET', `/v1/jobs/${paced?.jobId}`, { tenantId: A });
    expect(waiting.json).toMatchObject({ status: 'retry_scheduled', attempts: 0 });
    // Measured from the worker's decision, not from now (a long poll may have passed since).
    const last = waiting.json.history.at(-1);
    expect(last).toMatchObject({ event: 'paced', status: 'retry_scheduled' });
    const wait = Date.parse(waiting.json.nextAttemptAt) - Date.parse(last.at);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(5000 / PACE_HEADROOM);
    expect(p.erp.creates).not.toContain(paced?.jobId);

    const final = await p.runUntilFinal(A, paced?.jobId as string, 15_000);
    expect(final).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(final?.paceSlotAt).toBeUndefined();
    expect(final?.history.map((h) => h.event)).toEqual(['accepted', 'paced', 'created']);
    expect(p.erp.creates.filter((id) => id === paced?.jobId)).toHaveLength(1);
  });
});
