import { describe, expect, it } from 'vitest';
import { MAX_WAIT_SECONDS, parsePrefer } from '../../shared/answers/prefer';
import { WAIT_POLL, waitForFinalJob } from '../../shared/answers/wait';
import type { Job } from '../../shared/jobs/model';
import { sampleJob } from '../helpers/jobs';

/** A fake clock: sleeping moves time, so the schedule is checked without waiting. */
function clock(start = 1_700_000_000_000) {
  let t = start;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
    },
  };
}

describe('waitForFinalJob: reads with backoff, never in a tight loop', () => {
  it('a job that never finishes costs a bounded number of reads over the longest wait', async () => {
    const c = clock();
    const job = sampleJob();
    let reads = 0;
    const r = await waitForFinalJob(job, c.now() + MAX_WAIT_SECONDS * 1000, {
      ...c,
      jobs: {
        get: async () => {
          reads++;
          return job;
        },
      },
    });
    expect(r.final).toBe(false);
    expect(r.reads).toBe(reads);
    // 150 ms growing 1.5× to 2 s: 18 reads in 25 s (a tight 50 ms loop would make 500).
    expect(reads).toBeLessThanOrEqual(18);
    expect(reads).toBeGreaterThan(5);
  });

  it('returns as soon as a read sees the job final', async () => {
    const c = clock();
    const job = sampleJob();
    const done: Job = { ...job, status: 'succeeded', erpCustomerId: 'x1' };
    let n = 0;
    const r = await waitForFinalJob(job, c.now() + 10_000, {
      ...c,
      jobs: { get: async () => (++n >= 3 ? done : job) },
    });
    expect(r).toMatchObject({ final: true, reads: 3, job: { erpCustomerId: 'x1' } });
    expect(c.now() - 1_700_000_000_000).toBe(WAIT_POLL.firstMs * (1 + 1.5 + 2.25));
  });

  it('stops at once when the job runs again only after the deadline (no read could see it finish)', async () => {
    const c = clock();
    const job: Job = {
      ...sampleJob(),
      status: 'retry_scheduled',
      nextAttemptAt: new Date(c.now() + 60_000).toISOString(),
    };
    const r = await waitForFinalJob(job, c.now() + 10_000, { ...c, jobs: { get: async () => job } });
    expect(r.reads).toBe(0);
  });
});

describe('parsePrefer (RFC 7240)', () => {
  it.each([
    ['wait=10', 10, 'wait=10'],
    ['respond-async, wait=5', 5, 'wait=5'],
    ['WAIT="7"; foo=bar', 7, 'wait=7'],
    ['wait=3, wait=9', 3, 'wait=3'],
    ['wait=120', MAX_WAIT_SECONDS, `wait=${MAX_WAIT_SECONDS}`],
    ['respond-async', 0, 'respond-async'],
    ['return=minimal', 0, undefined],
    // RFC 7240 §2: whitespace around "=" (BWS) is allowed.
    ['wait = 4', 4, 'wait=4'],
    [' respond-async ,wait=6 ', 6, 'wait=6'],
    // §2: a preference the server does not know MUST be ignored, so a misspelt name is not an error; the answer
    // then carries no Preference-Applied, which is how a client sees it (documented in docs/answers.md).
    ['wiat=5', 0, undefined],
    [undefined, 0, undefined],
  ])('%s → wait %s, applied %s', (header, wait, applied) => {
    expect(parsePrefer(header)).toMatchObject({ waitSeconds: wait, applied });
  });
  it.each(['wait', 'wait=', 'wait=-1', 'wait=1.5', 'wait=soon', 'wait=5s', 'wait=１０', 'wait=99999999999'])(
    '%s is refused naming the header',
    (h) => {
      expect(() => parsePrefer(h)).toThrow(/whole number/);
    },
  );
});
