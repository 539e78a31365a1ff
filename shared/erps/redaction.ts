/**
 * The one redaction pass over what an ERP says back, before it is stored (job error and history, webhook
 * bodies, connection status tags) or logged. ERPs echo requests in their errors, so any credential we sent can
 * come back: every value of the connection's credentials, in the forms it travels in (raw, URL- and
 * JSON-escaped, base64 and HTTP Basic `a:b` pairs), every token handed to the adapter (Siigo's bearer token,
 * QuickBooks' access and refresh tokens), and any `Bearer …`/`Basic …`/OAuth signature or token-looking field
 * becomes `***`.
 */

/**
 * Credential fields that name an account rather than prove access; kept, as they help to read a message.
 * (The test leak guard keeps its own list on purpose: it must not trust this one.)
 */
const IDENTIFIERS = new Set([
  'realmId',
  'accountId',
  'companyId',
  'instance',
  'regionHost',
  'subsidiaryId',
  'databaseNo',
]);

/** Shorter values (a branch number, "1") would blank out ordinary words. */
const MIN_SECRET_LENGTH = 4;
/** A message cut mid-secret (adapters cap message lengths) still ends with this much of it. */
const MIN_TAIL = 6;
const MASK = '***';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const b64url = (s: string) => Buffer.from(s, 'utf8').toString('base64url');

/** Every spelling of a secret an ERP may echo: raw, escaped for URLs/forms/JSON (PHP escapes `/`), base64. */
function spellings(v: string): string[] {
  const out = [
    v,
    encodeURIComponent(v),
    new URLSearchParams({ v }).toString().slice(2),
    JSON.stringify(v).slice(1, -1),
    b64(v),
    b64url(v),
  ];
  return [...out, ...out.map((s) => s.replaceAll('/', '\\/'))];
}

/** Values, headers and fields that carry a credential whatever its value (a token we never saw). */
const PATTERNS: [RegExp, string][] = [
  [/\b(Bearer|Basic)(\s+)[A-Za-z0-9\-._~+/]+=*/gi, `$1$2${MASK}`],
  [/\b(oauth_signature|oauth_token|oauth_consumer_key)(=\\?"?)[^"\\,&\s]+/gi, `$1$2${MASK}`],
  [
    /\b(access_token|refresh_token|id_token|client_secret|access_key|accessKey|api_?key|password|token)("?\s*[:=]\s*\\?"?)[^"\\,&\s}]+/gi,
    `$1$2${MASK}`,
  ],
];

/** String leaves of credentials: secrets, and identifiers (kept as they are, but part of Basic pairs). */
function stringLeaves(value: unknown, secrets: Set<string>, ids: Set<string>): void {
  const stack: [string | undefined, unknown][] = [[undefined, value]];
  while (stack.length) {
    const [key, v] = stack.pop() as [string | undefined, unknown];
    if (typeof v === 'string') {
      if (v.length >= MIN_SECRET_LENGTH) (key && IDENTIFIERS.has(key) ? ids : secrets).add(v);
    } else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) stack.push([k, child]);
    }
  }
}

export class UpstreamRedactor {
  private readonly values = new Set<string>();
  private readonly ids = new Set<string>();
  private secrets: string[] | undefined;

  /** Every secret value of a connection's credentials (call again when they rotate). */
  addCredentials(credentials: unknown): this {
    const before = this.values.size + this.ids.size;
    stringLeaves(credentials, this.values, this.ids);
    if (this.values.size + this.ids.size !== before) this.secrets = undefined;
    return this;
  }

  /** A token obtained with the credentials (bearer, access, refresh). */
  addToken(token: string): this {
    if (token.length >= MIN_SECRET_LENGTH && !this.values.has(token)) {
      this.values.add(token);
      this.secrets = undefined;
    }
    return this;
  }

  /** The strings to remove, longest first (a value inside a longer form must not break the longer match). */
  private all(): string[] {
    if (!this.secrets) {
      const values = [...this.values];
      const forms = new Set(values.flatMap(spellings));
      // HTTP Basic: base64 of `user:password` for every ordered pair holding a secret (which two values pair
      // up is per ERP; an account id paired with a secret still carries the secret).
      const everything = [...values, ...this.ids];
      for (const a of everything) {
        for (const b of everything) {
          if (a === b || (this.ids.has(a) && this.ids.has(b))) continue;
          const basic = b64(`${a}:${b}`);
          for (const f of [basic, b64url(`${a}:${b}`), basic.replaceAll('/', '\\/')]) forms.add(f);
        }
      }
      this.secrets = [...forms]
        .filter((s) => s.length >= MIN_SECRET_LENGTH)
        .sort((x, y) => y.length - x.length);
    }
    return this.secrets;
  }

  text(input: string): string {
    let out = input;
    for (const s of this.all()) if (out.includes(s)) out = out.split(s).join(MASK);
    for (const [re, to] of PATTERNS) out = out.replace(re, to);
    // A message cut short may end in the first part of a secret.
    for (const s of this.all()) {
      const from = Math.max(0, out.length - s.length + 1);
      for (let i = from; i <= out.length - MIN_TAIL; i++) {
        if (out[i] === s[0] && s.startsWith(out.slice(i))) {
          out = out.slice(0, i) + MASK;
          break;
        }
      }
    }
    return out;
  }

  /** A copy of an adapter's outcome (or any JSON-like value) with every string redacted. */
  outcome<T>(value: T): T {
    if (typeof value === 'string') return this.text(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.outcome(v)) as T;
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.outcome(v)])) as T;
    }
    return value;
  }
}
