import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { listAdapters } from '../../shared/erps/registry';
import { FIXTURE_ADAPTERS } from './fixtures/adapters';
import { synthStack } from './synth';

interface Report {
  pluginReports: { pluginName: string; conclusion: string; violations: { ruleName: string }[] }[];
}
const report = (outdir: string): Report =>
  JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));

// Every registered ERP plus the fixtures (so worker resources are checked even while the registry is short),
// with the optional alarm topic on, and as a durable (prod-like) stage.
const registered = new Set(listAdapters().map((a) => a.id));
const adapters = [...listAdapters(), ...FIXTURE_ADAPTERS.filter((a) => !registered.has(a.id))];

describe('cdk-nag AwsSolutionsChecks', () => {
  let s: ReturnType<typeof synthStack>;
  let synthError: unknown;
  beforeAll(() => {
    s = synthStack({ adapters, nag: true, context: { stage: 'prod', alarmEmail: 'ops@example.com' } });
    try {
      s.app.synth();
    } catch (e) {
      synthError = e;
    }
  });

  it('reports zero unacknowledged findings', () => {
    expect(String(synthError ?? '')).toBe('');
    const failures = report(s.outdir).pluginReports.filter((r) => r.conclusion !== 'success');
    expect(failures.flatMap((r) => r.violations.map((v) => v.ruleName))).toEqual([]);
  });

  it('gives every acknowledgement a specific reason', () => {
    const acks = s.stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      .map(([id, reason]) => ({ id: id.replace(/^[A-Za-z]+::/, ''), reason }));
    expect(acks.length).toBeGreaterThan(0);
    for (const a of acks) {
      expect(a.id).toMatch(/^AwsSolutions-[A-Z0-9]+(\[.+\])?$/);
      expect(a.reason.length, a.id).toBeGreaterThanOrEqual(60);
    }
    // Only these rules are accepted anywhere; a new kind of finding needs a review, not a blanket ack.
    expect(new Set(acks.map((a) => a.id.replace(/\[.*$/, '')))).toEqual(
      new Set(['AwsSolutions-IAM5', 'AwsSolutions-L1', 'AwsSolutions-APIG4']),
    );
  });
});

describe('the cdk-nag gate itself', () => {
  it('fails synthesis on an unacknowledged finding', () => {
    const s = synthStack({ adapters: [], nag: true });
    new sqs.Queue(s.stack, 'PlainQueue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    expect(() => s.app.synth()).toThrow(/AwsSolutions-SQS2/);
    const rules = report(s.outdir).pluginReports.flatMap((r) => r.violations.map((v) => v.ruleName));
    expect(rules).toContain('AwsSolutions-SQS4');
  });
});
