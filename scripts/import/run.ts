import fs from 'node:fs';
import type { Issue } from '../../shared/errors';
import { type CsvRow, csvField, readCsv, rowKey } from './csv';
import { columnFor, type Mapping, mapRow } from './mapping';

export interface ImportOptions {
  file: string;
  erp: string;
  connection: string;
  mapping: Mapping;
  dryRun?: boolean;
  url: string;
  apiKey: string;
  /** Rows per request (the API takes at most 500 items and 5 MiB). */
  batchSize?: number;
  fetch?: typeof fetch;
  progress?: (p: Progress) => void;
  sleep?: (ms: number) => Promise<void>;
}

export interface Progress {
  total: number;
  done: number;
  accepted: number;
  rejected: number;
  skipped: number;
}

export interface ImportSummary extends Progress {
  batches: number;
  /** The rejected rows with field and message (`<file>.errors.csv`), when any row was rejected. */
  errorsFile?: string;
  /** Rows accepted so far, by row key: a rerun skips them (`<file>.import-state.json`). */
  stateFile: string;
}

interface State {
  erp: string;
  connection: string;
  /** row key → job id. */
  accepted: Record<string, string>;
}

interface ItemAnswer {
  itemId: string;
  status: string;
  jobId?: string;
  error?: { code: string; message: string; details?: Issue[] };
}

/** Under the API's 5 MiB, with room for the envelope. */
const MAX_REQUEST_BYTES = 4.5 * 1024 * 1024;
const MAX_TRIES = 6;

export const stateFileOf = (file: string) => `${file}.import-state.json`;
export const errorsFileOf = (file: string) => `${file.replace(/\.csv$/i, '')}.errors.csv`;

function loadState(path: string, erp: string, connection: string): State {
  try {
    const s = JSON.parse(fs.readFileSync(path, 'utf8')) as State;
    // Another target is another import: nothing of the old one is skipped.
    if (s.erp === erp && s.connection === connection && s.accepted) return s;
  } catch {
    // no state yet
  }
  return { erp, connection, accepted: {} };
}

function saveState(path: string, state: State) {
  fs.writeFileSync(`${path}.tmp`, JSON.stringify(state));
  fs.renameSync(`${path}.tmp`, path);
}

/**
 * Imports a CSV through POST /v1/customers/batch: rows mapped to the unified customer, each item keyed by its row
 * (id column or content hash) so a rerun — after a crash, a network failure or fixing rejected rows — creates no
 * second customer: rows recorded as accepted are skipped, and a batch whose answer was lost is replayed by the API.
 */
export async function importCsv(o: ImportOptions): Promise<ImportSummary> {
  const doFetch = o.fetch ?? fetch;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const csv = readCsv(fs.readFileSync(o.file, 'utf8'));
  const stateFile = stateFileOf(o.file);
  const state = loadState(stateFile, o.erp, o.connection);
  const p: Progress = { total: csv.rows.length, done: 0, accepted: 0, rejected: 0, skipped: 0 };
  const errors: { row: CsvRow; field: string; message: string }[] = [];
  const pending: { row: CsvRow; key: string; mapped: ReturnType<typeof mapRow> }[] = [];
  for (const row of csv.rows) {
    const key = rowKey(row, o.mapping.idColumn);
    if (!o.dryRun && state.accepted[key]) {
      p.skipped++;
      p.done++;
      continue;
    }
    pending.push({ row, key, mapped: mapRow(row.cells, o.mapping) });
  }
  o.progress?.({ ...p });

  let batches = 0;
  const size = Math.min(500, o.batchSize ?? 500);
  for (let start = 0; start < pending.length; ) {
    // As many rows as fit the item and byte limits.
    let end = start;
    let bytes = 0;
    while (end < pending.length && end - start < size) {
      const b = Buffer.byteLength(JSON.stringify((pending[end] as (typeof pending)[number]).mapped.customer));
      if (end > start && bytes + b > MAX_REQUEST_BYTES) break;
      bytes += b + 120;
      end++;
    }
    const chunk = pending.slice(start, end);
    start = end;
    const items = chunk.map((c) => ({
      itemId: `L${c.row.line}`,
      idempotencyKey: c.key,
      customer: c.mapped.customer,
    }));
    const answers = await send(o, doFetch, sleep, items);
    batches++;
    chunk.forEach((c, i) => {
      const a = answers[i] as ItemAnswer;
      if (a.status === 'queued' || a.status === 'valid') {
        p.accepted++;
        if (a.jobId) state.accepted[c.key] = a.jobId;
      } else {
        p.rejected++;
        const details = a.error?.details?.length
          ? a.error.details
          : [{ pointer: '', code: a.error?.code ?? '', message: a.error?.message ?? 'rejected' }];
        for (const d of details) {
          const within = d.pointer.replace(/^\/items\/\d+(\/customer)?/, '');
          errors.push({
            row: c.row,
            field: columnFor(within, c.mapped.sources) ?? within,
            message: d.message,
          });
        }
      }
      p.done++;
    });
    if (!o.dryRun) saveState(stateFile, state);
    o.progress?.({ ...p });
  }

  const errorsFile = errorsFileOf(o.file);
  if (errors.length) writeErrors(errorsFile, csv, errors);
  else fs.rmSync(errorsFile, { force: true });
  return { ...p, batches, stateFile, ...(errors.length ? { errorsFile } : {}) };
}

/** One batch request, retried on 429/5xx/network errors (Retry-After, else backoff); items in request order. */
async function send(
  o: ImportOptions,
  doFetch: typeof fetch,
  sleep: (ms: number) => Promise<void>,
  items: { itemId: string; idempotencyKey: string; customer: unknown }[],
): Promise<ItemAnswer[]> {
  const path = o.dryRun ? '/v1/customers/batch/dry-run' : '/v1/customers/batch';
  let last = '';
  for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
    let res: Response;
    try {
      res = await doFetch(`${o.url.replace(/\/+$/, '')}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${o.apiKey}`,
          'content-type': 'application/json',
          'x-erp': o.erp,
          'x-connection': o.connection,
        },
        body: JSON.stringify({ items }),
      });
    } catch (e) {
      last = (e as Error).message;
      await sleep(Math.min(30_000, 500 * 2 ** attempt));
      continue;
    }
    const body = (await res.json().catch(() => undefined)) as
      | { items?: ItemAnswer[]; error?: { code: string; message: string; details?: Issue[] } }
      | undefined;
    if ((res.status === 202 || res.status === 200) && body?.items) return body.items;
    if (res.status === 422 && body?.error) {
      // No item valid: the envelope lists every item's problems under /items/<i>.
      return items.map((it, i) => ({
        itemId: it.itemId,
        status: 'rejected',
        error: {
          code: body.error?.code ?? 'validation_failed',
          message: body.error?.message ?? '',
          details: (body.error?.details ?? []).filter(
            (d) => d.pointer.startsWith(`/items/${i}/`) || d.pointer === `/items/${i}`,
          ),
        },
      }));
    }
    last = `${res.status} ${body?.error?.code ?? ''} ${body?.error?.message ?? ''}`.trim();
    if (res.status !== 429 && res.status < 500) break;
    const retryAfter = Number(res.headers.get('retry-after'));
    await sleep(
      Number.isFinite(retryAfter) && retryAfter > 0
        ? retryAfter * 1000
        : Math.min(30_000, 500 * 2 ** attempt),
    );
  }
  throw new Error(`the batch was not accepted: ${last}; rerun the same command to resume`);
}

function writeErrors(
  path: string,
  csv: ReturnType<typeof readCsv>,
  errors: { row: CsvRow; field: string; message: string }[],
) {
  const d = csv.delimiter;
  const header = ['line', 'field', 'message', ...csv.headers];
  const lines = [
    header,
    ...errors.map((e) => [
      String(e.row.line),
      e.field,
      e.message,
      ...csv.headers.map((h) => e.row.cells[h] ?? ''),
    ]),
  ];
  const text = lines.map((cols) => cols.map((c) => csvField(c, d)).join(d)).join('\r\n');
  fs.writeFileSync(path, `${csv.bom ? '\ufeff' : ''}${text}\r\n`);
}
