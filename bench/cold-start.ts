import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { ESBUILD_TARGET } from '../cdk/constructs/bundled-function';
import { httpApiEvent, lambdaContext } from '../local/api-server';
import { median } from './stats';

const ROOT = path.resolve(import.meta.dirname, '..');

/** The CDK stack's bundling (cdk/constructs/bundled-function.ts), without the source map so size is code. */
const cdkLike = {
  bundle: true,
  platform: 'node' as const,
  format: 'esm' as const,
  target: ESBUILD_TARGET,
  minify: true,
  sourcemap: false,
  mainFields: ['module', 'main'],
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  nodePaths: [path.join(ROOT, 'node_modules')],
  logLevel: 'silent' as const,
};

/** The SDK clients each function needs: its bare twin imports exactly these and nothing else. */
const CLIENTS: Record<string, string[]> = {
  api: ['dynamodb', 'sqs', 'secrets-manager'],
  worker: ['dynamodb', 'sqs', 'secrets-manager'],
  authorizer: ['dynamodb'],
  sweeper: ['dynamodb', 'sqs'],
  webhook: ['dynamodb', 'sqs'],
  connect: ['dynamodb', 'sqs', 'secrets-manager'],
  docs: [],
};
const CLIENT_IMPORT: Record<string, string> = {
  dynamodb:
    "import { DynamoDBClient } from '@aws-sdk/client-dynamodb'; import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'; clients.push(DynamoDBDocumentClient.from(new DynamoDBClient({})));",
  sqs: "import { SQSClient } from '@aws-sdk/client-sqs'; clients.push(new SQSClient({}));",
  'secrets-manager':
    "import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'; clients.push(new SecretsManagerClient({}));",
};

/**
 * The first event each function answers; none of them needs I/O, so only loading and init are timed (what
 * Lambda reports as Init Duration, plus one answer). The scheduled sweeper has no such event: it is given
 * nothing to sweep (NO_IO_ENV). A sweep's queries are its work, not its cold start.
 */
function firstEvent(fn: string): unknown {
  const page: Record<string, string> = {
    api: 'http://x/health',
    docs: 'http://x/docs',
    connect: 'http://x/connect/assets/connect.css',
  };
  if (page[fn]) return httpApiEvent({ method: 'GET', url: new URL(page[fn]), headers: {} });
  if (fn === 'authorizer') return { type: 'REQUEST', headers: {}, routeArn: 'arn:aws:execute-api:x' };
  if (fn === 'sweeper') return {};
  return { Records: [] };
}

/**
 * What every cold start runs with: AWS endpoints that refuse connections (port 9, discard), so a first answer
 * that made an AWS call would fail the row instead of timing the call; and no ERP queues, so the sweeper sweeps
 * nothing (the worker's own queue comes from ERP and JOB_QUEUE_URL).
 */
const NO_IO_ENV = {
  DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
  SQS_ENDPOINT: 'http://127.0.0.1:9',
  SECRETS_MANAGER_ENDPOINT: 'http://127.0.0.1:9',
  JOB_QUEUE_URLS: '{}',
};

export interface ColdStartRow {
  fn: string;
  bytes: number;
  bareBytes: number;
  ms: number;
  bareMs: number;
  error?: string;
}

async function bundle(entry: string, outfile: string): Promise<number> {
  await build({ ...cdkLike, entryPoints: [entry], outfile });
  return fs.statSync(outfile).size;
}

/**
 * Spawns a fresh `node`, imports the bundle, calls the handler once; ms from spawn to the printed answer. The
 * context's methods do not survive JSON, so the one the handlers call is put back.
 */
function coldStart(file: string, event: unknown, env: Record<string, string | undefined>): Promise<number> {
  const script = `const m = await import(${JSON.stringify(file)});
const r = await m.handler(${JSON.stringify(event)}, { ...${JSON.stringify(lambdaContext('bench'))}, getRemainingTimeInMillis: () => 30000 });
process.stdout.write('ANSWER ' + JSON.stringify(r ?? null).slice(0, 80) + '\\n');`;
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...env, ...NO_IO_ENV, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('ANSWER')) {
        const ms = performance.now() - t;
        child.kill();
        resolve(ms);
      }
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('exit', () => {
      const lines = err.split('\n').filter((l) => /Error|error/.test(l));
      if (!out.includes('ANSWER')) reject(new Error(lines[0] ?? 'no answer'));
    });
  });
}

export async function benchColdStart(
  env: Record<string, string | undefined>,
  runs = 5,
): Promise<ColdStartRow[]> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-bench-bundles-'));
  const fns = fs
    .readdirSync(path.join(ROOT, 'functions'))
    .filter((f) => fs.existsSync(path.join(ROOT, 'functions', f, 'handler.ts')));
  const rows: ColdStartRow[] = [];
  for (const fn of fns) {
    const file = path.join(out, `${fn}.mjs`);
    const bareSrc = path.join(out, `${fn}-bare.ts`);
    const bareFile = path.join(out, `${fn}-bare.mjs`);
    const clients = CLIENTS[fn] ?? ['dynamodb'];
    fs.writeFileSync(
      bareSrc,
      `const clients: unknown[] = [];\n${clients.map((c) => CLIENT_IMPORT[c]).join('\n')}\n` +
        'export const handler = async () => ({ statusCode: 200, body: String(clients.length) });\n',
    );
    const row: ColdStartRow = { fn, bytes: 0, bareBytes: 0, ms: Number.NaN, bareMs: Number.NaN };
    try {
      row.bytes = await bundle(path.join(ROOT, 'functions', fn, 'handler.ts'), file);
      row.bareBytes = await bundle(bareSrc, bareFile);
      const ours: number[] = [];
      const bare: number[] = [];
      const event = firstEvent(fn);
      // Alternate so machine noise hits both alike.
      for (let i = 0; i < runs; i++) {
        ours.push(await coldStart(file, event, env));
        bare.push(await coldStart(bareFile, event, env));
      }
      row.ms = median(ours);
      row.bareMs = median(bare);
    } catch (e) {
      row.error = (e as Error).message.slice(0, 160);
    }
    rows.push(row);
  }
  fs.rmSync(out, { recursive: true, force: true });
  return rows;
}
