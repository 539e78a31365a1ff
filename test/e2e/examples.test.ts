import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalProcess, startLocalProcess, tempDataDir } from '../helpers/local-process';

/**
 * One end-to-end run per ERP through `npm start`: each `examples/<erp>.ts` script, run as a user would, must
 * end with its job succeeded and the ERP's own id. This also keeps the examples working.
 */
const run = promisify(execFile);
const examples = fs
  .readdirSync('examples')
  .filter((f) => f.endsWith('.ts') && f !== 'client.ts')
  .map((f) => f.replace(/\.ts$/, ''));

let stack: LocalProcess;
beforeAll(async () => {
  stack = await startLocalProcess(tempDataDir());
}, 90_000);
afterAll(async () => {
  await stack?.kill();
  stack?.removeDataDir();
});

describe('examples/ against npm start', () => {
  it('has an example for every ERP the local stack simulates', () => {
    expect(examples.sort()).toEqual(Object.keys(stack.simulators).sort());
  });

  it.each(examples)(
    '%s: the example creates a customer and its job succeeds with the ERP id',
    async (erp) => {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', `examples/${erp}.ts`], {
        env: { ...process.env, ERP_BRIDGE_URL: stack.url, ERP_BRIDGE_API_KEY: stack.apiKey },
        timeout: 60_000,
      });
      const last = JSON.parse(stdout.trim().split('\n').at(-1) as string);
      expect(last.status).toBe('succeeded');
      expect(String(last.erpCustomerId)).not.toBe('');
    },
    90_000,
  );
});
