/**
 * Secrets never leak — the harness. Every credential value a test uses is registered here; everything the
 * system emits is captured here (each log line through stdout/stderr, API response bodies, queue messages,
 * job records). `test/setup/leak-guard.ts` fails the test file if any captured text contains a registered
 * secret, or an Authorization header value.
 */
const secrets = new Set<string>();
const captured: { kind: string; text: string }[] = [];

/** Identifiers that sit in credentials but are meant to be seen (in URLs, in metadata). */
export const NOT_SECRET = new Set([
  'realmId',
  'accountId',
  'companyId',
  'instance',
  'regionHost',
  'subsidiaryId',
  'databaseNo',
]);

/** Registers credential values (every string leaf of at least 6 characters, identifiers excepted). */
export function registerSecrets(value: unknown): void {
  const stack = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.length >= 6) secrets.add(v);
    } else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) if (!NOT_SECRET.has(k)) stack.push(child);
    }
  }
}

export function capture(kind: string, text: string): void {
  captured.push({ kind, text });
}

/** The captured texts that contain a secret (with the secret masked in the report). */
export function findLeaks(): { kind: string; secret: string; excerpt: string }[] {
  const leaks: { kind: string; secret: string; excerpt: string }[] = [];
  for (const c of captured) {
    for (const s of secrets) {
      const i = c.text.indexOf(s);
      if (i >= 0)
        leaks.push({
          kind: c.kind,
          secret: `${s.slice(0, 3)}…`,
          excerpt: c.text.slice(Math.max(0, i - 60), i).concat('«secret»'),
        });
    }
    const auth = /"authorization"\s*:\s*"(Bearer|Basic|OAuth) [^"]+"/i.exec(c.text);
    if (auth) leaks.push({ kind: c.kind, secret: 'Authorization header', excerpt: auth[0].slice(0, 40) });
  }
  return leaks;
}

export function capturedCount(): number {
  return captured.length;
}

/** For the harness's own test. */
export function resetLeakGuard(): void {
  secrets.clear();
  captured.length = 0;
}
