import type * as z from 'zod';

/** One problem with the request, located by a JSON pointer into the body (or `/headers/<name>`). */
export interface Issue {
  pointer: string;
  code: string;
  message: string;
}

/** What an ERP said, normalised. Never carries a credential. */
export interface UpstreamError {
  erp: string;
  status?: number;
  code?: string;
  message: string;
}

/** RFC 6901 pointer from a path of keys. */
export function toPointer(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** zod issues → pointers; unknown keys are listed one per key so the message names the field. */
export function issuesFromZod(error: z.ZodError, prefix = ''): Issue[] {
  const out: Issue[] = [];
  for (const i of error.issues) {
    if (i.code === 'unrecognized_keys') {
      for (const key of i.keys) {
        out.push({
          pointer: prefix + toPointer([...i.path, key]),
          code: 'unknown_field',
          message: `unknown field "${key}"`,
        });
      }
      continue;
    }
    const missing = i.code === 'invalid_type' && i.message.includes('received undefined');
    out.push({
      pointer: prefix + toPointer(i.path),
      code: missing ? 'required' : i.code === 'custom' ? 'invalid' : i.code,
      message: missing ? 'is required' : i.message,
    });
  }
  return out;
}

/** The one error every handler throws for a client-visible failure; rendered as the DESIGN §1 envelope. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: {
      details?: Issue[];
      upstream?: UpstreamError;
      retryable?: boolean;
      retryAfterSeconds?: number;
    } = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
  get retryable(): boolean {
    return this.extra.retryable ?? (this.status === 429 || this.status >= 500);
  }
}

export const validationFailed = (details: Issue[], message = 'the request is not valid') =>
  new ApiError(422, 'validation_failed', message, { details });
