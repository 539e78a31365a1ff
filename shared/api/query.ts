import * as z from 'zod';
import { ApiError, issuesFromZod } from '../errors';
import type { ApiRequest } from './http';

/**
 * Query strings are validated like headers: a typo must fail loudly, never be ignored. `?dry_run=1`, a bare
 * `?dry_run`, `?dryRun=true` or `?foo=bar` on POST /v1/customers would otherwise create a real customer.
 */

/** A flag is `true` or `false`, spelled so; anything else (`1`, empty, `TRUE`) is refused. */
export const queryFlag = z.enum(['true', 'false']);

/** A route that takes no query parameter at all. */
export const noQuery = z.strictObject({});

export const QUERY_ERROR_CODES = ['unknown_query_parameter', 'invalid_query_parameter'] as const;

/**
 * The route's query, parsed with its strict schema: an unknown parameter or a bad value is a 400 whose
 * `details` point at `/query/<name>` (codes `unknown_query_parameter`, `invalid_query_parameter`).
 */
export function parseQuery<S extends z.ZodType>(req: ApiRequest, schema: S): z.output<S> {
  const r = schema.safeParse(req.query);
  if (r.success) return r.data;
  const details = issuesFromZod(r.error, '/query').map((i) => ({
    ...i,
    code: i.code === 'unknown_field' ? 'unknown_query_parameter' : 'invalid_query_parameter',
    message: i.code === 'unknown_field' ? `unknown query parameter "${i.pointer.slice(7)}"` : i.message,
  }));
  const first = details[0] as { code: string; message: string };
  throw new ApiError(400, first.code, `the query string is not valid: ${first.message}`, { details });
}
