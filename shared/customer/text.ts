import { type Issue, toPointer } from '../errors';

/**
 * Characters SQS (and most ERPs) cannot carry: C0 controls other than tab/newline/return, lone surrogates,
 * and the non-characters U+FFFE/U+FFFF. SQS rejects a message holding any of them, so they must be refused
 * at accept time with the field named, not turn into a failed SendMessage.
 */
const UNSUPPORTED =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * U+FFFD is what a lossy decoder writes for bytes that were not UTF-8: a customer name holding it is text
 * already damaged somewhere upstream, and the ERP would keep the damage for good.
 */
const REPLACEMENT_CHARACTER = '\uFFFD';

export function hasUnsupportedCharacters(s: string): boolean {
  return UNSUPPORTED.test(s);
}

/** Every string (and key) holding an unsupported character, as issues with pointers. Iterative. */
export function findUnsupportedCharacters(value: unknown, max = 20): Issue[] {
  const out: Issue[] = [];
  const stack: [unknown, PropertyKey[]][] = [[value, []]];
  while (stack.length && out.length < max) {
    const [v, path] = stack.pop() as [unknown, PropertyKey[]];
    if (typeof v === 'string') {
      if (UNSUPPORTED.test(v)) {
        out.push({
          pointer: toPointer(path),
          code: 'invalid_characters',
          message: 'contains control or non-characters',
        });
      } else if (v.includes(REPLACEMENT_CHARACTER)) {
        out.push({
          pointer: toPointer(path),
          code: 'invalid_characters',
          message:
            'contains U+FFFD, the mark a decoder leaves where bytes were not valid UTF-8: send the original text in UTF-8',
        });
      }
    } else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (UNSUPPORTED.test(k)) {
          out.push({
            pointer: toPointer(path),
            code: 'invalid_characters',
            message: 'a key contains control or non-characters',
          });
        }
        stack.push([child, [...path, Array.isArray(v) ? Number(k) : k]]);
      }
    }
  }
  return out;
}

/**
 * Every string in a JSON value (keys too) in Unicode NFC, for values the schema does not type field by field
 * (erpFields): "Peña" composed or decomposed must reach the ERP as one value.
 */
export function nfcDeep(value: unknown): unknown {
  if (typeof value === 'string') return value.normalize('NFC');
  if (Array.isArray(value)) return value.map(nfcDeep);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.normalize('NFC'), nfcDeep(v)]));
  }
  return value;
}
