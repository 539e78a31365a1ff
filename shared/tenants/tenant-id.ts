// zod/mini: read by the webhook dispatcher, which needs nothing else of zod.
import * as z from 'zod/mini';

/** Tenant ids appear in keys and secret names: keep them to a safe alphabet. */
export const tenantIdSchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'letters, digits, _ and -, at most 64'));
