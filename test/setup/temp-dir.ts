import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * vitest globalSetup: the whole run gets a temp dir of its own (TMPDIR, inherited by every worker and every
 * process a test starts), and the run fails if anything is left in it at the end — tests remove what they
 * create. The dir itself is always removed, so a failed run does not pile up either.
 */
export default function setup() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-bridge-test-run-'));
  process.env.TMPDIR = root;
  return () => {
    // Tools' caches, not tests' leftovers: tsx keeps its compile cache in <tmpdir>/tsx-<uid>, and CLIs that call
    // Node's module.enableCompileCache() (Node >= 22: redocly, tsc) keep V8 code in <tmpdir>/node-compile-cache.
    const left = fs.readdirSync(root).filter((e) => !/^(tsx-\d+|node-compile-cache)$/.test(e));
    fs.rmSync(root, { recursive: true, force: true });
    if (left.length) {
      // An error thrown here is only printed; the exit code is what fails npm test and CI.
      console.error(`FAIL: the tests left ${left.length} entries in the temp dir: ${left.join(', ')}`);
      process.exitCode = 1;
    }
  };
}
