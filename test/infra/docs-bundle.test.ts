import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ESBUILD_TARGET } from '../../cdk/constructs/bundled-function';
import { docsAssetsFromDisk } from '../../functions/docs/assets-from-disk';
import { tempDir } from '../helpers/temp';

// The same esbuild options the stack uses that matter here (ESM, the Lambda runtime's Node, minified, everything bundled).
async function bundle(entry: string) {
  const outdir = tempDir('bundle-');
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: ESBUILD_TARGET,
    minify: true,
    outfile: path.join(outdir, 'index.mjs'),
    mainFields: ['module', 'main'],
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
    logLevel: 'silent',
  });
  return path.join(outdir, 'index.mjs');
}

describe('the docs function carries its own assets; the API function does not', () => {
  it('the bundled docs handler serves Swagger UI with nothing from node_modules at run time', async () => {
    const file = await bundle('functions/docs/handler.ts');
    const size = fs.statSync(file).size;
    console.log(`docs bundle: ${(size / 1024).toFixed(0)} KiB`);
    const { handler } = await import(pathToFileURL(file).href);
    const get = (rawPath: string) =>
      handler({ rawPath, headers: {}, requestContext: { http: { method: 'GET' } } });
    expect((await get('/docs/swagger-ui-bundle.js')).body).toBe(docsAssetsFromDisk()['swagger-ui-bundle.js']);
    expect((await get('/docs')).body).toContain('docs/swagger-ui-bundle.js');
    const committed = fs.readFileSync('openapi.json', 'utf8');
    expect((await get('/openapi.json')).body).toBe(committed);
  });

  // 2 MiB: ~1000 KiB of code, ~300 KiB of the geography tables the API validates addresses against (ISO 3166-2
  // from iso-3166, DANE DIVIPOLA), libphonenumber-js/min (121 KB of numbering-plan metadata), stdnum's
  // per-country validators (95 KB) and the Powertools Tracer (the X-Ray SDK, ~120 KiB); Swagger UI alone would
  // add ~1.9 MB.
  it('the API bundle stays under 1.5 MiB: no Swagger UI, no OpenAPI generator in it', async () => {
    const file = await bundle('functions/api/handler.ts');
    const text = fs.readFileSync(file, 'utf8');
    console.log(`api bundle: ${(text.length / 1024).toFixed(0)} KiB`);
    // Was 1765 KiB before issue 14; ~1430 KiB since zod is imported as a namespace (`import * as z`), which lets
    // esbuild drop its locales and JSON-schema converters (classic zod: ~450 → ~110 KiB).
    expect(text.length).toBeLessThanOrEqual(1.5 * 1024 * 1024);
    expect(text).not.toContain('SwaggerUIBundle');
    // A string literal of shared/api/openapi.ts (minifying keeps literals, renames classes).
    expect(text).not.toContain('Errors share one envelope (ErrorEnvelope)');
  });

  // Issue 14 §4: functions that only read their configuration (and a few small messages) carry no classic zod
  // (its ~450 KiB is the bulk of a bundle), only zod/mini's tree-shaken pieces, and no ERP adapter.
  it.each([
    ['authorizer', 512],
    ['webhook', 640],
  ])('the %s bundle has no classic zod and stays under %i KiB', async (fn, kib) => {
    const text = fs.readFileSync(await bundle(`functions/${fn}/handler.ts`), 'utf8');
    console.log(`${fn} bundle: ${(text.length / 1024).toFixed(0)} KiB`);
    expect(text.length).toBeLessThanOrEqual(kib * 1024);
    // A method only the classic API defines on every schema (zod/mini has none).
    expect(text).not.toContain('superRefine');
  });

  // The sweeper sends connection notices (issue 15) without the ERP registry: a reconnect session offers its own
  // connection's ERP only (shared/runtime/connection-wiring.ts). The API's schemas it used to reach have modules
  // of their own (shared/connections/connection-id.ts, shared/connect/session-body.ts), and a connection's
  // limits are read back from their tag without zod (isConnectionLimits): ~550 KiB with classic zod, ~480 without.
  it('the sweeper bundle has no classic zod, no ERP adapter, and stays under 512 KiB', async () => {
    const text = fs.readFileSync(await bundle('functions/sweeper/handler.ts'), 'utf8');
    console.log(`sweeper bundle: ${(text.length / 1024).toFixed(0)} KiB`);
    expect(text.length).toBeLessThanOrEqual(512 * 1024);
    expect(text).not.toContain('superRefine');
    // An adapter's display name, and libphonenumber's metadata, which only the adapters' mapping needs.
    expect(text).not.toContain('Sage Business Cloud');
    expect(text).not.toContain('libphonenumber');
  });
});
