import type { LockService } from '../erps/types';

/** Single-process LockService (local stack and tests); the DynamoDB one serialises across processes. */
export function createMemoryLockService(): LockService {
  const tails = new Map<string, Promise<unknown>>();
  return {
    async withLock(key, _opts, fn) {
      const prev = tails.get(key) ?? Promise.resolve();
      const run = prev.then(fn, fn);
      const tail = run.catch(() => undefined);
      tails.set(key, tail);
      try {
        return await run;
      } finally {
        if (tails.get(key) === tail) tails.delete(key);
      }
    },
  };
}
