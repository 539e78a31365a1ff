import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { connectionLimitsBody } from '../../shared/api/connections';
import { CONNECTION_LIMITS_MAX, isConnectionLimits } from '../../shared/pacing/limits';

// The API checks a connection's limits with zod (its OpenAPI schema); the secret's tag is read back with a plain
// check so that the sweeper bundles no classic zod (issue 14 §4). One rule: the two must agree on every value.
describe('a connection limits check without zod agrees with the API schema', () => {
  const edge = (max: number) =>
    fc.oneof(
      fc.constantFrom(
        0,
        -1,
        1,
        0.5,
        1e-9,
        max,
        max + 1,
        max - 0.5,
        Number.NaN,
        Number.POSITIVE_INFINITY,
        2 ** 53,
      ),
      fc.integer({ min: -10, max: max + 10 }),
      fc.double({ min: -1, max: max * 2 }),
    );

  it('on values at and around every bound', () => {
    fc.assert(
      fc.property(
        edge(CONNECTION_LIMITS_MAX.requests),
        edge(CONNECTION_LIMITS_MAX.perSeconds),
        fc.option(edge(CONNECTION_LIMITS_MAX.concurrency), { nil: undefined }),
        (requests, perSeconds, concurrency) => {
          const limits = { requests, perSeconds, ...(concurrency === undefined ? {} : { concurrency }) };
          expect(isConnectionLimits(limits)).toBe(connectionLimitsBody.safeParse(limits).success);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('on the limits the docs show, and a missing value', () => {
    expect(isConnectionLimits({ requests: 100, perSeconds: 60, concurrency: 2 })).toBe(true);
    expect(isConnectionLimits({ requests: 100, perSeconds: 1.5 })).toBe(true);
    // A window under a second would let `requests` (≤ 100,000) stand for any rate.
    expect(isConnectionLimits({ requests: 1, perSeconds: 1e-9 })).toBe(false);
    expect(isConnectionLimits({ requests: 100, perSeconds: 0.5 })).toBe(false);
    expect(isConnectionLimits({ perSeconds: 60 })).toBe(false);
    expect(isConnectionLimits({ requests: 100, perSeconds: 60, concurrency: 1.5 })).toBe(false);
  });
});
