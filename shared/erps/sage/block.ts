/**
 * Companies Sage has blocked (429), as this process knows them. Sage says calling while blocked extends the
 * block, so every call for a blocked scope is answered locally until the block has passed. The shared copy
 * (AdapterContext.blocks: the pacing state in DynamoDB) tells other workers and cold starts; this one saves
 * them a read per call and stands in where no shared state is wired.
 */
const blockedUntil = new Map<string, number>();

export function recordBlock(scope: string, until: number): void {
  const prev = blockedUntil.get(scope) ?? 0;
  blockedUntil.set(scope, Math.max(prev, until));
}

/** Remaining block in ms, or 0 when the scope may be called. */
export function remainingBlockMs(scope: string, now: number): number {
  const until = blockedUntil.get(scope);
  if (until === undefined) return 0;
  if (until <= now) {
    blockedUntil.delete(scope);
    return 0;
  }
  return until - now;
}

/** Forgets every block (tests, and a process that knows the block was lifted). */
export function clearSageBlocks(): void {
  blockedUntil.clear();
}
