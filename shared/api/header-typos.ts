import { headerError } from './http';

/**
 * The headers POST /v1/customers reads. A misspelt one is not an unknown extension header to ignore: a dropped
 * `Idempotency-Key` creates the customer twice on a retry, a dropped `x-testing` picks the other environment, a
 * dropped `Prefer` answers 202 instead of waiting.
 */
const READ_HEADERS = [
  'idempotency-key',
  'x-erp',
  'x-connection',
  'x-testing',
  'x-callback-url',
  'prefer',
] as const;

/** HTTP's own headers (RFC 9110 and kin): `Connection` is not a misspelt `x-connection`. */
const HTTP_HEADERS = new Set([
  'accept',
  'accept-encoding',
  'accept-language',
  'authorization',
  'cache-control',
  'connection',
  'content-encoding',
  'content-length',
  'content-type',
  'cookie',
  'date',
  'expect',
  'forwarded',
  'host',
  'if-match',
  'if-none-match',
  'keep-alive',
  'origin',
  'pragma',
  'prefer',
  'range',
  'referer',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'via',
]);

/** Lower case, letters and digits only, without an `x` prefix: `X-Idempotency_Key` → `idempotencykey`. */
const skeleton = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .replace(/^x/, '');

/** Optimal string alignment distance (a transposition counts once), stopping early past `max`. */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/**
 * The header this request names almost like one we read, if any: the same letters with other separators or an
 * `x-` prefix (`X-Idempotency-Key`, `idempotency_key`), or one or two letters off (`x-testng`, `x-callback-ur`;
 * one for the short `x-erp`). Other headers (proxies', SDKs', tracing) are left alone.
 */
export function misspeltHeader(
  headers: Record<string, string | undefined>,
): { sent: string; meant: string } | undefined {
  for (const sent of Object.keys(headers)) {
    if ((READ_HEADERS as readonly string[]).includes(sent) || HTTP_HEADERS.has(sent)) continue;
    const s = skeleton(sent);
    for (const meant of READ_HEADERS) {
      const m = skeleton(meant);
      if (s === m || editDistance(s, m, 2) <= (m.length >= 7 ? 2 : 1)) return { sent, meant };
    }
  }
  return undefined;
}

/** 400 `unknown_header` at the misspelt header, naming the one meant. */
export function refuseMisspeltHeaders(headers: Record<string, string | undefined>): void {
  const typo = misspeltHeader(headers);
  if (typo) {
    throw headerError(
      typo.sent,
      'unknown_header',
      `unknown header "${typo.sent}": did you mean "${typo.meant}"? It would otherwise be ignored`,
    );
  }
}
