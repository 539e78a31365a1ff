import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_RUNTIME } from '../../cdk/constructs/bundled-function';
import { listAdapters } from '../../shared/erps/registry';
import { FIXTURE_ADAPTERS } from './fixtures/adapters';
import { synthStack } from './synth';

interface Report {
  pluginReports: { pluginName: string; conclusion: string; violations: { ruleName: string }[] }[];
}
const report = (outdir: string): Report =>
  JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));

type Resources = Record<
  string,
  { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string }
>;

// The committed `prod` stage of cdk.json, exactly as `cdk synth -c stage=prod` builds it: every registered ERP
// plus the fixtures (so worker resources are checked even while the registry is short), cdk-nag on. One synth.
const registered = new Set(listAdapters().map((a) => a.id));
const adapters = [...listAdapters(), ...FIXTURE_ADAPTERS.filter((a) => !registered.has(a.id))];
let s: ReturnType<typeof synthStack>;
let synthError: unknown;
let t: Template;
beforeAll(() => {
  s = synthStack({ adapters, nag: true, context: { stage: 'prod' } });
  try {
    s.app.synth();
  } catch (e) {
    synthError = e;
  }
  t = Template.fromStack(s.stack);
}, 240_000);

describe('cdk-nag AwsSolutionsChecks on prod', () => {
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
    // (No AwsSolutions-L1: every function runs the latest Node runtime, nodejs24.x.)
    expect(new Set(acks.map((a) => a.id.replace(/\[.*$/, '')))).toEqual(
      new Set(['AwsSolutions-IAM5', 'AwsSolutions-APIG4']),
    );
    // The table's indexes are named per function now: no `index/*` wildcard is accepted.
    expect(acks.map((a) => a.id).filter((id) => id.includes('/index/'))).toEqual([]);
  });
});

describe('a durable stage (prod in cdk.json)', () => {
  it('prefixes every physical name with the stage and hard-codes no account or region', () => {
    t.hasResourceProperties('AWS::DynamoDB::Table', { TableName: 'prod-erp-bridge' });
    t.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'prod-erp-bridge-siigo-jobs' });
    t.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'prod-erp-bridge-api' });
    const json = JSON.stringify(t.toJSON());
    expect(json).not.toMatch(/\b\d{12}\b/);
    expect(json).not.toMatch(/(us|eu|ap|sa|ca|me|af)-(east|west|north|south|central|northeast|southeast)-\d/);
  });

  it('runs every function (each ERP worker included) on nodejs24.x', () => {
    const fns = Object.values(t.findResources('AWS::Lambda::Function') as Resources);
    expect(fns.length).toBeGreaterThan(adapters.length);
    for (const f of fns)
      expect(f.Properties.Runtime, String(f.Properties.FunctionName)).toBe(LAMBDA_RUNTIME.name);
    expect(LAMBDA_RUNTIME.name).toBe('nodejs24.x');
  });

  it('retains table, KMS keys, queues and log groups on update and delete, but not after a failed create', () => {
    for (const type of ['AWS::DynamoDB::Table', 'AWS::KMS::Key', 'AWS::SQS::Queue', 'AWS::Logs::LogGroup']) {
      const found = Object.entries(t.findResources(type));
      expect(found.length, type).toBeGreaterThan(0);
      for (const [id, r] of found) {
        expect(r.DeletionPolicy, id).toBe('RetainExceptOnCreate');
        expect(r.UpdateReplacePolicy, id).toBe('Retain');
      }
    }
    // Three keys: the table's, the connection secrets', the alarm topic's.
    expect(Object.keys(t.findResources('AWS::KMS::Key'))).toHaveLength(3);
  });

  it('leaves deletion protection off for the first deploy and says so at synth', () => {
    t.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false });
    const warnings = s.stack.node.metadata
      .filter((m) => m.type === 'aws:cdk:warning')
      .map((m) => String(m.data));
    expect(warnings.join('\n')).toMatch(/stages\.prod\.tableDeletionProtection is off/);
  });

  it('keeps logs a year, throttles at the committed rates and mails alarms to the committed address', () => {
    for (const [id, r] of Object.entries(t.findResources('AWS::Logs::LogGroup') as Resources)) {
      expect(r.Properties.RetentionInDays, id).toBe(365);
    }
    t.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 },
    });
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    const topic = Object.keys(t.findResources('AWS::SNS::Topic'))[0];
    for (const a of Object.values(t.findResources('AWS::CloudWatch::Alarm') as Resources)) {
      expect(a.Properties.AlarmActions).toEqual([{ Ref: topic }]);
    }
  });

  it("reads Siigo's Partner-Id from SSM at deploy time into the Siigo worker and the API only", () => {
    const params = t.toJSON().Parameters as Record<string, { Type: string; Default: string }>;
    // (CDK's own BootstrapVersion parameter reads /cdk-bootstrap/…; ours are the stage's.)
    const [param, ...others] = Object.entries(params).filter(([, p]) => p.Default.startsWith('/erp-bridge/'));
    expect(others).toEqual([]);
    expect(param![1]).toEqual({
      Type: 'AWS::SSM::Parameter::Value<String>',
      Default: '/erp-bridge/prod/siigo-partner-id',
    });
    const envOf = (name: string) => {
      const [fn] = Object.values(
        t.findResources('AWS::Lambda::Function', { Properties: { FunctionName: name } }) as Resources,
      );
      return (fn!.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    };
    expect(envOf('prod-erp-bridge-siigo-worker').SIIGO_PARTNER_ID).toEqual({ Ref: param![0] });
    expect(envOf('prod-erp-bridge-api').SIIGO_PARTNER_ID).toEqual({ Ref: param![0] });
    expect(envOf('prod-erp-bridge-alegra-worker').SIIGO_PARTNER_ID).toBeUndefined();
  });

  it('names the dashboard with the region', () => {
    t.hasResourceProperties('AWS::CloudWatch::Dashboard', {
      DashboardName: { 'Fn::Join': ['', ['prod-erp-bridge-', { Ref: 'AWS::Region' }]] },
    });
    t.hasOutput('DashboardName', { Value: Match.anyValue() });
  });
});

describe('the cdk-nag gate itself', () => {
  it('fails synthesis on an unacknowledged finding', () => {
    const gate = synthStack({ adapters: [], nag: true });
    new sqs.Queue(gate.stack, 'PlainQueue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    expect(() => gate.app.synth()).toThrow(/AwsSolutions-SQS2/);
    const rules = report(gate.outdir).pluginReports.flatMap((r) => r.violations.map((v) => v.ruleName));
    expect(rules).toContain('AwsSolutions-SQS4');
  });
});
