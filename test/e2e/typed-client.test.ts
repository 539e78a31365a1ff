import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalProcess, startLocalProcess, tempDataDir } from '../helpers/local-process';

/**
 * Issue 19: a client generated from the committed openapi.json by a generator nobody here wrote
 * (openapi-typescript, with the flag the README names) type-checks under TypeScript 5 and the repo's
 * TypeScript 7, and does the README walk-through against `npm start`: store a connection, preview, create a
 * customer, poll the job, list ERPs, read the customer schema. The example's @ts-expect-error lines also
 * prove that createCustomer and dryRunCustomer each have one success type.
 */
const run = promisify(execFile);
const DIR = 'examples/typed-client';
const TYPES = path.join(DIR, 'erp-bridge.d.ts');

let stack: LocalProcess | undefined;
beforeAll(async () => {
  // The README's command, with openapi-typescript's `import 'typescript'` answered by TypeScript 5.
  await run(
    process.execPath,
    [
      '--import',
      './test/helpers/use-typescript5.mjs',
      'node_modules/openapi-typescript/bin/cli.js',
      'openapi.json',
      '-o',
      TYPES,
      '--default-non-nullable',
      'false',
    ],
    { timeout: 120_000 },
  );
  stack = await startLocalProcess(tempDataDir());
}, 180_000);
afterAll(async () => {
  await stack?.kill();
  stack?.removeDataDir();
  fs.rmSync(TYPES, { force: true });
});

describe('a client generated from openapi.json (openapi-typescript + openapi-fetch)', () => {
  it('type-checks with TypeScript 5 and with the repo TypeScript 7', async () => {
    expect(fs.readFileSync(TYPES, 'utf8')).toContain('dryRunCustomer');
    // TypeScript 7 checks everything, the generated .d.ts and openapi-fetch's types included; TypeScript 5
    // (slower) checks the client code against them.
    for (const [tsc, ...flags] of [
      ['node_modules/typescript/bin/tsc'],
      ['node_modules/typescript5/bin/tsc', '--skipLibCheck'],
    ] as const) {
      const out = await run(process.execPath, [tsc, '-p', `${DIR}/tsconfig.json`, ...flags], {
        timeout: 120_000,
      }).catch((e: { stdout?: string }) => ({ stdout: `FAILED\n${e.stdout}` }));
      expect(out.stdout, tsc).toBe('');
    }
  }, 240_000);

  it('does the README walk-through against npm start', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', `${DIR}/walkthrough.ts`], {
      env: { ...process.env, ERP_BRIDGE_URL: stack?.url, ERP_BRIDGE_API_KEY: stack?.apiKey },
      timeout: 90_000,
    });
    const seen = JSON.parse(stdout.trim().split('\n').at(-1) as string);
    expect(seen).toMatchObject({
      connection: 'typed-client-siigo',
      verified: true,
      status: 'succeeded',
      schemaErp: 'siigo',
      missingCode: 'not_found',
    });
    expect(seen.previewUrl).toMatch(/\/v1\/customers$/);
    expect(seen.erpCustomerId).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen.erps).toEqual(expect.arrayContaining(['siigo', 'alegra', 'quickbooks', 'netsuite', 'sage']));
  }, 120_000);
});
