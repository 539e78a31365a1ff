import { type Issue, toPointer } from '../errors';
import { controlledFieldIssues } from './controlled-fields';

/**
 * One vocabulary for the native fields of every ERP's create-customer body: the type, length and values the
 * vendor's reference documents for each field. Each adapter declares its fields once (`<erp>/fields.ts`, with the
 * source of every limit) and this module checks, against that one table:
 * - `erpFields` at accept time: keys the adapter controls, unknown keys, read-only keys, and values of the wrong
 *   type or length, each at `/erpFields/<key>/…` (issue 11 §4);
 * - the native body the mapper derives from the unified customer, each problem at the unified pointer the value
 *   came from (issue 11 §3: limits apply to what we derive, not only to what the caller typed);
 * and renders the same table as JSON Schema for `GET /v1/erps/{erp}/customer-schema`.
 * Lengths count characters (code points), as the ERPs' .NET/Java/Python back ends do for BMP text.
 */
export type NativeType =
  | {
      type: 'string';
      maxLength?: number;
      minLength?: number;
      pattern?: RegExp;
      /** What the pattern means, in words, and the ERP's own error code for it (e.g. Siigo's `invalid_name`). */
      patternHint?: string;
      patternCode?: string;
    }
  | { type: 'integer'; minimum?: number; maximum?: number }
  | { type: 'number'; minimum?: number }
  | { type: 'boolean' }
  /** A calendar date `YYYY-MM-DD`, optionally with a time; "2024-13-45" is not one. */
  | { type: 'date' }
  | { type: 'enum'; values: readonly (string | number | boolean)[] }
  /** `properties` are checked; other keys are refused unless `open`. */
  | {
      type: 'object';
      properties?: Readonly<Record<string, NativeField>>;
      required?: readonly string[];
      open?: boolean;
    }
  | { type: 'array'; items: NativeField; minItems?: number; maxItems?: number }
  | { type: 'anyOf'; options: readonly NativeField[] }
  /** A shape the vendor does not document; passed as given. */
  | { type: 'any' };

export type NativeField = NativeType & {
  /** `null` is accepted (clears an optional field). */
  nullable?: boolean;
  /** The ERP computes it; a value sent is ignored upstream, so it is refused rather than silently dropped. */
  readOnly?: boolean;
  description?: string;
};

export interface NativeCatalog {
  /** The ERP's display name, for messages. */
  erp: string;
  /** Top-level fields of the create body. */
  fields: Readonly<Record<string, NativeField>>;
  /** Custom-field ids accepted by pattern (NetSuite `custentity…`), with the shape they may hold. */
  patterns?: readonly { pattern: RegExp; field: NativeField; description: string }[];
  /** Keys the adapter sets itself (look-up and upsert keys, ids): refused in `erpFields`, with the reason. */
  controlled: Readonly<Record<string, string>>;
}

/** Builders, so the per-ERP tables read like the vendor's reference. */
export const nf = {
  string: (
    maxLength?: number,
    more: Partial<Omit<Extract<NativeType, { type: 'string' }>, 'type'>> & Extra = {},
  ) => ({ type: 'string', ...(maxLength !== undefined ? { maxLength } : {}), ...more }) as NativeField,
  integer: (more: { minimum?: number; maximum?: number } & Extra = {}) =>
    ({ type: 'integer', ...more }) as NativeField,
  number: (more: { minimum?: number } & Extra = {}) => ({ type: 'number', ...more }) as NativeField,
  boolean: (more: Extra = {}) => ({ type: 'boolean', ...more }) as NativeField,
  date: (more: Extra = {}) => ({ type: 'date', ...more }) as NativeField,
  enum: (values: readonly (string | number | boolean)[], more: Extra = {}) =>
    ({ type: 'enum', values, ...more }) as NativeField,
  object: (
    properties: Readonly<Record<string, NativeField>> = {},
    more: { required?: readonly string[]; open?: boolean } & Extra = {},
  ) => ({ type: 'object', properties, ...more }) as NativeField,
  array: (items: NativeField, more: { minItems?: number; maxItems?: number } & Extra = {}) =>
    ({ type: 'array', items, ...more }) as NativeField,
  anyOf: (options: readonly NativeField[], more: Extra = {}) =>
    ({ type: 'anyOf', options, ...more }) as NativeField,
  any: (more: Extra = {}) => ({ type: 'any', ...more }) as NativeField,
  readOnly: (description?: string) => ({ type: 'any', readOnly: true, description }) as NativeField,
};
type Extra = { nullable?: boolean; readOnly?: boolean; description?: string };

/** One problem found in a native value, at a path of native keys below the checked value. */
export interface NativeProblem {
  path: (string | number)[];
  code: string;
  message: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const chars = (s: string) => Array.from(s).length;

function typeName(f: NativeField): string {
  switch (f.type) {
    case 'string':
      return f.maxLength !== undefined ? `a string of at most ${f.maxLength} characters` : 'a string';
    case 'integer':
      return f.minimum !== undefined && f.maximum !== undefined
        ? `an integer from ${f.minimum} to ${f.maximum}`
        : 'an integer';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'date':
      return 'a date such as 2024-03-29';
    case 'enum':
      return `one of ${f.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'anyOf':
      return f.options.map(typeName).join(', or ');
    case 'any':
      return 'any value';
  }
}

/** A real calendar date (leap years included), `YYYY-MM-DD` optionally followed by `T` and a time. */
export function isCalendarDate(v: string): boolean {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/.exec(v);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d > days) return false;
  return m[4] === undefined || (Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6] ?? 0) < 60);
}

/** Every way `value` does not fit `field` (recursively), or [] when it fits. */
export function nativeProblems(
  field: NativeField,
  value: unknown,
  path: (string | number)[] = [],
): NativeProblem[] {
  const fail = (code: string, message: string): NativeProblem[] => [{ path, code, message }];
  if (field.readOnly) {
    return fail(
      'read_only',
      `is computed by the ERP and cannot be sent${field.description ? ` (${field.description})` : ''}`,
    );
  }
  if (value === null)
    return field.nullable ? [] : fail('invalid_type', `must not be null (${typeName(field)})`);
  switch (field.type) {
    case 'any':
      return [];
    case 'string': {
      if (typeof value !== 'string') return fail('invalid_type', `must be ${typeName(field)}`);
      const n = chars(value);
      if (field.minLength && value.trim() === '') return fail('required', 'must not be empty');
      if (field.maxLength !== undefined && n > field.maxLength) {
        return fail('too_long', `at most ${field.maxLength} characters (got ${n})`);
      }
      if (field.minLength !== undefined && n < field.minLength) {
        return fail('too_short', `at least ${field.minLength} characters (got ${n})`);
      }
      if (field.pattern && !field.pattern.test(value)) {
        return fail(
          field.patternCode ?? 'invalid_format',
          field.patternHint ?? `must match ${field.pattern.source}`,
        );
      }
      return [];
    }
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value))
        return fail('invalid_type', `must be ${typeName(field)}`);
      if (
        (field.minimum !== undefined && value < field.minimum) ||
        (field.maximum !== undefined && value > field.maximum)
      ) {
        return fail('out_of_range', `must be ${typeName(field)}`);
      }
      return [];
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value))
        return fail('invalid_type', 'must be a number');
      if (field.minimum !== undefined && value < field.minimum) {
        return fail('out_of_range', `must be at least ${field.minimum}`);
      }
      return [];
    case 'boolean':
      return typeof value === 'boolean' ? [] : fail('invalid_type', 'must be true or false');
    case 'date':
      return typeof value === 'string' && isCalendarDate(value)
        ? []
        : fail('invalid_date', 'must be a real calendar date such as 2024-03-29');
    case 'enum':
      return field.values.includes(value as string)
        ? []
        : fail('invalid_value', `must be ${typeName(field)}`);
    case 'object': {
      if (!isObject(value)) return fail('invalid_type', 'must be an object');
      const out: NativeProblem[] = [];
      for (const key of field.required ?? []) {
        if (value[key] === undefined)
          out.push({ path: [...path, key], code: 'required', message: 'is required' });
      }
      for (const [key, v] of Object.entries(value)) {
        const sub = field.properties?.[key];
        if (sub) out.push(...nativeProblems(sub, v, [...path, key]));
        else if (!field.open)
          out.push({ path: [...path, key], code: 'unknown_field', message: `unknown field "${key}"` });
      }
      return out;
    }
    case 'array': {
      if (!Array.isArray(value)) return fail('invalid_type', 'must be an array');
      if (field.maxItems !== undefined && value.length > field.maxItems) {
        return fail('too_many', `at most ${field.maxItems} items (got ${value.length})`);
      }
      if (field.minItems !== undefined && value.length < field.minItems) {
        return fail('too_few', `at least ${field.minItems} items (got ${value.length})`);
      }
      return value.flatMap((item, i) => nativeProblems(field.items, item, [...path, i]));
    }
    case 'anyOf':
      return field.options.some((o) => nativeProblems(o, value).length === 0)
        ? []
        : fail('invalid_type', `must be ${typeName(field)}`);
  }
}

/** The field a top-level key names: listed, or a custom id matching one of the catalog's patterns. */
export function fieldOf(catalog: NativeCatalog, key: string): NativeField | undefined {
  if (Object.hasOwn(catalog.fields, key)) return catalog.fields[key];
  return catalog.patterns?.find((p) => p.pattern.test(key))?.field;
}

/**
 * `erpFields` at accept time: keys the adapter controls (one rule: `controlledFieldIssues`), keys the ERP does
 * not have, read-only keys, and values that do not fit the field — each at `/erpFields/<key>/…`.
 */
export function erpFieldIssues(
  erpFields: Record<string, unknown> | undefined,
  catalog: NativeCatalog,
): Issue[] {
  const issues = controlledFieldIssues(erpFields, catalog.controlled);
  for (const [key, value] of Object.entries(erpFields ?? {})) {
    if (Object.hasOwn(catalog.controlled, key)) continue;
    const field = fieldOf(catalog, key);
    if (!field) {
      issues.push({
        pointer: toPointer(['erpFields', key]),
        code: 'unknown_field',
        message: `${catalog.erp} has no customer field "${key}" (names are case-sensitive; GET /v1/erps/{erp}/customer-schema lists them)`,
      });
      continue;
    }
    for (const p of nativeProblems(field, value)) {
      issues.push({
        pointer: toPointer(['erpFields', key, ...p.path]),
        code: p.code,
        message: `${key}: ${p.message}`,
      });
    }
  }
  return issues;
}

/** `a.b[0].c`: the path notation of NetSuite's `o:errorPath`, used for every ERP's native paths. */
export function nativePath(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/**
 * The unified pointer a native path came from: the longest mapped prefix of the path
 * (`addressBook.items[0].addressBookAddress.city` falls back to its address), or undefined.
 */
export function pointerForNativePath(sources: ReadonlyMap<string, string>, path: string): string | undefined {
  let p = path.trim();
  while (p) {
    const hit = sources.get(p);
    if (hit) return hit;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    if (cut <= 0) break;
    p = p.slice(0, cut);
  }
  return undefined;
}

/**
 * The native body the mapper derived, checked field by field against the catalog: each problem is reported at
 * the unified pointer its value came from (`sources`: native path → pointer), so a limit the caller could not
 * see (a contact Siigo makes from the e-mail, a name joined from two parts) surfaces at accept time, at the field
 * the caller sent. Keys that came from `erpFields` are skipped (`erpFieldIssues` checks them at their own pointer).
 * A problem with no source names the native field at the body's root, so nothing fails silently.
 */
export function mappedBodyIssues(
  body: Record<string, unknown>,
  catalog: NativeCatalog,
  sources: ReadonlyMap<string, string>,
  erpFields: Record<string, unknown> | undefined,
): Issue[] {
  const out: Issue[] = [];
  const seen = new Set<string>();
  for (const [key, value] of Object.entries(body)) {
    if (erpFields && Object.hasOwn(erpFields, key)) continue;
    const field = fieldOf(catalog, key);
    if (!field || field.readOnly) continue;
    for (const p of nativeProblems(field, value, [key])) {
      const at = nativePath(p.path);
      const pointer = pointerForNativePath(sources, at) ?? '';
      const k = `${pointer}\n${p.code}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push({ pointer, code: p.code, message: `${catalog.erp} ${at}: ${p.message}` });
    }
  }
  return out;
}

/**
 * Drops an issue when another one with the same code sits below its pointer: a value derived from several
 * unified fields (a person's "First Last") fails for the same reason as the part that carries the problem, and
 * the part is the better pointer.
 */
export function withoutCoveredAncestors(issues: Issue[]): Issue[] {
  return issues.filter(
    (i) => !issues.some((j) => j !== i && j.code === i.code && j.pointer.startsWith(`${i.pointer}/`)),
  );
}

/**
 * The ERP-specific issues, then the mapped body's issues that are not at or below a pointer already reported:
 * one problem per field, the more specific message first (e.g. "3 address lines" over "addr4 is unknown").
 */
export function unlessCovered(primary: Issue[], secondary: Issue[]): Issue[] {
  const covered = (p: string) => primary.some((i) => p === i.pointer || p.startsWith(`${i.pointer}/`));
  return [...primary, ...secondary.filter((i) => !covered(i.pointer))];
}

/** JSON Schema (2020-12) of one native field, for schema discovery. */
export function jsonSchemaOf(field: NativeField): Record<string, unknown> {
  const base = ((): Record<string, unknown> => {
    switch (field.type) {
      case 'string':
        return {
          type: 'string',
          ...(field.maxLength !== undefined ? { maxLength: field.maxLength } : {}),
          ...(field.minLength !== undefined ? { minLength: field.minLength } : {}),
          ...(field.pattern ? { pattern: field.pattern.source } : {}),
        };
      case 'integer':
        return {
          type: 'integer',
          ...(field.minimum !== undefined ? { minimum: field.minimum } : {}),
          ...(field.maximum !== undefined ? { maximum: field.maximum } : {}),
        };
      case 'number':
        return { type: 'number', ...(field.minimum !== undefined ? { minimum: field.minimum } : {}) };
      case 'boolean':
        return { type: 'boolean' };
      case 'date':
        return { type: 'string', format: 'date' };
      case 'enum':
        return { enum: [...field.values] };
      case 'object':
        return {
          type: 'object',
          ...(field.properties
            ? {
                properties: Object.fromEntries(
                  Object.entries(field.properties).map(([k, v]) => [k, jsonSchemaOf(v)]),
                ),
              }
            : {}),
          ...(field.required?.length ? { required: [...field.required] } : {}),
          ...(field.open ? {} : { additionalProperties: false }),
        };
      case 'array':
        return {
          type: 'array',
          items: jsonSchemaOf(field.items),
          ...(field.minItems !== undefined ? { minItems: field.minItems } : {}),
          ...(field.maxItems !== undefined ? { maxItems: field.maxItems } : {}),
        };
      case 'anyOf':
        return { anyOf: field.options.map(jsonSchemaOf) };
      case 'any':
        return {};
    }
  })();
  const withNull = field.nullable ? { anyOf: [base, { type: 'null' }] } : base;
  return { ...withNull, ...(field.description ? { description: field.description } : {}) };
}

/**
 * The `erpFields` object as JSON Schema: every writable field, custom-id patterns, controlled keys as `false`
 * (never valid, with the reason under `x-erp-controlled`), nothing else (`additionalProperties: false`).
 */
export function erpFieldsJsonSchema(catalog: NativeCatalog): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(catalog.fields)) {
    if (!field.readOnly && !Object.hasOwn(catalog.controlled, key)) properties[key] = jsonSchemaOf(field);
  }
  for (const key of Object.keys(catalog.controlled)) properties[key] = false;
  return {
    type: 'object',
    properties,
    ...(catalog.patterns?.length
      ? {
          patternProperties: Object.fromEntries(
            catalog.patterns.map((p) => [
              p.pattern.source,
              { ...jsonSchemaOf(p.field), description: p.description },
            ]),
          ),
        }
      : {}),
    additionalProperties: false,
    'x-erp-controlled': { ...catalog.controlled },
  };
}
