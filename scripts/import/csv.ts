import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';

/** One data row of the file: its 1-based line in the file (where it starts) and its cells by header. */
export interface CsvRow {
  line: number;
  cells: Record<string, string>;
}

export interface CsvFile {
  delimiter: ',' | ';';
  /** The file began with a UTF-8 BOM (Excel's "CSV UTF-8"): the errors file gets one too. */
  bom: boolean;
  headers: string[];
  rows: CsvRow[];
}

/**
 * The delimiter of the header line: `;` when it has more semicolons than commas outside quotes (what Excel writes
 * where the decimal separator is a comma, as in Spanish locales), else `,`.
 */
export function detectDelimiter(text: string): ',' | ';' {
  let quoted = false;
  let commas = 0;
  let semis = 0;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === ';') semis++;
  }
  return semis > commas ? ';' : ',';
}

/**
 * Parses a CSV export with csv-parse (RFC 4180: quoted fields may hold the delimiter, quotes and newlines): UTF-8
 * with or without BOM, `,` or `;`, a header row. Header names are trimmed (and NFC, as the API normalizes text);
 * empty lines are skipped; a row with more or fewer cells than the header is kept as it is and flagged by the caller.
 */
export function readCsv(text: string): CsvFile {
  const bom = text.charCodeAt(0) === 0xfeff;
  const body = bom ? text.slice(1) : text;
  const delimiter = detectDelimiter(body);
  const records = parse(body, {
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  const [head, ...data] = records;
  if (!head) return { delimiter, bom, headers: [], rows: [] };
  const headers = head.record.map((h) => h.trim().normalize('NFC'));
  let previousEnd = head.info.lines;
  const rows = data.map(({ record, info }) => {
    const row: CsvRow = { line: previousEnd + 1, cells: {} };
    previousEnd = info.lines;
    headers.forEach((h, i) => {
      row.cells[h] = record[i] ?? '';
    });
    if (record.length > headers.length) row.cells['…'] = record.slice(headers.length).join(delimiter);
    return row;
  });
  return { delimiter, bom, headers, rows };
}

/**
 * A stable key for a row: its id column when given, else a hash of its cells (the same row, the same key). Text is
 * compared in NFC, so a file re-exported with decomposed accents keys the same rows; an id is kept readable but
 * percent-encoded (never folded: `Niño-1` and `Niøo-1` are two rows), and hashed when that would not fit a key.
 */
export function rowKey(row: CsvRow, idColumn?: string): string {
  const id = idColumn ? row.cells[idColumn]?.normalize('NFC').trim() : undefined;
  if (id) {
    const readable = `csv-id-${encodeURIComponent(id)}`;
    return readable.length <= 200 ? readable : `csv-idh-${sha256(id).slice(0, 40)}`;
  }
  const cells = Object.entries(row.cells)
    .map(([k, v]) => [k.normalize('NFC'), v.normalize('NFC')])
    .sort(([a], [b]) => ((a as string) < (b as string) ? -1 : 1));
  return `csv-row-${sha256(JSON.stringify(cells)).slice(0, 40)}`;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** One CSV field, quoted when it holds the delimiter, a quote or a line break. */
export function csvField(value: string, delimiter: string): string {
  return /["\r\n]/.test(value) || value.includes(delimiter) ? `"${value.replace(/"/g, '""')}"` : value;
}
