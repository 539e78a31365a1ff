import { describe, expect, it } from 'vitest';
import { simulators } from '../../local/simulators';
import { capture, registerSecrets } from '../helpers/leak-guard';
import { formatHistogram, histogram, type LoadReport, runLoad, wrongEnds } from '../load/driver';

/**
 * Issues 6 and 18, small: the load run of `npm run test:load` inside npm test. No timing assertion here (speed
 * goals live in the full run): with only transient faults every job ends succeeded with exactly one customer;
 * with some permanent faults (400) those jobs, and only those, end failed.
 */
function check(r: LoadReport, requests: number) {
  for (const j of r.jobs) capture('record', JSON.stringify(j));
  console.info(
    `load-small: ${r.accepted} accepted, ${r.acceptedPerSecond}/s, p50 ${r.p50LatencyMs} ms, p99 ${r.p99LatencyMs} ms, drained in ${r.drainMs} ms\n${formatHistogram(histogram(r))}`,
  );
  expect(r.rejected).toBe(0);
  expect(r.unanswered).toBe(0);
  expect(r.accepted).toBe(requests);
  expect(r.lost).toEqual([]);
  expect(wrongEnds(r)).toEqual([]);
  for (const [jobId, n] of r.customersPerJob) expect(n, jobId).toBe(r.permanent.has(jobId) ? 0 : 1);
}

describe('load (small)', () => {
  it('150 creates across 5 tenants and 2 ERPs with 5 % transient faults: every job succeeded, one customer each', async () => {
    for (const s of Object.values(simulators)) registerSecrets(s?.demoCredentials);
    const r = await runLoad({
      requests: 150,
      tenants: 5,
      erps: ['netsuite', 'next'],
      faultRate: 0.05,
      // Under the test's own timeout, so a slow drain reports its lost jobs instead of timing out.
      drainTimeoutMs: 150_000,
    });
    expect(r.permanent.size).toBe(0);
    expect(histogram(r).statuses).toEqual({ succeeded: 150 });
    check(r, 150);
  }, 240_000);

  it('60 creates with transient faults and every 12th create refused (400): exactly those fail', async () => {
    for (const s of Object.values(simulators)) registerSecrets(s?.demoCredentials);
    const r = await runLoad({
      requests: 60,
      tenants: 5,
      erps: ['netsuite', 'next'],
      faultRate: 0.05,
      permanentEvery: 12,
    });
    expect(r.permanent.size).toBe(5);
    expect(histogram(r).statuses).toEqual({ succeeded: 55, failed: 5 });
    expect(histogram(r).errorCodes).toEqual({ upstream_rejected: 5 });
    check(r, 60);
  }, 240_000);
});
