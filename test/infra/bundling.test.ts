import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BundleRow, bundleReport, formatReport, sourceMapReport } from '../../cdk/bundle-report';
import { SOURCE_MAPS_DIR } from '../../cdk/constructs/bundled-function';
import { loadSourceMap, mapStackTrace } from '../../cdk/stack-trace';
import { FIXTURE_ADAPTERS } from './fixtures/adapters';
import { synthStack } from './synth';

// Real esbuild bundling (local binary, no Docker) of the four real entries, once for this file.
let rows: BundleRow[];
let outdir: string;
beforeAll(() => {
  const s = synthStack({
    adapters: FIXTURE_ADAPTERS.slice(0, 2),
    bundle: true,
    context: { bundleMetafile: 'true' },
  });
  s.app.synth();
  outdir = s.outdir;
  rows = bundleReport(outdir);
}, 300_000);

describe('Lambda bundles', () => {
  it('exist for every function; workers of all ERPs share one bundle', () => {
    expect(rows.length).toBe(7);
    expect(rows.flatMap((r) => r.functions).sort()).toEqual(
      [
        'dev-erp-bridge-api',
        'dev-erp-bridge-authorizer',
        'dev-erp-bridge-connect',
        'dev-erp-bridge-docs',
        'dev-erp-bridge-webhooks-dispatcher',
        'dev-erp-bridge-quickbooks-worker',
        'dev-erp-bridge-siigo-worker',
        'dev-erp-bridge-sweeper',
      ].sort(),
    );
    expect(rows.find((r) => r.functions.includes('dev-erp-bridge-siigo-worker'))?.functions).toContain(
      'dev-erp-bridge-quickbooks-worker',
    );
  });

  it('are minified ESM without a source map in the zip, and the AWS SDK bundled in', () => {
    for (const r of rows) {
      const code = readFileSync(join(outdir, r.asset, 'index.mjs'), 'utf8');
      // Minified: a handful of very long lines (only multi-line template literals break them).
      expect(code.length / code.split('\n').length, r.asset).toBeGreaterThan(2_000);
      // (The docs bundle inlines Swagger UI, whose own text mentions its map: look for ours only.)
      expect(code.includes('sourceMappingURL=index.mjs'), r.asset).toBe(false);
      expect(existsSync(join(outdir, r.asset, 'index.mjs.map')), r.asset).toBe(false);
      // Nothing left to resolve from node_modules at run time (the runtime's SDK copy is not used).
      // Only the SDK's optional SigV4a/CRT signers stay as guarded require()s (multi-region features we don't use).
      const external = [...code.matchAll(/(?:from\s*|require\(|import\()["'](@aws-sdk\/[^"']+)["']/g)].map(
        (m) => m[1],
      );
      expect(new Set(external)).toEqual(
        new Set(external.length ? ['@aws-sdk/signature-v4-crt', '@aws-sdk/signature-v4a'] : []),
      );
      expect(r.topPackages?.map((p) => p.name)).toEqual(expect.arrayContaining(['@aws-sdk/client-dynamodb']));
      // Tree-shaken: the full SDK would be many MiB; the whole bundle stays small (the docs function, which
      // inlines Swagger UI and the OpenAPI document, is the largest at ~3.2 MiB).
      expect(r.bytes, r.asset).toBeLessThan(3.5 * 1024 * 1024);
    }
  });

  it('load on Node as ES modules and export `handler`', () => {
    for (const r of rows) {
      const out = execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(join(outdir, r.asset, 'index.mjs'))}); console.log(typeof m.handler);`,
        ],
        { encoding: 'utf8', env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1' } },
      );
      expect(out.trim(), r.functions.join()).toBe('function');
    }
  }, 120_000);

  it('trace the X-Ray SDK in the API, workers and webhook dispatcher only (not the latency-critical authorizer)', () => {
    const bundleOf = (fn: string) => {
      const row = rows.find((r) => r.functions.includes(fn));
      if (!row) throw new Error(`no bundle for ${fn}`);
      return readFileSync(join(outdir, row.asset, 'index.mjs'), 'utf8');
    };
    // The SDK's own package.json is inlined by the bundle when it is included.
    const xray = 'name:"aws-xray-sdk-core"';
    for (const fn of ['api', 'siigo-worker', 'webhooks-dispatcher'])
      expect(bundleOf(`dev-erp-bridge-${fn}`)).toContain(xray);
    for (const fn of ['authorizer', 'sweeper', 'docs'])
      expect(bundleOf(`dev-erp-bridge-${fn}`)).not.toContain(xray);
  });

  it('keep function names, and their source maps (beside the assembly) map a stack trace to the TypeScript', () => {
    const row = rows.find((r) => r.functions.includes('dev-erp-bridge-siigo-worker'));
    const code = readFileSync(join(outdir, row!.asset, 'index.mjs'), 'utf8');
    // keepNames: the handler factory still carries its name after minification.
    expect(code).toMatch(/"createWorkerHandler"/);
    const lines = code.split('\n');
    const line = lines.findIndex((l) => l.includes('"createWorkerHandler"'));
    const column = lines[line]!.indexOf('"createWorkerHandler"');
    const trace = `Error: boom\n    at createWorkerHandler (file:///var/task/index.mjs:${line + 1}:${column + 1})`;
    const mapped = mapStackTrace(trace, loadSourceMap('worker', join(outdir, SOURCE_MAPS_DIR)));
    expect(mapped).toMatch(/at createWorkerHandler \(functions\/worker\/handler\.ts:\d+:\d+\)/);
    expect(sourceMapReport(outdir).map((m) => m.name)).toEqual(
      ['api', 'authorizer', 'connect', 'docs', 'sweeper', 'webhook', 'worker'].sort(),
    );
  });

  it('are reported with their sizes', () => {
    const text = formatReport(rows, sourceMapReport(outdir));
    for (const r of rows) for (const f of r.functions) expect(text).toContain(f);
    expect(text).toMatch(/\d+ KiB \(gzip +\d+ KiB\)/);
    expect(text).toMatch(/Source maps \(not shipped/);
  });
});
