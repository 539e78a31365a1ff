import * as z from 'zod';
import type { Issue } from '../../errors';
import type { Locale } from '../session';
import type { Messages } from './messages';

/** One input of a credentials form, read from the credentials schema's JSON Schema. */
export interface FormField {
  name: string;
  label: string;
  help?: string;
  required: boolean;
  input: 'text' | 'password' | 'email' | 'textarea' | 'select';
  options?: string[];
  default?: string;
  /** What the browser checks before sending (the server checks the zod schema itself). */
  rules: { required: boolean; minLength?: number; maxLength?: number; pattern?: string; format?: string };
  secret: boolean;
}

type Json = Record<string, unknown>;

/** The JSON Schema of a form (the same document GET /v1/erps publishes for the ERP's credentials). */
export function formSchema(schema: z.ZodType): Json {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
}

/**
 * The form's fields, in schema order: every property but the discriminator (`auth`) and those the page never asks
 * for (`x-internal`: tokens ERP Bridge obtains itself). Labels and help in the page's language.
 */
export function formFields(schema: z.ZodType, locale: Locale): FormField[] {
  const json = formSchema(schema);
  const props = (json.properties ?? {}) as Record<string, Json>;
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(props)
    .filter(([name, p]) => name !== 'auth' && !p['x-internal'])
    .map(([name, p]) => {
      const es = (p['x-es'] ?? {}) as Json;
      const label = String((locale === 'es' ? es.title : undefined) ?? p.title ?? name);
      const help = (locale === 'es' ? es.description : undefined) ?? p.description;
      const options = Array.isArray(p.enum) ? (p.enum as unknown[]).map(String) : undefined;
      const secret = p['x-secret'] === true;
      const isString = p.type === 'string';
      const input: FormField['input'] = options
        ? 'select'
        : p['x-multiline']
          ? 'textarea'
          : secret
            ? 'password'
            : p.format === 'email'
              ? 'email'
              : 'text';
      return {
        name,
        label,
        ...(typeof help === 'string' ? { help } : {}),
        required: required.has(name),
        input,
        ...(options ? { options } : {}),
        ...(p.default !== undefined ? { default: String(p.default) } : {}),
        rules: {
          required: required.has(name),
          ...(isString && typeof p.minLength === 'number' ? { minLength: p.minLength } : {}),
          ...(isString && typeof p.maxLength === 'number' ? { maxLength: p.maxLength } : {}),
          ...(isString && typeof p.pattern === 'string' ? { pattern: p.pattern } : {}),
          ...(typeof p.format === 'string' ? { format: p.format } : {}),
        },
        secret,
      };
    });
}

/** A submitted form (application/x-www-form-urlencoded) → the fields it names; empty values are absent. */
export function formValues(body: string | undefined, fields: FormField[]): Record<string, string> {
  const sent = new URLSearchParams(body ?? '');
  const out: Record<string, string> = {};
  for (const f of fields) {
    const v = sent.get(f.name);
    if (v !== null && v.trim() !== '') out[f.name] = v;
  }
  return out;
}

/** The server's verdict per field, in the page's words (the zod issue codes, never its English messages). */
export function fieldErrors(issues: Issue[], fields: FormField[], m: Messages): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues) {
    const name = i.pointer.split('/')[1] ?? '';
    if (!fields.some((f) => f.name === name) || out[name]) continue;
    const rules = fields.find((f) => f.name === name)?.rules;
    out[name] =
      i.code === 'required'
        ? m.required
        : i.code === 'too_small'
          ? rules?.minLength && rules.minLength > 1
            ? m.tooShort(rules.minLength)
            : m.required
          : i.code === 'too_big'
            ? m.tooLong(rules?.maxLength ?? 0)
            : i.code === 'invalid_format' && rules?.format === 'email'
              ? m.email
              : i.code === 'invalid_format' || i.code === 'invalid_value'
                ? m.pattern
                : m.invalid;
  }
  return out;
}
