import * as esbuild from 'esbuild';
const entry = process.argv[2];
const r = await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', minify: true, write: false, metafile: true, outfile: '/tmp/x.mjs', external: [], logLevel: 'silent' });
const m = r.metafile;
const target = process.argv[3] || 'node_modules/zod';
// who imports target from outside node_modules/target
for (const [f, info] of Object.entries(m.inputs)) {
  if (f.includes(target)) continue;
  for (const i of info.imports) if (i.path.includes(target)) console.log(f, '->', i.path);
}
console.log('total', (r.outputFiles[0].contents.length/1024).toFixed(0), 'KiB');
