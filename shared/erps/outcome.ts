import type { UpstreamError } from '../errors';
import { UpstreamNetworkError } from '../http/upstream';
import type { FailureOutcome } from './types';

/**
 * A network failure → outcome. Not sent: safe to retry (`transient`). Possibly sent: the ERP may have
 * created the customer (`unknown`), so the next attempt must look it up first.
 */
export function outcomeFromNetworkError(erp: string, err: unknown): FailureOutcome {
  if (err instanceof UpstreamNetworkError) {
    const upstream: UpstreamError = { erp, code: err.kind, message: err.message };
    return err.sent ? { kind: 'unknown', upstream } : { kind: 'transient', upstream };
  }
  throw err;
}

/**
 * Generic status → class mapping for what an adapter does not recognise more precisely.
 * `write`: the call may have changed state upstream (a create). A 5xx/408 answer to a write is `unknown`
 * rather than `transient`: the ERP may have stored the customer before failing, so look up first.
 */
export function outcomeFromStatus(
  upstream: UpstreamError & { status: number },
  opts: { write: boolean; retryAfterMs?: number },
): FailureOutcome {
  const s = upstream.status;
  const retryAfterMs = opts.retryAfterMs;
  if (s === 401 || s === 403) return { kind: 'auth', upstream };
  if (s === 429) return { kind: 'rate_limited', retryAfterMs, upstream };
  if (s === 408 || s >= 500) {
    return opts.write
      ? { kind: 'unknown', retryAfterMs, upstream }
      : { kind: 'transient', retryAfterMs, upstream };
  }
  return { kind: 'invalid', upstream };
}
