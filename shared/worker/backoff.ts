/**
 * Capped exponential backoff with full jitter (AWS Builders' Library): a uniform delay in
 * [0, min(cap, base·2^(attempt-1))]. `hintMs` (Retry-After, X-Rate-Limit-Reset, a block's end) is a floor:
 * we never come back before the ERP said we may.
 */
export function backoffDelayMs(
  attempt: number,
  opts: { baseDelayMs: number; maxDelayMs: number; hintMs?: number },
  random: () => number = Math.random,
): number {
  const exp = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.floor(random() * exp);
  return Math.max(jittered, opts.hintMs ?? 0);
}
