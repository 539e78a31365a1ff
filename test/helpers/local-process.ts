import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from './temp';

/**
 * `npm start` as a real child process (the same entry point a user runs), on free ports and a data dir of
 * its own. Reads the API URL, key and simulator URLs from the banner it prints.
 */
export interface LocalProcess {
  url: string;
  apiKey: string;
  simulators: Record<string, string>;
  dataDir: string;
  output: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Deletes the data dir (after kill): the test leaves nothing in the temp dir. */
  removeDataDir(): void;
}

/** A data dir for one `npm start`, removed when the test file ends. */
export function tempDataDir(): string {
  return tempDir('erp-bridge-e2e-');
}

/** process.env with these variables set, and those given as undefined removed. */
export function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete out[k];
  return out;
}

export async function startLocalProcess(
  dataDir: string,
  env: Record<string, string | undefined> = {},
): Promise<LocalProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    cwd: process.cwd(),
    env: childEnv({
      LOCAL_DATA_DIR: dataDir,
      LOCAL_RANDOM_PORTS: '1',
      JOB_LEASE_SECONDS: '4',
      SWEEP_STUCK_AFTER_SECONDS: '2',
      UPSTREAM_TIMEOUT_MS: '1500',
      ...env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d) => {
    out += d.toString();
  });
  const deadline = Date.now() + 60_000;
  while (!out.includes('Ctrl-C stops it.')) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`npm start did not come up:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = /API\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] as string;
  const apiKey = fs.readFileSync(path.join(dataDir, 'local-api-key'), 'utf8').trim();
  const simulators: Record<string, string> = {};
  for (const m of out.matchAll(/^\s+([a-z]+)\s+(http:\/\/127\.0\.0\.1:\d+)\s+\(connection: demo-/gm))
    simulators[m[1] as string] = m[2] as string;
  return {
    url,
    apiKey,
    simulators,
    dataDir,
    output: () => out,
    kill: (signal = 'SIGKILL') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
    removeDataDir: () => fs.rmSync(dataDir, { recursive: true, force: true }),
  };
}

/** fetch against the local stack with the tenant key. */
export async function call(
  p: LocalProcess,
  method: string,
  pathname: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(p.url + pathname, {
    method,
    headers: {
      authorization: `Bearer ${p.apiKey}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, headers: res.headers };
}

export async function waitForFinal(p: LocalProcess, jobIds: string[], timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  const final = new Map<string, { status: string; erpCustomerId?: string; reconciled?: boolean }>();
  while (Date.now() < end && final.size < jobIds.length) {
    for (const id of jobIds) {
      if (final.has(id)) continue;
      const r = await call(p, 'GET', `/v1/jobs/${id}`);
      if (['succeeded', 'failed', 'dead_lettered'].includes(r.json?.status)) final.set(id, r.json);
    }
    if (final.size < jobIds.length) await new Promise((r) => setTimeout(r, 250));
  }
  return final;
}
