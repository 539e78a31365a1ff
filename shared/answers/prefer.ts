import * as z from 'zod';
import { ApiError } from '../errors';

/**
 * API Gateway ends every integration at 30 s; a waited request answers by this many seconds so the 202 fallback
 * still reaches the client (the API Lambda's timeout, 29 s, is above it: test/infra asserts both).
 */
export const MAX_WAIT_SECONDS = 25;

/** What the client asked for with `Prefer` (RFC 7240 §4.1 respond-async, §4.3 wait) or `?wait=`. */
export interface WaitPreference {
  /** Seconds the client is willing to wait, capped at MAX_WAIT_SECONDS; 0 = answer at once. */
  waitSeconds: number;
  /** The client asked for `respond-async` (it is the default answer anyway: 202 at once unless `wait` is given). */
  respondAsync: boolean;
  /** The value for `Preference-Applied`, or undefined when no preference was applied. */
  applied?: string;
}

const DELTA_SECONDS = /^\d{1,10}$/;

/**
 * Parses `Prefer` headers (comma-separated preferences, several headers joined by commas, tokens case-insensitive,
 * values optionally quoted, parameters after `;` ignored). Unknown preferences are ignored as RFC 7240 §2 says; a
 * `wait` that is not delta-seconds is a 400 naming the header, because a typo there silently meant "do not wait".
 */
export function parsePrefer(header: string | undefined): WaitPreference {
  let wait: number | undefined;
  let respondAsync = false;
  for (const raw of (header ?? '').split(',')) {
    const pref = raw.split(';')[0]?.trim() ?? '';
    if (!pref) continue;
    const eq = pref.indexOf('=');
    const name = (eq < 0 ? pref : pref.slice(0, eq)).trim().toLowerCase();
    const value =
      eq < 0
        ? undefined
        : pref
            .slice(eq + 1)
            .trim()
            .replace(/^"(.*)"$/, '$1');
    if (name === 'respond-async') respondAsync = true;
    if (name === 'wait') {
      if (value === undefined || !DELTA_SECONDS.test(value)) {
        throw new ApiError(400, 'invalid', 'Prefer: wait=<seconds> takes a whole number of seconds', {
          details: [
            { pointer: '/headers/prefer', code: 'invalid', message: `wait=${(value ?? '').slice(0, 20)}` },
          ],
        });
      }
      // RFC 7240 §2: the first occurrence of a preference wins.
      wait ??= Number(value);
    }
  }
  return preference(wait, respondAsync);
}

/**
 * `?wait=<seconds>` on GET /v1/jobs/{jobId} (the route's strict query schema, so `?wiat=5` or `?wait=5s` is a 400
 * at /query/wait instead of a silent immediate answer); capped like the header.
 */
export const waitQueryValue = z
  .string()
  .regex(DELTA_SECONDS, `wait is a whole number of seconds (0-${MAX_WAIT_SECONDS})`);

/** The preference a valid `?wait=` value asks for. */
export function waitQueryPreference(value: string): WaitPreference {
  return preference(Number(value), false);
}

function preference(wait: number | undefined, respondAsync: boolean): WaitPreference {
  const waitSeconds = Math.min(wait ?? 0, MAX_WAIT_SECONDS);
  const applied = wait !== undefined ? `wait=${waitSeconds}` : respondAsync ? 'respond-async' : undefined;
  return { waitSeconds, respondAsync, applied };
}
