import type * as z from 'zod';

/** One language's text for a credentials field: its label, and where to find the value in the ERP. */
export interface FieldText {
  label: string;
  help: string;
}

/** The texts and display hints of one credentials field (English and Spanish: the connect page's languages). */
export interface CredentialFieldText {
  en: FieldText;
  es: FieldText;
  /** A secret: a password input on the connect page, never echoed back. */
  secret?: boolean;
  /** Kept by us, never typed by the end user (a token obtained for them): not on the connect page. */
  internal?: boolean;
  /** A multi-line value (a PEM key). */
  multiline?: boolean;
}

/**
 * Describes one field of an adapter's credentials schema. The texts land in the JSON Schema that
 * `GET /v1/erps` publishes (`title`/`description` in English, `x-es` in Spanish, `x-secret`, `x-internal`,
 * `x-multiline`), and the connect page renders its forms from that same JSON Schema, so the API, the page and
 * the server-side check (the zod schema itself) never disagree.
 */
export function credentialField<T extends z.ZodType>(schema: T, text: CredentialFieldText): T {
  return schema.meta({
    title: text.en.label,
    description: text.en.help,
    'x-es': { title: text.es.label, description: text.es.help },
    ...(text.secret ? { 'x-secret': true } : {}),
    ...(text.internal ? { 'x-internal': true } : {}),
    ...(text.multiline ? { 'x-multiline': true } : {}),
  }) as T;
}
