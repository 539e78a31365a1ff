import * as z from 'zod';
import { toPointer } from '../../shared/errors';

/**
 * How columns become the unified customer. `columns`: header → pointer (`/name/company`) or
 * `{pointer, type}`; `defaults`: pointer → value for every row; `idColumn`: the column whose value names the row
 * (resuming skips rows by it). Without a mapping file every header is read as a path itself (`name.company`,
 * `/billingAddress/lines/0`, `erpFields.customertypeid:number`).
 */
export const mappingSchema = z.strictObject({
  columns: z
    .record(
      z.string(),
      z.union([
        z.string(),
        z.strictObject({
          pointer: z.string(),
          type: z.enum(['string', 'number', 'boolean', 'list']).optional(),
        }),
      ]),
    )
    .default({}),
  defaults: z.record(z.string(), z.unknown()).default({}),
  idColumn: z.string().optional(),
});
export type Mapping = z.infer<typeof mappingSchema>;
type ColumnType = 'string' | 'number' | 'boolean' | 'list';

/** `name.company`, `/name/company` or `billingAddress.lines.0` → an RFC 6901 pointer, with an optional `:type`. */
export function headerTarget(header: string): { pointer: string; type: ColumnType } | undefined {
  const m = /^(.+?)(?::(string|number|boolean|list))?$/.exec(header.trim());
  if (!m) return undefined;
  const path = m[1] as string;
  const pointer = path.startsWith('/') ? path : toPointer(path.split('.'));
  return /^(\/[^/]+)+$/.test(pointer) ? { pointer, type: (m[2] as ColumnType) ?? 'string' } : undefined;
}

function convert(raw: string, type: ColumnType): unknown {
  const v = raw.trim();
  if (type === 'number') {
    // Spanish-locale spreadsheets write "1.234,5"; a bare "12,5" is a decimal comma.
    const n = Number(
      /^-?\d{1,3}(\.\d{3})*(,\d+)?$/.test(v) ? v.replace(/\./g, '').replace(',', '.') : v.replace(',', '.'),
    );
    return Number.isFinite(n) ? n : v;
  }
  if (type === 'boolean') {
    const t = v.toLowerCase();
    if (['true', 'sí', 'si', 'yes', '1', 'verdadero'].includes(t)) return true;
    if (['false', 'no', '0', 'falso'].includes(t)) return false;
    return v;
  }
  if (type === 'list')
    return v
      .split('|')
      .map((x) => x.trim())
      .filter(Boolean);
  return v;
}

/** Sets `value` at `pointer`, creating objects (and arrays for numeric keys) on the way. */
function setAt(target: Record<string, unknown>, pointer: string, value: unknown) {
  const keys = pointer
    .split('/')
    .slice(1)
    .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: Record<string, unknown> = target;
  keys.forEach((key, i) => {
    if (i === keys.length - 1) {
      node[key] = value;
      return;
    }
    node[key] ??= /^\d+$/.test(keys[i + 1] as string) ? [] : {};
    node = node[key] as Record<string, unknown>;
  });
}

export interface MappedRow {
  customer: Record<string, unknown>;
  /** pointer → the column it came from (to name the column in the errors file). */
  sources: Map<string, string>;
  /** Headers that map to nothing. */
  unmapped: string[];
}

/** One row → the unified customer; empty cells are left out (the ERP's defaults apply). */
export function mapRow(cells: Record<string, string>, mapping: Mapping): MappedRow {
  const customer: Record<string, unknown> = {};
  const sources = new Map<string, string>();
  const unmapped: string[] = [];
  for (const [pointer, value] of Object.entries(mapping.defaults)) setAt(customer, pointer, value);
  for (const [header, raw] of Object.entries(cells)) {
    if (header === mapping.idColumn && !mapping.columns[header]) continue;
    const spec = mapping.columns[header];
    const target = spec
      ? typeof spec === 'string'
        ? { pointer: spec, type: 'string' as const }
        : { pointer: spec.pointer, type: spec.type ?? 'string' }
      : Object.keys(mapping.columns).length
        ? undefined
        : headerTarget(header);
    if (!target) {
      unmapped.push(header);
      continue;
    }
    // Recorded even when empty: "is required" at this pointer names the column to fill.
    sources.set(target.pointer, header);
    if (raw.trim() === '') continue;
    setAt(customer, target.pointer, convert(raw, target.type));
  }
  return { customer, sources, unmapped };
}

/** The column a pointer of an API issue came from: the longest mapped prefix of it. */
export function columnFor(pointer: string, sources: Map<string, string>): string | undefined {
  let best: string | undefined;
  for (const p of sources.keys()) {
    if ((pointer === p || pointer.startsWith(`${p}/`)) && (!best || p.length > best.length)) best = p;
  }
  return best ? sources.get(best) : undefined;
}
