import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type Mapping, mappingSchema } from './import/mapping';
import { importCsv, type Progress } from './import/run';

/**
 * npm run import -- --file customers.csv --erp siigo --connection c1 [--map mapping.json] [--dry-run]
 *   [--url http://127.0.0.1:3000] [--key <tenant API key>]
 * The key defaults to $ERP_BRIDGE_API_KEY, then .data/local-api-key (npm start); the URL to $ERP_BRIDGE_URL.
 */
const USAGE =
  'usage: npm run import -- --file customers.csv --erp <erp> --connection <id> [--map mapping.json] [--dry-run] [--url URL] [--key KEY]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    file: { type: 'string' },
    erp: { type: 'string' },
    connection: { type: 'string' },
    map: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    url: { type: 'string' },
    key: { type: 'string' },
  },
  strict: true,
});
if (!values.file || !values.erp || !values.connection) fail('--file, --erp and --connection are required');
if (!fs.existsSync(values.file)) fail(`no file ${values.file}`);

let mapping: Mapping = { columns: {}, defaults: {} };
if (values.map) {
  const parsed = mappingSchema.safeParse(JSON.parse(fs.readFileSync(values.map, 'utf8')));
  if (!parsed.success)
    fail(`${values.map}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  mapping = parsed.data;
}
const keyFile = path.join(process.env.LOCAL_DATA_DIR ?? '.data', 'local-api-key');
const apiKey =
  values.key ??
  process.env.ERP_BRIDGE_API_KEY ??
  (fs.existsSync(keyFile) ? fs.readFileSync(keyFile, 'utf8').trim() : '');
if (!apiKey) fail('no API key: pass --key, set ERP_BRIDGE_API_KEY, or run npm start first');

const tty = process.stderr.isTTY;
function bar(p: Progress) {
  const width = 30;
  const filled = p.total ? Math.round((p.done / p.total) * width) : width;
  const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${p.done}/${p.total} rows  accepted ${p.accepted}  rejected ${p.rejected}  skipped ${p.skipped}`;
  process.stderr.write(tty ? `\r${line}` : `${line}\n`);
}

try {
  const s = await importCsv({
    file: values.file,
    erp: values.erp,
    connection: values.connection,
    mapping,
    dryRun: values['dry-run'],
    url: values.url ?? process.env.ERP_BRIDGE_URL ?? 'http://127.0.0.1:3000',
    apiKey,
    progress: bar,
  });
  if (tty) process.stderr.write('\n');
  const verb = values['dry-run'] ? 'valid' : 'accepted';
  process.stdout.write(
    `${s.total} rows: ${s.accepted} ${verb}, ${s.rejected} rejected, ${s.skipped} skipped (accepted by an earlier run), in ${s.batches} batch(es)\n` +
      (s.errorsFile ? `rejected rows with field and message: ${s.errorsFile}\n` : ''),
  );
  process.exit(s.rejected ? 1 : 0);
} catch (e) {
  if (tty) process.stderr.write('\n');
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(3);
}
