import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { simulators } from '../../local/simulators';
import {
  call,
  childEnv,
  type LocalProcess,
  startLocalProcess,
  tempDataDir,
  waitForFinal,
} from '../helpers/local-process';

/**
 * Issue 17 §5: `npm start` coexists with other programs (every listener's port has a variable; a clash is one
 * line naming the port and the variable) and stays quiet (the banner, then nothing per request unless
 * LOG_LEVEL=INFO); `npm run tenant-key` and `redrive` say "is the local stack running?" when it is not.
 */
const run = promisify(execFile);
/** The test runner's own quieting (vitest.config.ts env) removed: the stack is heard as a user hears it. */
const AS_A_USER = {
  POWERTOOLS_LOG_LEVEL: undefined,
  POWERTOOLS_METRICS_DISABLED: undefined,
};
const started: LocalProcess[] = [];
afterAll(async () => {
  for (const s of started) {
    await s.kill();
    s.removeDataDir();
  }
});

/**
 * A free port below Linux's ephemeral range (32768+), so no program binding port 0 meanwhile takes it before
 * the stack does; the stack's defaults (3000, 41xx, 4566, 4569) are avoided too.
 */
async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    const srv = net.createServer();
    const ok = await new Promise<boolean>((r) => {
      srv.once('error', () => r(false));
      srv.listen(port, '127.0.0.1', () => r(true));
    });
    if (ok) {
      await new Promise((r) => srv.close(r));
      return port;
    }
  }
}

/** A port for every listener, each through its own variable (nothing left on a default). */
async function explicitPorts(): Promise<Record<string, string | undefined>> {
  const env: Record<string, string | undefined> = { LOCAL_RANDOM_PORTS: '0', ...AS_A_USER };
  for (const v of ['PORT', 'LOCAL_DYNAMODB_PORT', 'LOCAL_SQS_PORT']) env[v] = String(await freePort());
  for (const erp of Object.keys(simulators)) {
    env[`LOCAL_${erp.toUpperCase()}_SIMULATOR_PORT`] = String(await freePort());
  }
  return env;
}

const company = {
  personType: 'company',
  name: { company: 'Quiet Stack AS' },
  externalId: 'CRM-QUIET-1',
  billingAddress: { lines: ['Storgata 1'], city: 'Oslo', postalCode: '0155', country: 'NO' },
  erpFields: { customertypeid: 1 },
};

/** What the process printed after its banner. */
const afterBanner = (p: LocalProcess) => p.output().split('Ctrl-C stops it.')[1] ?? '';

describe('npm start coexists and stays quiet', () => {
  it('listens where each port variable says; by default prints the banner and nothing per request', async () => {
    const env = await explicitPorts();
    const stack = await startLocalProcess(tempDataDir(), env);
    started.push(stack);
    expect(stack.url).toBe(`http://127.0.0.1:${env.PORT}`);
    for (const erp of Object.keys(simulators)) {
      expect(stack.simulators[erp]).toBe(
        `http://127.0.0.1:${env[`LOCAL_${erp.toUpperCase()}_SIMULATOR_PORT`]}`,
      );
    }
    const r = await call(stack, 'POST', '/v1/customers', company, {
      'x-erp': 'next',
      'x-connection': 'demo-next',
    });
    expect(r.status).toBe(202);
    expect((await waitForFinal(stack, [r.json.jobId])).get(r.json.jobId)?.status).toBe('succeeded');
    expect(afterBanner(stack).trim()).toBe('');
  }, 120_000);

  it('with LOG_LEVEL=INFO, one JSON line per request', async () => {
    const stack = await startLocalProcess(tempDataDir(), { ...AS_A_USER, LOG_LEVEL: 'INFO' });
    started.push(stack);
    expect((await call(stack, 'GET', '/v1/erps')).status).toBe(200);
    for (let i = 0; i < 150 && !afterBanner(stack).includes('"request"'); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const lines = afterBanner(stack).trim().split('\n');
    expect(lines.map((l) => JSON.parse(l)).find((l) => l.message === 'request')).toMatchObject({
      level: 'INFO',
      path: '/v1/erps',
      status: 200,
    });
    expect(afterBanner(stack)).not.toContain('No application metrics');
  }, 120_000);

  it.each([
    ['LOCAL_SQS_PORT', 'the SQS emulator'],
    ['LOCAL_SAGE_SIMULATOR_PORT', 'the sage simulator'],
  ])(
    'a port clash on %s is one line naming the port and the variable, not a stack trace',
    async (variable, what) => {
      const blocker = net.createServer();
      await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
      const taken = (blocker.address() as net.AddressInfo).port;
      const dataDir = tempDataDir();
      try {
        const env = {
          ...process.env,
          ...(await explicitPorts()),
          [variable]: String(taken),
          LOCAL_DATA_DIR: dataDir,
        };
        const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], { env });
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
        });
        child.stderr.on('data', (d) => {
          out += d;
        });
        const code = await new Promise<number | null>((r) => child.on('exit', r));
        expect(code).toBe(1);
        expect(out.trim().split('\n')).toEqual([
          `port ${taken} is in use (${what}): set ${variable} to a free port, or LOCAL_RANDOM_PORTS=1 to put every listener on a free port`,
        ]);
      } finally {
        await new Promise((r) => blocker.close(r));
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
    60_000,
  );

  it.each([
    ['tenant-key', ['local/tenant-key.ts', '--tenant', 'acme'], 'LOCAL_DYNAMODB_PORT'],
    ['redrive', ['scripts/redrive.ts', '--stage', 'local', '--erp', 'siigo'], 'LOCAL_SQS_PORT'],
  ])(
    'npm run %s without a running stack asks whether it runs, with no runtime warning',
    async (_n, argv, v) => {
      const closed = String(await freePort());
      const out = await run(process.execPath, ['--import', 'tsx', ...argv], {
        env: childEnv({ ...AS_A_USER, [v]: closed }),
      }).then(
        () => ({ code: 0, text: '' }),
        (e: { code: number; stdout: string; stderr: string }) => ({
          code: e.code,
          text: e.stdout + e.stderr,
        }),
      );
      expect(out.code).toBe(1);
      expect(out.text).toContain('is the local stack running (npm start)?');
      expect(out.text).not.toMatch(/warning/i);
      expect(out.text.trim().split('\n').length).toBeLessThanOrEqual(2);
    },
    60_000,
  );
});
