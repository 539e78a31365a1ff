// npm run test:load — the full load run (issues 6 and 18): 5,000 creates, 20 tenants, NetSuite and NEXT, 5 %
// transient faults: every accepted job must end succeeded with exactly one customer. Then a mixed run where
// some creates meet a permanent fault (400): those jobs, and only those, must end failed.
import type { LoadOptions } from './driver';

// Quiet handlers (as in npm test): the report is what this prints. Set before the handlers are loaded.
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
const { formatHistogram, histogram, runLoad, wrongEnds } = await import('./driver');

const requests = Number(process.env.LOAD_REQUESTS ?? 5000);
const mixedRequests = Number(process.env.LOAD_MIXED_REQUESTS ?? 1000);

async function run(name: string, opts: LoadOptions): Promise<boolean> {
  const r = await runLoad(opts);
  const duplicates = [...r.customersPerJob.values()].filter((n) => n > 1).length;
  const missing = r.jobs.filter(
    (j) => j.status === 'succeeded' && r.customersPerJob.get(j.jobId) !== 1,
  ).length;
  const created = r.jobs.filter((j) => !r.permanent.has(j.jobId) && r.customersPerJob.get(j.jobId) !== 1);
  const wrong = wrongEnds(r);
  console.info(
    [
      `── ${name}`,
      `requests            ${opts.requests} (${r.faultsInjected} creates met a transient fault, ${r.permanent.size} a permanent one)`,
      `accepted            ${r.accepted} (rejected ${r.rejected}, unanswered ${r.unanswered})`,
      `accepted/s          ${r.acceptedPerSecond}`,
      `accept latency      p50 ${r.p50LatencyMs} ms, p99 ${r.p99LatencyMs} ms`,
      `time to drain       ${(r.drainMs / 1000).toFixed(1)} s`,
      `lost jobs           ${r.lost.length}`,
      `not succeeded       ${r.jobs.filter((j) => j.status !== 'succeeded').length} (expected ${r.permanent.size})`,
      `ended wrong         ${wrong.length}${wrong.length ? ` ${JSON.stringify(wrong.slice(0, 5))}` : ''}`,
      `duplicate customers ${duplicates}`,
      `succeeded, no customer ${missing}`,
      formatHistogram(histogram(r)),
    ].join('\n'),
  );
  return !(
    r.lost.length ||
    duplicates ||
    missing ||
    created.length ||
    wrong.length ||
    r.rejected ||
    r.unanswered ||
    r.accepted !== opts.requests
  );
}

// The drain deadline is a bound, not a target: a busy 2-core machine drained 5,000 in 28 minutes.
const common = {
  tenants: 20,
  erps: ['netsuite', 'next'],
  connections: 40,
  drainTimeoutMs: 3_600_000,
  progress: true,
} as const;
const ok = await run('transient faults only', {
  ...common,
  erps: [...common.erps],
  requests,
  faultRate: 0.05,
});
const mixedOk =
  mixedRequests > 0
    ? await run('transient and permanent faults', {
        ...common,
        erps: [...common.erps],
        requests: mixedRequests,
        faultRate: 0.05,
        permanentEvery: 50,
      })
    : true;
process.exit(ok && mixedOk ? 0 : 1);
