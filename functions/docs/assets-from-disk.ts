import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { DocsAssets } from './page';

/** Swagger UI's files from node_modules (the local stack and tests; the Lambda bundle inlines them instead). */
export function docsAssetsFromDisk(): DocsAssets {
  const dir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
  return { 'swagger-ui-bundle.js': read('swagger-ui-bundle.js'), 'swagger-ui.css': read('swagger-ui.css') };
}
