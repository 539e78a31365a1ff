import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { SOURCE_MAPS_DIR } from './constructs/bundled-function';

/**
 * Prints each Lambda bundle's size from a synthesized cloud assembly:
 *   npx cdk synth -c stage=dev --quiet [-c bundleMetafile=true] && npx tsx cdk/bundle-report.ts [cdk.out]
 * With the esbuild metafile (bundleMetafile=true) it also lists the largest packages in each bundle. Source maps
 * are not in the zips; they are listed from cdk.out/source-maps.
 */
export interface BundleRow {
  functions: string[];
  asset: string;
  bytes: number;
  gzipBytes: number;
  /** Largest packages by bytes in the output (only with the metafile). */
  topPackages?: { name: string; bytes: number }[];
}

interface CfnTemplate {
  Resources?: Record<
    string,
    {
      Type: string;
      Properties?: { FunctionName?: unknown; Code?: { S3Key?: unknown } };
      Metadata?: Record<string, unknown>;
    }
  >;
}

interface AssetManifest {
  files?: Record<string, { source: { path?: string }; destinations: Record<string, { objectKey?: string }> }>;
}

/** S3 object key → asset directory, from the stack's asset manifest (works without asset metadata). */
function assetDirsByKey(outdir: string, templateFile: string): Map<string, string> {
  const manifest = join(outdir, templateFile.replace(/\.template\.json$/, '.assets.json'));
  const dirs = new Map<string, string>();
  if (!existsSync(manifest)) return dirs;
  const files = (JSON.parse(readFileSync(manifest, 'utf8')) as AssetManifest).files ?? {};
  for (const f of Object.values(files)) {
    for (const d of Object.values(f.destinations)) {
      if (d.objectKey && f.source.path) dirs.set(d.objectKey, f.source.path);
    }
  }
  return dirs;
}

function packageOf(input: string): string {
  const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/g);
  const last = m?.at(-1);
  return last ? last.replace('node_modules/', '') : '(project)';
}

function topPackages(metafile: string): BundleRow['topPackages'] {
  const meta = JSON.parse(readFileSync(metafile, 'utf8')) as {
    outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
  };
  const sizes = new Map<string, number>();
  for (const out of Object.values(meta.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(out.inputs)) {
      const name = packageOf(input);
      sizes.set(name, (sizes.get(name) ?? 0) + bytesInOutput);
    }
  }
  return (
    [...sizes]
      .map(([name, bytes]) => ({ name, bytes }))
      .sort((a, b) => b.bytes - a.bytes)
      // 12: the API and docs bundles now carry libphonenumber-js and stdnum too, and the AWS SDK client must
      // still show among the largest (test/infra/bundling.test.ts).
      .slice(0, 12)
  );
}

export function bundleReport(outdir: string): BundleRow[] {
  const byAsset = new Map<string, string[]>();
  for (const file of readdirSync(outdir).filter((f) => f.endsWith('.template.json'))) {
    const template = JSON.parse(readFileSync(join(outdir, file), 'utf8')) as CfnTemplate;
    const dirs = assetDirsByKey(outdir, file);
    for (const [id, r] of Object.entries(template.Resources ?? {})) {
      const key = r.Properties?.Code?.S3Key;
      const asset = r.Metadata?.['aws:asset:path'] ?? (typeof key === 'string' ? dirs.get(key) : undefined);
      if (r.Type !== 'AWS::Lambda::Function' || typeof asset !== 'string') continue;
      const name = typeof r.Properties?.FunctionName === 'string' ? r.Properties.FunctionName : id;
      byAsset.set(asset, [...(byAsset.get(asset) ?? []), name]);
    }
  }
  const rows: BundleRow[] = [];
  for (const [asset, functions] of byAsset) {
    const dir = join(outdir, asset);
    const bundle = join(dir, 'index.mjs');
    if (!existsSync(bundle)) continue; // bundling skipped for this stack
    const meta = join(dir, 'index.meta.json');
    rows.push({
      functions: functions.sort(),
      asset,
      bytes: statSync(bundle).size,
      gzipBytes: gzipSync(readFileSync(bundle)).length,
      ...(existsSync(meta) ? { topPackages: topPackages(meta) } : {}),
    });
  }
  return rows.sort((a, b) => b.bytes - a.bytes);
}

/** The source maps synth wrote outside the zips, by entry (api, worker, …). */
export function sourceMapReport(outdir: string): { name: string; bytes: number }[] {
  const dir = join(outdir, SOURCE_MAPS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.mjs.map'))
    .map((f) => ({ name: f.replace(/\.mjs\.map$/, ''), bytes: statSync(join(dir, f)).size }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

const kb = (n: number) => `${(n / 1024).toFixed(0)} KiB`;

export function formatReport(rows: BundleRow[], maps: { name: string; bytes: number }[] = []): string {
  const lines = rows.map((r) => {
    const head = `${kb(r.bytes).padStart(9)} (gzip ${kb(r.gzipBytes).padStart(8)})  ${r.functions.join(', ')}`;
    const top = (r.topPackages ?? []).map((p) => `            ${kb(p.bytes).padStart(8)}  ${p.name}`);
    return [head, ...top].join('\n');
  });
  const mapLines = maps.map((m) => `${kb(m.bytes).padStart(9)}  ${m.name}`);
  return [
    'Lambda bundles (index.mjs, minified ESM):',
    ...lines,
    ...(mapLines.length
      ? [`Source maps (not shipped; ${SOURCE_MAPS_DIR}/<name>.mjs.map):`, ...mapLines]
      : []),
  ].join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outdir = resolve(process.argv[2] ?? 'cdk.out');
  const rows = bundleReport(outdir);
  if (rows.length === 0) {
    console.error(`no bundles in ${outdir}: run \`npx cdk synth -c stage=dev --quiet\` first`);
    process.exit(1);
  }
  console.log(formatReport(rows, sourceMapReport(outdir)));
}
