import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { simulators } from '../../local/simulators';
import type { Fault } from '../../local/simulators/kit';
import { startLocalStack } from '../../local/stack';
import type { ErpId } from '../../shared/erps/types';
import { isFinal, type Job } from '../../shared/jobs/model';
import { generateApiKey, hashApiKey } from '../../shared/tenants/api-keys';

/**
 * The load run (issues 6 and 18): autocannon against the local stack (in-process, random ports), creates
 * spread over tenants and ERPs, the simulators injecting faults into a share of the creates; then the drain.
 * Returns the figures and every accepted job, so callers assert that every job ended as it must (succeeded,
 * or failed where a permanent fault was aimed at it), no loss and no duplicate.
 */
export interface LoadOptions {
  requests: number;
  tenants: number;
  erps: ErpId[];
  /** Share of creates that meet a transient fault (5xx, reset, timeout, dropped answer, 429), 0..1. */
  faultRate: number;
  /** Every n-th request's create is refused with a 400 (a permanent fault): those jobs, and only those, fail. */
  permanentEvery?: number;
  connections?: number;
  drainTimeoutMs?: number;
  /** Print the drain's progress every minute (the long run). */
  progress?: boolean;
}

export interface LoadReport {
  accepted: number;
  rejected: number;
  /** Requests with no answer at all (connection errors, timeouts): the run cannot vouch for their jobs. */
  unanswered: number;
  acceptedPerSecond: number;
  p50LatencyMs: number;
  p99LatencyMs: number;
  drainMs: number;
  faultsInjected: number;
  jobs: Job[];
  /** Customers in each simulator whose record names the job's marker, per job id. */
  customersPerJob: Map<string, number>;
  lost: string[];
  /** Jobs whose create met a permanent fault: they must end failed, every other job succeeded. */
  permanent: Set<string>;
}

const marker = (n: number) => `ld${n}x`;

/** The method each ERP's create uses (NetSuite upserts with PUT), so faults meet creates and nothing else. */
const CREATE_METHOD: Partial<Record<ErpId, string>> = { netsuite: 'PUT' };

/** A 400 in the shape NEXT and NetSuite both classify as a validation error. */
const PERMANENT: Fault = {
  type: 'status',
  status: 400,
  body: {
    title: 'Bad Request',
    status: 400,
    detail: 'Invalid value for field customertypeid',
    'o:errorDetails': [
      { detail: 'Invalid value for field customertypeid', 'o:errorCode': 'INVALID_FLD_VALUE' },
    ],
  },
};

function customer(erp: ErpId, n: number): Record<string, unknown> {
  const m = marker(n);
  const base = { personType: 'company', name: { company: `Load ${m}` }, email: `${m}@example.com` };
  if (erp === 'next')
    return {
      ...base,
      externalId: `LD-${m}`,
      billingAddress: { lines: ['Storgata 1'], city: 'Oslo', postalCode: '0155', country: 'NO' },
      erpFields: { customertypeid: 1 },
    };
  if (erp === 'quickbooks')
    return {
      ...base,
      billingAddress: {
        lines: ['1 Main St'],
        city: 'Malibu',
        stateCode: 'CA',
        postalCode: '90265',
        country: 'US',
      },
      currency: 'USD',
    };
  return {
    ...base,
    externalId: `LD-${m}`,
    billingAddress: { lines: ['Cra. 18 #79A - 42'], city: 'Bogotá', country: 'CO' },
  };
}

export async function runLoad(opts: LoadOptions): Promise<LoadReport> {
  // A lease well above one attempt under load (a look-up and a create of ≤ 800 ms each, pacing, a busy
  // machine), so no live attempt is taken over; no worker is killed in this run.
  process.env.JOB_LEASE_SECONDS ??= '15';
  process.env.UPSTREAM_TIMEOUT_MS ??= '800';
  process.env.SWEEP_STUCK_AFTER_SECONDS ??= '3';
  // A short backoff cap keeps the run short; the rules (and the ERPs' own Retry-After) are the same.
  process.env.RETRY_MAX_DELAY_MS ??= '5000';
  process.env.TENANT_RATE_LIMIT_PER_MINUTE ??= '1000000';
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-bridge-load-'));
  const stack = await startLocalStack({
    dataDir,
    apiPort: 0,
    randomPorts: true,
    persist: false,
    sweepEverySeconds: 1,
  });
  try {
    const keys: string[] = [];
    for (let t = 0; t < opts.tenants; t++) {
      const tenantId = `load-${t}`;
      const key = generateApiKey();
      await stack.tenants.putKey(hashApiKey(key), { tenantId, createdAt: new Date().toISOString() });
      keys.push(key);
      for (const erp of opts.erps) {
        await stack.connections.put({
          tenantId,
          connectionId: `demo-${erp}`,
          erp,
          environment: 'sandbox',
          credentials: simulators[erp]?.demoCredentials,
        });
      }
    }

    // Permanent faults first: each is aimed at one customer's create, ahead of the transient ones in the queue.
    const permanentMarkers = new Set<string>();
    if (opts.permanentEvery) {
      for (let n = opts.permanentEvery - 1; n < opts.requests; n += opts.permanentEvery) {
        const erp = opts.erps[n % opts.erps.length] as ErpId;
        permanentMarkers.add(marker(n));
        stack.simulators[erp]?.addFaults({
          ...PERMANENT,
          match: { method: CREATE_METHOD[erp] ?? 'POST', body: marker(n) },
        });
      }
    }
    // Transient faults spread over the run: queued on each simulator, consumed by creates as they come.
    const kinds: Fault[] = [
      { type: 'status', status: 503, body: { message: 'unavailable' } },
      { type: 'reset' },
      { type: 'delay', delayMs: 1500 },
      { type: 'drop' },
      { type: 'status', status: 429, headers: { 'Retry-After': '1' }, body: { message: 'slow down' } },
    ];
    let faultsInjected = 0;
    const perErp = Math.ceil(opts.requests / opts.erps.length);
    for (const erp of opts.erps) {
      const n = Math.round(perErp * opts.faultRate);
      const sim = stack.simulators[erp];
      for (let i = 0; i < n; i++) {
        sim?.addFaults({
          ...(kinds[i % kinds.length] as Fault),
          match: { method: CREATE_METHOD[erp] ?? 'POST' },
        });
      }
      faultsInjected += n;
    }

    let seq = 0;
    const accepted = new Map<string, { tenant: number; erp: ErpId; n: number }>();
    let rejected = 0;
    const started = Date.now();
    const result = await autocannon({
      url: stack.url,
      connections: opts.connections ?? 20,
      amount: opts.requests,
      // A busy machine answers slowly; a request given up on would leave a job the run cannot account for.
      timeout: 120,
      requests: [
        {
          method: 'POST',
          path: '/v1/customers',
          setupRequest: (req: Record<string, unknown>, ctx: Record<string, unknown>) => {
            const n = seq++;
            const tenant = n % opts.tenants;
            const erp = opts.erps[n % opts.erps.length] as ErpId;
            ctx.sent = { tenant, erp, n };
            return {
              ...req,
              headers: {
                'content-type': 'application/json',
                authorization: `Bearer ${keys[tenant]}`,
                'x-erp': erp,
                'x-connection': `demo-${erp}`,
                'idempotency-key': `load-${n}`,
              },
              body: JSON.stringify(customer(erp, n)),
            };
          },
          onResponse: (status: number, body: string, ctx: Record<string, unknown>) => {
            if (status === 202) {
              accepted.set(JSON.parse(body).jobId, ctx.sent as { tenant: number; erp: ErpId; n: number });
            } else rejected++;
          },
        },
      ],
    } as autocannon.Options);
    const acceptSeconds = (Date.now() - started) / 1000;

    // The drain: every accepted job final, or the deadline.
    const drainStart = Date.now();
    const deadline = drainStart + (opts.drainTimeoutMs ?? 240_000);
    let pending = [...accepted.entries()];
    const final = new Map<string, Job>();
    let reported = Date.now();
    while (pending.length && Date.now() < deadline) {
      if (opts.progress && Date.now() - reported >= 60_000) {
        reported = Date.now();
        console.info(
          `  … ${final.size} final, ${pending.length} pending after ${Math.round((reported - drainStart) / 1000)} s`,
        );
      }
      const still: typeof pending = [];
      for (const [jobId, s] of pending) {
        const j = await stack.jobs.get(`load-${s.tenant}`, jobId);
        if (j && isFinal(j.status)) final.set(jobId, j);
        else still.push([jobId, s]);
      }
      pending = still;
      if (pending.length) await new Promise((r) => setTimeout(r, 500));
    }
    const drainMs = Date.now() - drainStart;

    const customersPerJob = new Map<string, number>();
    const states = new Map(
      opts.erps.map((erp) => {
        const state = stack.simulators[erp]?.state() as { customers?: unknown[] } | undefined;
        return [erp, (state?.customers ?? []).map((c) => JSON.stringify(c).toLowerCase())];
      }),
    );
    const byMarker = new Map<string, number>();
    for (const list of states.values()) {
      for (const c of list) {
        const m = /ld(\d+)x/.exec(c);
        if (m) byMarker.set(m[0], (byMarker.get(m[0]) ?? 0) + 1);
      }
    }
    for (const [jobId, s] of accepted) customersPerJob.set(jobId, byMarker.get(marker(s.n)) ?? 0);

    return {
      accepted: accepted.size,
      rejected,
      unanswered: result.errors,
      acceptedPerSecond: Math.round((accepted.size / acceptSeconds) * 10) / 10,
      p50LatencyMs: result.latency.p50,
      p99LatencyMs: result.latency.p99,
      drainMs,
      faultsInjected,
      jobs: [...final.values()],
      customersPerJob,
      lost: pending.map(([id]) => id),
      permanent: new Set(
        [...accepted].filter(([, s]) => permanentMarkers.has(marker(s.n))).map(([jobId]) => jobId),
      ),
    };
  } finally {
    await stack.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** What the run ended with: final statuses, error codes, and every attempt outcome and event on the way. */
export function histogram(r: Pick<LoadReport, 'jobs'>) {
  const count = (m: Record<string, number>, k: string) => {
    m[k] = (m[k] ?? 0) + 1;
  };
  const statuses: Record<string, number> = {};
  const errorCodes: Record<string, number> = {};
  const events: Record<string, number> = {};
  for (const j of r.jobs) {
    count(statuses, j.status);
    if (j.status !== 'succeeded' && j.error) count(errorCodes, j.error.code);
    for (const h of j.history) {
      if (h.omitted) for (const [e, n] of Object.entries(h.omitted)) events[e] = (events[e] ?? 0) + n;
      else count(events, h.outcome ? `${h.event} (${h.outcome})` : h.event);
    }
  }
  return { statuses, errorCodes, events };
}

/** The histogram as lines for a report. */
export function formatHistogram(h: ReturnType<typeof histogram>): string {
  const line = (m: Record<string, number>) =>
    Object.entries(m)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || '—';
  return [
    `final statuses      ${line(h.statuses)}`,
    `error codes         ${line(h.errorCodes)}`,
    `history events      ${line(h.events)}`,
  ].join('\n');
}

/** Jobs that did not end as their faults say they must: failed if a permanent fault was aimed at them, else succeeded. */
export function wrongEnds(r: Pick<LoadReport, 'jobs' | 'permanent'>) {
  return r.jobs
    .filter((j) => j.status !== (r.permanent.has(j.jobId) ? 'failed' : 'succeeded'))
    .map((j) => ({ jobId: j.jobId, erp: j.erp, status: j.status, error: j.error?.code }));
}
