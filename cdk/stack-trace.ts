import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SOURCE_MAPS_DIR } from './constructs/bundled-function';

/**
 * Maps the positions of a deployed function's stack trace (`/var/task/index.mjs:1:52345`) back to the TypeScript
 * sources, with the source map synth left outside the zip (cdk.out/source-maps/<function>.mjs.map):
 *   npm run stack-trace -- worker < trace.txt           (api, worker, webhook, authorizer, sweeper, docs)
 *   npm run stack-trace -- worker --maps <dir> < trace.txt
 * The map must come from the synth of the deployed commit (keep cdk.out/source-maps, or synthesize it again).
 */
export function mapStackTrace(trace: string, { map, file }: LoadedMap, root = process.cwd()): string {
  return trace.replace(
    /(?:file:\/\/)?[^\s()]*index\.mjs:(\d+):(\d+)/g,
    (whole, line: string, column: string) => {
      const entry = map.findEntry(Number(line) - 1, Number(column) - 1) as {
        originalSource?: string;
        originalLine?: number;
        originalColumn?: number;
      };
      if (!entry.originalSource || entry.originalLine === undefined || entry.originalColumn === undefined) {
        return whole;
      }
      const source = entry.originalSource.startsWith('file://')
        ? fileURLToPath(entry.originalSource)
        : // esbuild writes sources relative to the map's own directory (a sibling of source-maps/ in cdk.out).
          resolve(dirname(file), entry.originalSource);
      const shown = source.startsWith(`${root}/`) ? source.slice(root.length + 1) : source;
      return `${shown}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
    },
  );
}

export interface LoadedMap {
  map: SourceMap;
  file: string;
}

export function loadSourceMap(name: string, dir = join('cdk.out', SOURCE_MAPS_DIR)): LoadedMap {
  const file = resolve(dir, `${name}.mjs.map`);
  if (!existsSync(file)) {
    throw new Error(
      `no source map ${file}: run \`npm run synth\` (or \`npx cdk synth -c stage=<stage>\`) first`,
    );
  }
  return { map: new SourceMap(JSON.parse(readFileSync(file, 'utf8'))), file };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [name, flag, dir] = process.argv.slice(2);
  if (!name) {
    console.error(
      'usage: npm run stack-trace -- <api|worker|webhook|authorizer|sweeper|docs> [--maps <dir>] < trace.txt',
    );
    process.exit(2);
  }
  try {
    const loaded = loadSourceMap(name, flag === '--maps' ? dir : undefined);
    process.stdout.write(mapStackTrace(readFileSync(0, 'utf8'), loaded));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
