import { createApiHandler } from '../functions/api/handler';
import { httpApiEvent, lambdaContext } from '../local/api-server';
import type { ApiDeps } from '../shared/api/deps';
import { loadConfig } from '../shared/config';
import type { JobStore } from '../shared/jobs/store';
import { apiDeps } from '../shared/runtime/wiring';
import { BENCH_TENANT, benchCustomer, benchSiigoConnection, type Emulators, quiet } from './env';
import { fmt, median } from './stats';

/** A JobStore that counts `get` (the wait's reads) and finishes every job `finishAfterMs` after it was recorded. */
function countingJobs(inner: JobStore, finishAfterMs: number) {
  const stats = { gets: 0 };
  const jobs: JobStore = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'get') {
        return (t: string, id: string) => {
          stats.gets++;
          return target.get(t, id);
        };
      }
      if (prop === 'create') {
        return async (job: Parameters<JobStore['create']>[0]) => {
          const r = await target.create(job);
          // Stands in for the worker: the job succeeds after the ERP's latency.
          setTimeout(() => {
            void target.update(
              r.job,
              { status: 'succeeded', erpCustomerId: 'bench', updatedAt: new Date().toISOString() },
              { expectStatus: ['queued'] },
            );
          }, finishAfterMs);
          return r;
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
  return { jobs, stats };
}

export interface WaitResult {
  finishAfterMs: number;
  readsPerRequest: number;
  /** How long after the job was final the answer came (the cost of polling instead of being told). */
  overshootMs: number;
}

/**
 * `Prefer: wait` through the real API handler on the emulators, with the job finishing `finishAfterMs` after it
 * is recorded: the extra job reads per request and how late the answer is.
 */
export async function benchWait(
  env: Emulators,
  finishAfterMs: number,
  requests: number,
): Promise<WaitResult> {
  const q = await env.queue(`bench-wait-${finishAfterMs}`);
  process.env.JOB_QUEUE_URLS = JSON.stringify({ siigo: q.url });
  const base = apiDeps(loadConfig(), quiet, await benchSiigoConnection(env.dataDir, 'setup'));
  const { jobs, stats } = countingJobs(base.jobs, finishAfterMs);
  const deps: ApiDeps = { ...base, jobs };
  const api = createApiHandler(() => deps);
  const reads: number[] = [];
  const late: number[] = [];
  for (let i = 0; i < requests; i++) {
    const before = stats.gets;
    const t = performance.now();
    const r = await api(
      httpApiEvent({
        method: 'POST',
        url: new URL('http://bench/v1/customers'),
        headers: {
          'content-type': 'application/json',
          'x-erp': 'siigo',
          'x-connection': 'bench-siigo',
          prefer: 'wait=25',
        },
        body: JSON.stringify(benchCustomer(900_000 + finishAfterMs + i)),
        tenantId: BENCH_TENANT,
      }),
      lambdaContext('api'),
    );
    if (r.statusCode !== 201) throw new Error(`waited create answered ${r.statusCode}: ${r.body}`);
    reads.push(stats.gets - before);
    late.push(performance.now() - t - finishAfterMs);
  }
  return { finishAfterMs, readsPerRequest: median(reads), overshootMs: median(late) };
}

export interface BatchThroughput {
  items: number;
  batchItemsPerSecond: number;
  singleItemsPerSecond: number;
}

/** 500 customers as one POST /v1/customers/batch vs 500 POST /v1/customers, serially, same handler and emulators. */
export async function benchBatchAccept(env: Emulators, items: number): Promise<BatchThroughput> {
  const q = await env.queue('bench-batch');
  process.env.JOB_QUEUE_URLS = JSON.stringify({ siigo: q.url });
  const deps = apiDeps(loadConfig(), quiet, await benchSiigoConnection(env.dataDir, 'setup'));
  const api = createApiHandler(() => deps);
  const ctx = lambdaContext('api');
  const headers = { 'content-type': 'application/json', 'x-erp': 'siigo', 'x-connection': 'bench-siigo' };
  const call = (path: string, body: unknown) =>
    api(
      httpApiEvent({
        method: 'POST',
        url: new URL(`http://bench${path}`),
        headers,
        body: JSON.stringify(body),
        tenantId: BENCH_TENANT,
      }),
      ctx,
    );

  let t = performance.now();
  for (let i = 0; i < items; i++) {
    const r = await call('/v1/customers', benchCustomer(1_000_000 + i));
    if (r.statusCode !== 202) throw new Error(`single create answered ${r.statusCode}`);
  }
  const singleSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const r = await call('/v1/customers/batch', {
    items: Array.from({ length: items }, (_, i) => ({
      itemId: `b${i}`,
      customer: benchCustomer(2_000_000 + i),
    })),
  });
  if (r.statusCode !== 202 || JSON.parse(r.body ?? '{}').accepted !== items) {
    throw new Error(`batch answered ${r.statusCode}: ${(r.body ?? '').slice(0, 300)}`);
  }
  const batchSeconds = (performance.now() - t) / 1000;
  return { items, batchItemsPerSecond: items / batchSeconds, singleItemsPerSecond: items / singleSeconds };
}

type RowFn = (layer: string, measure: string, ratio: number, target: string, pass: boolean) => void;

/** The issue 16 rows of `npm run bench`: the wait's extra reads and the batch accept throughput. */
export async function answersRows(env: Emulators, quick: boolean, row: RowFn): Promise<void> {
  for (const finishAfterMs of [300, 2_000, 8_000]) {
    const w = await benchWait(env, finishAfterMs, quick ? 2 : 5);
    // Against a client polling every 100 ms, what "hammering" would cost.
    const tight = Math.max(1, finishAfterMs / 100);
    // The backoff reaches its 2 s ceiling after ~6 reads; past that, one read per 2 s.
    const budget = Math.ceil(finishAfterMs / 2_000) + 5;
    row(
      `wait reads (job final after ${fmt(finishAfterMs / 1000, 1)} s)`,
      `${w.readsPerRequest} extra GetItem per waited create (vs ${fmt(tight, 0)} polling every 100 ms); answered ${fmt(w.overshootMs, 0)} ms after the job was final`,
      w.readsPerRequest / tight,
      `≤ ${budget} reads, ≤ 2.5 s late`,
      w.readsPerRequest <= budget && w.overshootMs <= 2_500,
    );
  }
  const batch = await benchBatchAccept(env, quick ? 100 : 500);
  row(
    `batch accept (${batch.items} items)`,
    `${fmt(batch.batchItemsPerSecond, 0)} items/s in one POST /v1/customers/batch vs ${fmt(batch.singleItemsPerSecond, 0)} items/s as serial single creates`,
    batch.batchItemsPerSecond / batch.singleItemsPerSecond,
    '≥ 3',
    batch.batchItemsPerSecond / batch.singleItemsPerSecond >= 3,
  );
}
