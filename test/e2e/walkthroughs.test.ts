import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulators } from '../../local/simulators';
import { type LocalProcess, startLocalProcess, waitForFinal } from '../helpers/local-process';
import { docFiles, type FencedBlock, fencedBlocks } from '../helpers/markdown';
import { tempDir } from '../helpers/temp';

/**
 * Issue 17 §2: the curl walk-throughs of README.md and docs/, followed in order as a user would, against one
 * `npm start`. Every ```bash block that calls the stack runs as written, after the substitutions a user makes
 * by reading the banner: the real ports for the default ones (3000, the simulators' 4101-4107) and the last
 * job id for `<jobId>`. Each call must answer below 400, or the status its `# → NNN` comment names
 * (test/e2e/walkthrough-prelude.sh). A block that needs AWS is marked
 * `<!-- walkthrough: skip, needs AWS; covered by <test file> -->` on the line before its fence.
 */
const run = promisify(execFile);
const PRELUDE = path.resolve('test/e2e/walkthrough-prelude.sh');

interface Walk extends FencedBlock {
  file: string;
}
const walks: Walk[] = docFiles().flatMap((file) =>
  fencedBlocks(fs.readFileSync(file, 'utf8'))
    .filter((b) => b.lang === 'bash' && /\bcurl\b/.test(b.body))
    .map((b) => ({ ...b, file })),
);
const runnable = walks.filter((w) => !w.marker);

/**
 * `# → 422 …` after a command: the command before it must answer exactly that status; `# → 422 details:
 * /ptr code, /ptr code` also names issues its details must hold.
 */
function withExpectations(body: string): string {
  const lines = body.split('\n');
  const startsCommand = (i: number) =>
    /^[^\s#]/.test(lines[i] as string) && !(lines[i - 1] ?? '').trimEnd().endsWith('\\');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*#\s*→\s*(\d{3})\b(?:\s+details:\s*(.*))?/.exec(lines[i] as string);
    if (!m) continue;
    const details = (m[2] ?? '')
      .split(',')
      .map((d) => d.trim().split(/\s+/).slice(0, 2).join(' '))
      .filter((d) => d.startsWith('/'))
      .join(';');
    let j = i - 1;
    while (j >= 0 && !startsCommand(j)) j--;
    if (j >= 0) lines[j] = `__EXPECT=${m[1]} __EXPECT_DETAILS='${details}' ${lines[j]}`;
  }
  return lines.join('\n');
}

let stack: LocalProcess | undefined;
let work = '';
beforeAll(async () => {
  work = tempDir('walkthroughs-');
  stack = await startLocalProcess(path.join(work, '.data'));
}, 120_000);
afterAll(async () => {
  await stack?.kill();
});

describe('every curl walk-through in README.md and docs/', () => {
  it('is runnable as written, or marked with the test that covers it instead', () => {
    expect(runnable.length).toBeGreaterThan(10);
    for (const w of walks) {
      const where = `${w.file}:${w.line}`;
      if (w.marker) {
        const test = /covered by (test\/\S+\.test\.ts)/.exec(w.marker)?.[1];
        expect(test && fs.existsSync(test), `${where}: the marker names an existing test`).toBe(true);
        continue;
      }
      expect(w.body, `${where} calls the local stack`).toMatch(/127\.0\.0\.1:3000/);
      for (const line of w.body.split('\n').filter((l) => !/^\s*#/.test(l))) {
        const code = line.replace(/\s#\s.*$/, '');
        expect(code, `${where}: a placeholder a user cannot run`).not.toMatch(/…|<(?!jobId>)[a-zA-Z-]+>/);
      }
    }
  });

  it('uses each Idempotency-Key once across all docs (following README then a doc never answers 409)', () => {
    const keys = runnable.flatMap((w) =>
      [...w.body.matchAll(/Idempotency-Key: ([^'"\s]+)/g)].map((m) => m[1]),
    );
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  it('runs in order against npm start: every call answers as documented, no job fails', async () => {
    const s = stack as LocalProcess;
    const log = path.join(work, 'walk.log');
    const ports: [string, string][] = [
      ['http://127.0.0.1:3000', s.url],
      ...Object.entries(simulators).map(
        ([erp, sim]) => [`http://127.0.0.1:${sim?.port}`, s.simulators[erp] as string] as [string, string],
      ),
    ];
    for (const w of runnable) {
      let script = withExpectations(w.body).replaceAll('<jobId>', '$LAST_JOB_ID');
      for (const [from, to] of ports) script = script.replaceAll(from, to);
      fs.appendFileSync(log, `block ${w.file}:${w.line}\n`);
      await run('bash', ['-c', `source ${JSON.stringify(PRELUDE)}\n${script}`], {
        cwd: work,
        env: { ...process.env, WALK_LOG: log },
        timeout: 60_000,
      }).catch((e: { code?: number; stderr?: string }) =>
        // Not e.message: it repeats the whole script.
        fs.appendFileSync(log, `FAIL the block exited ${e.code}: ${(e.stderr ?? '').trim().slice(-300)}\n`),
      );
    }
    const lines = fs.readFileSync(log, 'utf8').trim().split('\n');
    // Each failure with the block it came from.
    let block = '';
    const failures = lines.flatMap((l) => {
      if (l.startsWith('block ')) block = l.slice(6);
      return l.startsWith('FAIL') ? [`${block}: ${l}`] : [];
    });
    expect(failures).toEqual([]);
    expect(lines.filter((l) => l.startsWith('ok ')).length).toBeGreaterThan(30);

    // Jobs may still wait for an ERP's rate limit; none that finished may have failed.
    const jobs = [...new Set(lines.filter((l) => l.startsWith('job ')).map((l) => l.slice(4)))];
    expect(jobs.length).toBeGreaterThan(10);
    const final = await waitForFinal(s, jobs, 30_000);
    const failed = [...final.values()].filter((j) => j.status !== 'succeeded');
    expect(failed).toEqual([]);
  }, 600_000);
});
