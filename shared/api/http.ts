import { findUnsupportedCharacters } from '../customer/text';
import { ApiError, validationFailed } from '../errors';

/** A request as the router sees it, whatever carried it (API Gateway v2 event or the local server). */
export interface ApiRequest {
  method: string;
  path: string;
  query: Record<string, string | undefined>;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  body?: string;
  /** Set when the body's bytes were not valid UTF-8 (`body` then holds a lossy decoding, never used). */
  bodyNotUtf8?: true;
  /** The tenant the authorizer derived from the API key; undefined on public routes. */
  tenantId?: string;
  requestId: string;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): ApiResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

/** The one error envelope (DESIGN §1). */
export function errorResponse(err: ApiError, requestId: string): ApiResponse {
  const headers: Record<string, string> = {};
  if (err.extra.retryAfterSeconds !== undefined) headers['retry-after'] = String(err.extra.retryAfterSeconds);
  return json(
    err.status,
    {
      error: {
        code: err.code,
        message: err.message,
        requestId,
        retryable: err.retryable,
        ...(err.extra.details?.length ? { details: err.extra.details } : {}),
        ...(err.extra.upstream ? { upstream: err.extra.upstream } : {}),
      },
    },
    headers,
  );
}

export const internalError = () =>
  new ApiError(500, 'internal_error', 'something went wrong on our side', { retryable: true });

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);

export const headerError = (name: string, code: string, message: string, status = 400) =>
  new ApiError(status, code, message, { details: [{ pointer: `/headers/${name}`, code, message }] });

/**
 * Request body bytes → text. JSON travels in UTF-8 (RFC 8259 §8.1); other bytes are marked, not replaced by
 * U+FFFD and passed on as if the client had sent that.
 */
export function decodeBody(bytes: Uint8Array): Pick<ApiRequest, 'body' | 'bodyNotUtf8'> {
  try {
    return { body: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { body: Buffer.from(bytes).toString('utf8'), bodyNotUtf8: true };
  }
}

/** Parses a JSON body with the content-type and size checks every write route shares. */
export function parseJsonBody(req: ApiRequest, maxBytes: number): unknown {
  const body = req.body ?? '';
  if (Buffer.byteLength(body, 'utf8') > maxBytes) {
    throw new ApiError(413, 'payload_too_large', `the body is larger than ${maxBytes} bytes`);
  }
  const ctype = req.headers['content-type'] ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(ctype.trim())) {
    throw new ApiError(415, 'unsupported_media_type', 'send the body as application/json', {
      details: [
        {
          pointer: '/headers/content-type',
          code: 'unsupported_media_type',
          message: `got "${ctype.slice(0, 100)}"`,
        },
      ],
    });
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(ctype)?.[1];
  if (charset && !/^utf-?8$/i.test(charset)) {
    throw new ApiError(415, 'unsupported_media_type', 'send the body as application/json in UTF-8', {
      details: [
        {
          pointer: '/headers/content-type',
          code: 'unsupported_media_type',
          message: `charset "${charset.slice(0, 40)}": JSON is exchanged in UTF-8 (RFC 8259 §8.1)`,
        },
      ],
    });
  }
  if (req.bodyNotUtf8) {
    throw new ApiError(
      400,
      'malformed_json',
      'the body is not valid UTF-8; send JSON encoded in UTF-8 (RFC 8259 §8.1)',
    );
  }
  if (body.trim() === '') throw new ApiError(400, 'malformed_json', 'the body is empty; send a JSON object');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (e) {
    const msg = e instanceof RangeError ? 'nested too deeply' : (e as Error).message.slice(0, 200);
    throw new ApiError(400, 'malformed_json', `the body is not valid JSON: ${msg}`);
  }
  if (depthExceeds(parsed, MAX_JSON_DEPTH)) {
    throw new ApiError(400, 'malformed_json', `the body is nested more than ${MAX_JSON_DEPTH} levels deep`);
  }
  const badText = findUnsupportedCharacters(parsed);
  if (badText.length)
    throw validationFailed(badText, 'the body contains characters that cannot be stored or sent');
  return parsed;
}

/** No legitimate customer nests deeper; recursive code further on (hashing, mapping) stays far from the stack limit. */
export const MAX_JSON_DEPTH = 32;

/** Iterative, so a hostile body cannot overflow the stack here either. */
function depthExceeds(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (d > max) return true;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return false;
}
