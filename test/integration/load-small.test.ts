import { describe, expect, it } from 'vitest';
import { simulators } from '../../local/simulators';
import { capture, registerSecrets } from '../helpers/leak-guard';
import { runLoad } from '../load/driver';

/**
 * Issue 6, item 7, small: the load run of `npm run test:load` at 150 requests, 5 tenants, 2 ERPs and 5 %
 * faults. No timing assertion here (speed goals live in the full run): only no job lost, no customer twice.
 */
describe('load (small)', () => {
  it('150 creates across 5 tenants and 2 ERPs with 5 % faults: every job final, one customer each', async () => {
    for (const s of Object.values(simulators)) registerSecrets(s?.demoCredentials);
    const r = await runLoad({
      requests: 150,
      tenants: 5,
      erps: ['netsuite', 'next'],
      faultRate: 0.05,
    });
    for (const j of r.jobs) capture('record', JSON.stringify(j));
    console.info(
      `load-small: ${r.accepted} accepted, ${r.acceptedPerSecond}/s, p50 ${r.p50LatencyMs} ms, p99 ${r.p99LatencyMs} ms, drained in ${r.drainMs} ms`,
    );
    expect(r.rejected).toBe(0);
    expect(r.accepted).toBe(150);
    expect(r.lost).toEqual([]);
    const notSucceeded = r.jobs
      .filter((j) => j.status !== 'succeeded')
      .map((j) => [j.erp, j.status, j.error?.code]);
    expect(notSucceeded).toEqual([]);
    const counts = [...r.customersPerJob.values()];
    expect(counts.filter((c) => c !== 1)).toEqual([]);
  }, 180_000);
});
