import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp';

/**
 * `redocly lint` (Redocly CLI, the recommended ruleset from redocly.yaml) on the committed openapi.json, as an
 * integration engineer runs it before generating an SDK: no error, no warning. The only problem it is told to
 * ignore is listed, with its reason, in .redocly.lint-ignore.yaml. Offline: telemetry is off.
 */
const run = promisify(execFile);
const CLI = path.resolve('node_modules/@redocly/cli/bin/cli.js');

interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: { ruleId: string; severity: string; ignored?: boolean; location: { pointer: string }[] }[];
}

async function lint(file: string): Promise<LintReport> {
  // Exit code 1 on errors; the JSON report is on stdout either way.
  const out = await run(process.execPath, [CLI, 'lint', file, '--format=json'], {
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    timeout: 60_000,
  }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
  return JSON.parse(out.stdout) as LintReport;
}

const tmp = tempDir('openapi-lint-');

describe('redocly lint openapi.json (recommended ruleset)', () => {
  it('reports 0 errors and 0 warnings; only the documented JobMessage problem is ignored', async () => {
    const report = await lint('openapi.json');
    expect(report.problems.filter((p) => !p.ignored)).toEqual([]);
    expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: 1 });
    expect(fs.readFileSync('.redocly.lint-ignore.yaml', 'utf8')).toContain(
      "'#/components/schemas/JobMessage'",
    );
  }, 60_000);

  it('would fail on a regression: an operation without operationId or security is reported', async () => {
    const doc = JSON.parse(fs.readFileSync('openapi.json', 'utf8'));
    delete doc.paths['/v1/jobs'].get.operationId;
    delete doc.paths['/health'].get.security;
    const file = path.join(tmp, 'openapi.json');
    fs.writeFileSync(file, JSON.stringify(doc));
    const report = await lint(file);
    const rules = report.problems
      .filter((p) => !p.ignored)
      .map((p) => `${p.ruleId} ${p.location[0]?.pointer}`);
    expect(rules).toContain('operation-operationId #/paths/~1v1~1jobs/get/operationId');
    expect(rules).toContain('security-defined #/paths/~1health/get');
  }, 60_000);
});
