import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../../shared/worker/backoff';

const opts = { baseDelayMs: 1000, maxDelayMs: 60_000 };

describe('backoff with full jitter', () => {
  it('stays within [0, base·2^(n-1)] and grows with the attempt', () => {
    for (let attempt = 1; attempt <= 6; attempt++) {
      const ceiling = 1000 * 2 ** (attempt - 1);
      expect(backoffDelayMs(attempt, opts, () => 0)).toBe(0);
      expect(backoffDelayMs(attempt, opts, () => 0.999999)).toBe(ceiling - 1);
    }
  });

  it('is capped at maxDelayMs however many attempts', () => {
    expect(backoffDelayMs(30, opts, () => 0.999999)).toBeLessThan(60_000);
    expect(backoffDelayMs(30, opts, () => 0.5)).toBe(30_000);
  });

  it('never comes back before the ERP hint', () => {
    expect(backoffDelayMs(1, { ...opts, hintMs: 45_000 }, () => 0.1)).toBe(45_000);
    expect(backoffDelayMs(8, { ...opts, hintMs: 100 }, () => 0.5)).toBe(30_000);
  });

  it('spreads retries (jitter) rather than synchronising them', () => {
    const seen = new Set(Array.from({ length: 50 }, () => backoffDelayMs(5, opts)));
    expect(seen.size).toBeGreaterThan(20);
  });
});
