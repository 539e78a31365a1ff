// npm run test:load — the full load run (issue 6, item 7): 5,000 creates, 20 tenants, NetSuite and NEXT, 5 % faults.
import { runLoad } from './driver';

const requests = Number(process.env.LOAD_REQUESTS ?? 5000);
const r = await runLoad({
  requests,
  tenants: 20,
  erps: ['netsuite', 'next'],
  faultRate: 0.05,
  connections: 40,
  drainTimeoutMs: 900_000,
});
const duplicates = [...r.customersPerJob.values()].filter((n) => n > 1).length;
const missing = r.jobs.filter((j) => j.status === 'succeeded' && r.customersPerJob.get(j.jobId) !== 1).length;
const notSucceeded = r.jobs.filter((j) => j.status !== 'succeeded').length;
console.info(
  [
    `requests            ${requests} (${r.faultsInjected} creates met a fault)`,
    `accepted            ${r.accepted} (rejected ${r.rejected})`,
    `accepted/s          ${r.acceptedPerSecond}`,
    `accept latency      p50 ${r.p50LatencyMs} ms, p99 ${r.p99LatencyMs} ms`,
    `time to drain       ${(r.drainMs / 1000).toFixed(1)} s`,
    `lost jobs           ${r.lost.length}`,
    `not succeeded       ${notSucceeded}`,
    `duplicate customers ${duplicates}`,
    `succeeded, no customer ${missing}`,
  ].join('\n'),
);
process.exit(r.lost.length || duplicates || missing || r.rejected ? 1 : 0);
