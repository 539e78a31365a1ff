import type { UpstreamResponse } from '../../http/upstream';

/** One error of an Intuit `Fault`. */
export interface FaultError {
  code?: string;
  message?: string;
  detail?: string;
  element?: string;
}

export interface Fault {
  type?: string;
  errors: FaultError[];
}

const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/** Reads a key case-insensitively: Intuit sends `Fault`/`Error`/`Message` and, on 401s, `fault`/`error`/`message`. */
function pick(o: unknown, key: string): unknown {
  if (!o || typeof o !== 'object') return undefined;
  const k = Object.keys(o).find((x) => x.toLowerCase() === key.toLowerCase());
  return k === undefined ? undefined : (o as Record<string, unknown>)[k];
}

function fromJson(json: unknown): Fault | undefined {
  const fault = pick(json, 'Fault');
  if (!fault || typeof fault !== 'object') return undefined;
  const raw = pick(fault, 'Error');
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return {
    type: str(pick(fault, 'type')),
    errors: list.map((e) => ({
      code: str(pick(e, 'code')),
      message: str(pick(e, 'Message')),
      detail: str(pick(e, 'Detail')),
      element: str(pick(e, 'element')),
    })),
  };
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescapeXml = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, e: string) => {
    if (e[0] === '#')
      return String.fromCodePoint(
        e[1]?.toLowerCase() === 'x' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)),
      );
    return XML_ENTITIES[e.toLowerCase()] ?? _;
  });

const attr = (attrs: string, name: string) => {
  const m = new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`, 'i').exec(attrs);
  return m ? unescapeXml(m[1] as string) : undefined;
};
const child = (inner: string, name: string) => {
  const m = new RegExp(`<(?:\\w+:)?${name}>([\\s\\S]*?)</(?:\\w+:)?${name}>`, 'i').exec(inner);
  return m ? unescapeXml((m[1] as string).trim()) : undefined;
};

/** `<IntuitResponse><Fault type="…"><Error code="6240" element=""><Message>…</Message><Detail>…</Detail></Error></Fault>` */
function fromXml(text: string): Fault | undefined {
  const fault = /<(?:\w+:)?Fault\b([^>]*)>([\s\S]*?)<\/(?:\w+:)?Fault>/i.exec(text);
  if (!fault) return undefined;
  const errors: FaultError[] = [];
  for (const m of (fault[2] as string).matchAll(/<(?:\w+:)?Error\b([^>]*)>([\s\S]*?)<\/(?:\w+:)?Error>/gi)) {
    const attrs = m[1] as string;
    const inner = m[2] as string;
    errors.push({
      code: attr(attrs, 'code'),
      element: attr(attrs, 'element'),
      message: child(inner, 'Message'),
      detail: child(inner, 'Detail'),
    });
  }
  return { type: attr(fault[1] as string, 'type'), errors };
}

/** The Fault of a response, JSON or XML (Intuit sends XML for some errors even when JSON was asked for). */
export function parseFault(res: Pick<UpstreamResponse, 'json' | 'text'>): Fault | undefined {
  return fromJson(res.json) ?? (res.text.trimStart().startsWith('<') ? fromXml(res.text) : undefined);
}

/** Codes arrive as "6240" but also as "003200" inside messages; compare them without leading zeros. */
export function hasCode(fault: Fault | undefined, ...codes: string[]): boolean {
  return !!fault?.errors.some((e) => e.code !== undefined && codes.includes(e.code.replace(/^0+(?=\d)/, '')));
}

/** "The name supplied already exists. : Id=123" → "123" (older texts carry no id). */
export function duplicateIdFrom(fault: Fault | undefined): string | undefined {
  for (const e of fault?.errors ?? []) {
    const m = /\bId=(\d+)/.exec(`${e.detail ?? ''} ${e.message ?? ''}`);
    if (m) return m[1];
  }
  return undefined;
}

/** One line for the job record: "6240 Duplicate Name Exists Error: The name supplied already exists. : Id=123". */
export function faultSummary(fault: Fault | undefined): { code?: string; message?: string } {
  const first = fault?.errors[0];
  if (!first) return {};
  const text = [first.message, first.detail && first.detail !== first.message ? first.detail : undefined]
    .filter(Boolean)
    .join(': ');
  return { code: first.code, message: text || fault?.type };
}
