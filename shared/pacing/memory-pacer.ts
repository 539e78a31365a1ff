import { emissionIntervalMs } from './limits';
import { nextSlot, type PaceLease, type Pacer } from './pacer';

/** Single-process Pacer (unit tests): the same arithmetic as the DynamoDB one, in two maps. */
export function createMemoryPacer(): Pacer & { held(key: string, nowMs: number): number } {
  const tats = new Map<string, number>();
  const blocks = new Map<string, number>();
  const leases = new Map<string, Map<symbol, number>>();
  const live = (key: string, nowMs: number) => {
    const m = leases.get(key) ?? new Map<symbol, number>();
    for (const [id, until] of m) if (until <= nowMs) m.delete(id);
    leases.set(key, m);
    return m;
  };
  return {
    async reserve(key, limits, cost, nowMs) {
      const r = nextSlot(tats.get(key), nowMs, emissionIntervalMs(limits), cost);
      tats.set(key, r.tatMs);
      return r.slotMs;
    },
    async acquire(key, limit, ttlMs, nowMs): Promise<PaceLease | undefined> {
      const m = live(key, nowMs);
      if (m.size >= limit) return undefined;
      const id = Symbol(key);
      m.set(id, nowMs + ttlMs);
      return { release: async () => void m.delete(id) };
    },
    async holdUntil(key, untilMs) {
      tats.set(key, Math.max(tats.get(key) ?? 0, untilMs));
    },
    async block(scope, untilMs) {
      blocks.set(scope, Math.max(blocks.get(scope) ?? 0, untilMs));
    },
    async blockedUntil(scope, nowMs) {
      const until = blocks.get(scope);
      return until !== undefined && until > nowMs ? until : undefined;
    },
    held: (key, nowMs) => live(key, nowMs).size,
  };
}
