import './quiet-logs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { benchAccept } from './accept';
import { answersRows } from './answers';
import { awsCallsTable } from './calls';
import { benchColdStart } from './cold-start';
import { costPerMillion, jobWriteUnits, total } from './cost';
import { diff, installCounters, resetCounts, snapshot } from './counters';
import { benchDrain } from './drain';
import { startEmulators } from './env';
import { PRICES } from './prices';
import { fmt } from './stats';
import { benchWorker } from './worker';

/**
 * `npm run bench`: every layer against a bare baseline measured in the same run, one table, PASS/FAIL per
 * row against issue 7's targets; also written to bench/results.md with the machine. BENCH_DRAIN_JOBS sets
 * the backlog per ERP (default 1000: ~10 minutes, Siigo allows 100/min); BENCH_QUICK=1 shrinks every sample.
 */
const quick = process.env.BENCH_QUICK === '1';
const drainJobs = Number(process.env.BENCH_DRAIN_JOBS ?? (quick ? 100 : 1000));
const MiB = 1024 * 1024;

interface Row {
  layer: string;
  measure: string;
  ratio: string;
  target: string;
  pass: boolean;
}
const rows: Row[] = [];
const row = (layer: string, measure: string, ratio: number, target: string, pass: boolean) =>
  rows.push({ layer, measure, ratio: fmt(ratio), target, pass });

installCounters();
const env = await startEmulators();
const log = (s: string) => process.stderr.write(`${s}\n`);

log('accept path…');
const accept = await benchAccept(env, { rounds: quick ? 4 : 10, perRound: quick ? 50 : 100 });
row(
  'accept (p50)',
  `ours ${fmt(accept.ours.p50)} ms / bare ${fmt(accept.bare.p50)} ms (p99 ${fmt(accept.ours.p99)} / ${fmt(accept.bare.p99)})`,
  accept.ours.p50 / accept.bare.p50,
  '≤ 1.3',
  accept.ours.p50 / accept.bare.p50 <= 1.3,
);
row('accept (p99)', `n=${accept.calls} each`, accept.ours.p99 / accept.bare.p99, 'info', true);

log('Prefer: wait and batches…');
await answersRows(env, quick, row);

log('worker path…');
const worker = await benchWorker(env, { jobs: quick ? 100 : 300 });
row(
  'worker per job',
  `ours ${fmt(worker.oursMs)} ms / bare ${fmt(worker.bareMs)} ms; ${fmt(1000 / worker.oursMs, 0)} jobs/s serial, ${fmt(worker.parallelJobsPerSecond, 0)} jobs/s with ${worker.concurrency} loops`,
  worker.oursMs / worker.bareMs,
  '≤ 1.3',
  worker.oursMs / worker.bareMs <= 1.3,
);

log('cold starts…');
// The worker's own configuration (ERP and its queues), as its Lambda has it.
const coldQueue = await env.queue('bench-cold');
const cold = await benchColdStart(
  {
    ...process.env,
    ERP: 'siigo',
    JOB_QUEUE_URL: coldQueue.url,
    DEAD_LETTER_QUEUE_URL: coldQueue.dlqUrl,
    WEBHOOK_QUEUE_URL: coldQueue.url,
    WEBHOOK_DEAD_LETTER_QUEUE_URL: coldQueue.dlqUrl,
    POWERTOOLS_METRICS_NAMESPACE: 'bench',
  },
  quick ? 3 : 7,
);
for (const c of cold) {
  if (c.error) {
    row(`cold start ${c.fn}`, `not measured: ${c.error}`, Number.NaN, '≤ 1.5, ≤ 1 MiB', false);
    continue;
  }
  const ratio = c.ms / c.bareMs;
  row(
    `cold start ${c.fn}`,
    `${fmt(c.bytes / 1024, 0)} KiB (bare ${fmt(c.bareBytes / 1024, 0)} KiB); ${fmt(c.ms, 0)} ms / bare ${fmt(c.bareMs, 0)} ms`,
    ratio,
    '≤ 1.5, ≤ 1 MiB',
    ratio <= 1.5 && c.bytes <= MiB,
  );
}

log(`drain: ${drainJobs} jobs per ERP at the documented limits…`);
resetCounts();
const { results: drain, acceptCounts } = await benchDrain(env, drainJobs);
const counts = snapshot();
const workCounts = diff(counts, acceptCounts);
for (const d of drain) {
  const eff = d.achievedPerSecond / d.documentedPerSecond;
  row(
    `drain ${d.erp}`,
    `${d.succeeded}/${d.jobs} in ${fmt(d.seconds, 1)} s: ${fmt(d.achievedPerSecond * 60, 1)}/min of ${fmt(d.documentedPerSecond * 60, 0)}/min; 429s: ${d.throttled}`,
    eff,
    '≥ 0.9, 0 × 429',
    eff >= 0.9 && d.throttled === 0 && d.succeeded === d.jobs,
  );
}

// Cost, from the drain's counters (accept + work of every customer it created).
const created = drain.reduce((s, d) => s + d.succeeded, 0);
const items = await env.db.send(new ScanCommand({ TableName: env.table, Limit: 200 }));
const jobItems = (items.Items ?? []).filter((i) => String(i.sk).startsWith('JOB#') && i.erpCustomerId);
const jobItemKb = jobItems.length
  ? jobItems.reduce((s, i) => s + Buffer.byteLength(JSON.stringify(i)), 0) / jobItems.length / 1024
  : 2;
const ours = costPerMillion(counts, created, { jobItemKb, authorizerMs: 5 });
const naive = costPerMillion(counts, created, { jobItemKb, authorizerMs: 5, naive: true });
row(
  'cost per 1 M customers',
  `ours $${fmt(total(ours))} / naive $${fmt(total(naive))} (prices ${PRICES.date}, ${PRICES.region})`,
  total(ours) / total(naive),
  '< 1',
  total(ours) < total(naive),
);
const accepted = acceptCounts['lambda:api:invocations'] ?? 0;
const calls = awsCallsTable(acceptCounts, workCounts, accepted, created);
row(
  'AWS calls per accepted request',
  `${fmt(calls.acceptTotal)} (floor 2: 1 DynamoDB put + 1 SQS send)`,
  calls.acceptTotal / 2,
  '≤ 1.1',
  calls.acceptTotal / 2 <= 1.1,
);
row(
  'AWS calls per job (worker)',
  `${fmt(calls.jobTotal)} (floor 3: claim + result write + SQS delete); guards on their own rows below`,
  calls.jobTotal / 3,
  'info',
  true,
);
const jobWrites = (k: Record<string, number>) =>
  Object.entries(k)
    .filter(([key]) => /^dynamodb:(Put|Update|Delete):job(:|$)/.test(key))
    .reduce((s, [, v]) => s + v, 0);
const wcuPerJob = ((jobWrites(counts) * jobWriteUnits(jobItemKb)) / created) as number;
row(
  'DynamoDB write units per job (job item)',
  `${fmt(jobWrites(counts) / created)} job writes × ${jobWriteUnits(jobItemKb)} WU (item ${fmt(jobItemKb, 2)} KB + gsi1 + gsi2)`,
  wcuPerJob / (3 * jobWriteUnits(jobItemKb)),
  'info',
  true,
);
const drainMinutes = Math.max(...drain.map((d) => d.seconds)) / 60;
const periods = Math.ceil((drainMinutes * 60) / 300);
const smReads = counts['secretsmanager:GetSecretValue:worker'] ?? 0;
row(
  'Secrets Manager reads',
  `${smReads} worker reads for 2 connections over ${fmt(drainMinutes, 1)} min (${periods} cache periods of 300 s)`,
  smReads / (2 * periods),
  '≤ 1 per connection per period',
  smReads <= 2 * periods,
);

const cpus = os.cpus();
const machine = `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${fmt(os.totalmem() / 1024 ** 3, 1)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;
const table = [
  '| layer | measured | ratio | target | result |',
  '|---|---|---|---|---|',
  ...rows.map(
    (r) => `| ${r.layer} | ${r.measure} | ${r.ratio} | ${r.target} | ${r.pass ? 'PASS' : 'FAIL'} |`,
  ),
].join('\n');
const costTable = [
  '| per 1 M customers | ours: count | ours: USD | naive: count | naive: USD |',
  '|---|---|---|---|---|',
  ...ours.map(
    (l, i) =>
      `| ${l.item} | ${fmt(l.perMillion, 0)} | ${fmt(l.usd)} | ${fmt(naive[i]?.perMillion ?? 0, 0)} | ${fmt(naive[i]?.usd ?? 0)} |`,
  ),
  `| **total** | | **${fmt(total(ours))}** | | **${fmt(total(naive))}** |`,
].join('\n');
process.stdout.write(`\n${table}\n\n${calls.markdown}\n\n${costTable}\n\nmachine: ${machine}\n`);
const md = `# Bench results

\`npm run bench\` on ${new Date().toISOString().slice(0, 10)}; machine: ${machine}.
Drain backlog: ${drainJobs} jobs per ERP. Prices: AWS list prices of ${PRICES.date}, ${PRICES.region} (bench/prices.ts).

${table}

## AWS calls against the floor

From the drain run's counters: accepting ${accepted} requests, then working ${created} jobs at the ERPs' documented
limits (pacing on). The floor: accept = 1 DynamoDB put + 1 SQS send; a job = 1 claim + 1 result write + 1 SQS
delete, credentials cached. Everything else is on its own row with its reason.

${calls.markdown}

## Cost model

Job item ≈ ${fmt(jobItemKb, 2)} KB; a job write costs ${jobWriteUnits(jobItemKb)} write units (table + gsi1 + gsi2, bench/cost.ts). Naive = batch size 1 and no credential cache.

${costTable}

Raw counters of the drain run (${created} customers):

\`\`\`json
${JSON.stringify(counts, null, 1)}
\`\`\`
`;
fs.writeFileSync(path.join(import.meta.dirname, 'results.md'), md);
await env.close();
process.exit(0);
