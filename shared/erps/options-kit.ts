import { outcomeFromNetworkError } from './outcome';
import type { FailureOutcome, OptionField, OptionValue } from './types';

/** A network failure on a read (a list endpoint): nothing was changed upstream, so never `unknown`. */
export function readNetworkFailure(erp: string, err: unknown): FailureOutcome {
  const o = outcomeFromNetworkError(erp, err);
  return o.kind === 'unknown' ? { ...o, kind: 'transient' } : o;
}

type Row = Record<string, unknown>;

/** The rows of a list answer: a bare array, or the array under one of `keys` (`items`, `results`, …). */
export function rowsOf(json: unknown, ...keys: string[]): Row[] {
  if (Array.isArray(json)) return json.filter((r): r is Row => !!r && typeof r === 'object');
  for (const k of keys) {
    const v = (json as Row | undefined)?.[k];
    if (Array.isArray(v)) return rowsOf(v);
  }
  return [];
}

/**
 * Rows → option values: `value` from the id column, `label` from the first non-empty label column (else the id),
 * inactive rows left out (`active` false or a status other than active), sorted by label, ids de-duplicated.
 */
export function valuesOf(
  rows: Row[],
  id: string,
  labels: (row: Row) => unknown,
  isActive: (row: Row) => boolean = () => true,
): OptionValue[] {
  const seen = new Set<string>();
  const out: OptionValue[] = [];
  for (const row of rows) {
    const raw = row[id];
    if ((typeof raw !== 'string' && typeof raw !== 'number') || !isActive(row)) continue;
    const value = String(raw);
    if (seen.has(value)) continue;
    seen.add(value);
    const label = labels(row);
    out.push({ value, label: typeof label === 'string' && label.trim() ? label.trim() : value });
  }
  return out.sort((a, b) => a.label.localeCompare(b.label));
}

export const field = (
  pointer: string,
  label: string,
  values: OptionValue[],
  opts: { required?: boolean; multiple?: boolean } = {},
): OptionField => ({
  pointer,
  label,
  required: opts.required ?? false,
  ...(opts.multiple ? { multiple: true } : {}),
  values,
});

/** Joins non-empty name parts ("Ana" + "Gómez" → "Ana Gómez"). */
export const fullName = (...parts: unknown[]) =>
  parts.filter((p): p is string => typeof p === 'string' && p.trim() !== '').join(' ');
