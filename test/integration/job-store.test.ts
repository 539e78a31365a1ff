import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoJobStore, InvalidCursorError } from '../../shared/jobs/dynamo-store';
import type { Job } from '../../shared/jobs/model';
import { dynamoForTest } from '../helpers/emulators';
import { sampleJob } from '../helpers/jobs';

let env: Awaited<ReturnType<typeof dynamoForTest>>;
let store: DynamoJobStore;

const job = sampleJob;

beforeAll(async () => {
  env = await dynamoForTest();
  store = new DynamoJobStore(env.db, env.table);
});
afterAll(() => env.close());

describe('DynamoJobStore', () => {
  it('create is conditional: a second create returns the first job untouched', async () => {
    const j = job({ requestHash: 'first' });
    expect((await store.create(j)).created).toBe(true);
    const again = await store.create({ ...j, requestHash: 'second' });
    expect(again.created).toBe(false);
    expect(again.job.requestHash).toBe('first');
  });

  it('keeps tenants apart: the same job id under another tenant is not found', async () => {
    const j = job();
    await store.create(j);
    expect(await store.get('tenant-b', j.jobId)).toBeUndefined();
    expect((await store.get('tenant-a', j.jobId))?.jobId).toBe(j.jobId);
  });

  it('lets exactly one of many concurrent claims win', async () => {
    const j = job();
    await store.create(j);
    const now = new Date();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        store.claim('tenant-a', j.jobId, { now, leaseMs: 60_000, leaseToken: `t${i}` }),
      ),
    );
    expect(results.filter((r) => r.kind === 'claimed')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'busy')).toHaveLength(7);
    const stored = await store.get('tenant-a', j.jobId);
    expect(stored?.attempts).toBe(1);
    expect(stored?.status).toBe('in_progress');
  });

  it('takes over an expired lease and asks for a look-up first', async () => {
    const j = job();
    await store.create(j);
    const t0 = new Date('2030-01-01T00:00:00Z');
    const first = await store.claim('tenant-a', j.jobId, { now: t0, leaseMs: 1000, leaseToken: 'a' });
    expect(first).toMatchObject({ kind: 'claimed', lookupFirst: false });
    const during = await store.claim('tenant-a', j.jobId, {
      now: new Date(t0.getTime() + 500),
      leaseMs: 1000,
      leaseToken: 'b',
    });
    expect(during.kind).toBe('busy');
    const after = await store.claim('tenant-a', j.jobId, {
      now: new Date(t0.getTime() + 5000),
      leaseMs: 1000,
      leaseToken: 'c',
    });
    expect(after).toMatchObject({ kind: 'claimed', lookupFirst: true });
    // The old holder can no longer write.
    const stale = await store.update(
      (first as { job: Job }).job,
      { status: 'succeeded' },
      { leaseToken: 'a' },
    );
    expect(stale).toBeUndefined();
  });

  it('does not claim a retry before it is due, and reports final jobs', async () => {
    const future = new Date(Date.now() + 60_000).toISOString();
    const j = job({ status: 'retry_scheduled', nextAttemptAt: future });
    await store.create(j);
    expect(
      (await store.claim('tenant-a', j.jobId, { now: new Date(), leaseMs: 1000, leaseToken: 'x' })).kind,
    ).toBe('not_due');
    const done = job({ status: 'succeeded' });
    await store.create(done);
    expect(
      (await store.claim('tenant-a', done.jobId, { now: new Date(), leaseMs: 1000, leaseToken: 'x' })).kind,
    ).toBe('final');
    expect(
      (await store.claim('tenant-a', randomUUID(), { now: new Date(), leaseMs: 1000, leaseToken: 'x' })).kind,
    ).toBe('missing');
  });

  it('update is conditional on the status the caller saw', async () => {
    const j = job();
    await store.create(j);
    const moved = await store.update(j, { status: 'failed' });
    expect(moved?.status).toBe('failed');
    expect(await store.update(j, { status: 'succeeded' })).toBeUndefined();
  });

  it('lists newest first, filters, and pages with a cursor bound to the tenant', async () => {
    const tenant = `list-${randomUUID().slice(0, 8)}`;
    for (let i = 0; i < 5; i++) {
      await store.create(
        job({
          tenantId: tenant,
          createdAt: `2030-01-0${i + 1}T00:00:00.000Z`,
          status: i % 2 ? 'failed' : 'queued',
        }),
      );
    }
    const p1 = await store.list(tenant, { limit: 2 });
    expect(p1.items.map((j) => j.createdAt.slice(0, 10))).toEqual(['2030-01-05', '2030-01-04']);
    const p2 = await store.list(tenant, { limit: 2, cursor: p1.nextCursor });
    expect(p2.items.map((j) => j.createdAt.slice(0, 10))).toEqual(['2030-01-03', '2030-01-02']);
    const failed = await store.list(tenant, { limit: 10, status: 'failed' });
    expect(failed.items.map((j) => j.status)).toEqual(['failed', 'failed']);
    await expect(store.list('someone-else', { limit: 2, cursor: p1.nextCursor })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
  });

  it('indexes only unfinished jobs as due, by the time they should have moved', async () => {
    const erp = 'sage';
    const old = '2020-01-01T00:00:00.000Z';
    const stuck = job({ erp, updatedAt: old, createdAt: old });
    const fresh = job({ erp });
    const done = job({ erp, status: 'succeeded', updatedAt: old, createdAt: old });
    for (const j of [stuck, fresh, done]) await store.create(j);
    const due = await store.listDue(erp, new Date(Date.now() - 60_000), 100);
    expect(due.map((j) => j.jobId)).toEqual([stuck.jobId]);
    await store.update(stuck, { status: 'succeeded' });
    expect(await store.listDue(erp, new Date(Date.now() - 60_000), 100)).toEqual([]);
  });
});
