import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];
// Registered while the test file imports this module, so it runs after the file's own afterAll hooks (vitest
// runs after-hooks in reverse order): servers are closed before their directories go.
afterAll(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * A fresh directory in the system temp dir, removed when the test file ends. Every test uses this instead of
 * a bare mkdtemp, so a run leaves nothing behind (test/setup/temp-dir.ts fails a run that does).
 */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
