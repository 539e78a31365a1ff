import * as z from 'zod';

// Its own module: the connection stores (and so the sweeper, which parses no request) do without zod.
/** Ids clients choose for connections: safe in a secret name and a URL path. */
export const connectionIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
    'letters, digits, _ and -, at most 64, starting with a letter or digit',
  );
