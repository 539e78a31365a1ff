import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { afterAll, describe, expect, it } from 'vitest';
import { stageConfig } from '../../cdk/stage';
import { workerSizing } from '../../cdk/worker-sizing';
import { fixtureAdapter } from './fixtures/adapters';
import { cdkJsonContext } from './synth';

const committed = cdkJsonContext();
/** Context as the CLI passes it: cdk.json's, plus `-c` flags; `stages` entries may be replaced. */
const ctx =
  (flags: Record<string, unknown>, stages: Record<string, unknown> = {}) =>
  (k: string) =>
    ({ ...committed, stages: { ...(committed.stages as object), ...stages }, ...flags })[k];
const alarmed = {
  alarms: { email: 'ops@example.com' },
  erps: { siigo: { settings: { partnerId: 'AcmeBridge' } } },
};

describe('stage configuration (cdk.json stages.<stage>, validated at synth)', () => {
  it('requires a well-formed stage name', () => {
    expect(() => stageConfig(ctx({}))).toThrow(/-c stage=/);
    expect(() => stageConfig(ctx({ stage: 'Prod EU' }))).toThrow(/-c stage=/);
  });

  it('ships dev as disposable and prod as durable, with its alarm target and Partner-Id from SSM', () => {
    expect(stageConfig(ctx({ stage: 'dev' }))).toMatchObject({
      ephemeral: true,
      removalPolicy: RemovalPolicy.DESTROY,
      logRetention: RetentionDays.ONE_WEEK,
      throttle: { rateLimit: 20, burstLimit: 40 },
    });
    const prod = stageConfig(ctx({ stage: 'prod' }));
    expect(prod).toMatchObject({
      ephemeral: false,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
      logRetention: RetentionDays.ONE_YEAR,
      alarms: { emails: [expect.stringContaining('@')] },
      erpEnvironment: { siigo: { SIIGO_PARTNER_ID: { ssm: '/erp-bridge/prod/siigo-partner-id' } } },
    });
    // Deletion protection is off until the first deploy succeeded: the synth says so.
    expect(prod.warnings.join()).toMatch(/stages\.prod\.tableDeletionProtection.*first successful deploy/);
  });

  it('fails a durable stage without an alarm target, naming the setting', () => {
    // Not in cdk.json: durable by default, so a typo in a stage name never yields a stack that deletes data.
    expect(() => stageConfig(ctx({ stage: 'staging' }))).toThrow(
      /stages\.staging\.alarms: a durable stage needs an alarm target.*stages\.staging\.alarms\.email.*stages\.staging\.alarms\.topicArn/s,
    );
    expect(() =>
      stageConfig(ctx({ stage: 'staging' }, { staging: { erps: alarmed.erps, alarms: {} } })),
    ).toThrow(/stages\.staging\.alarms/);
    expect(
      stageConfig(
        ctx(
          { stage: 'staging' },
          { staging: { ...alarmed, alarms: { topicArn: 'arn:aws:sns:eu-west-1:123456789012:oncall' } } },
        ),
      ).alarms,
    ).toEqual({ emails: [], topicArn: 'arn:aws:sns:eu-west-1:123456789012:oncall' });
  });

  it('-c ephemeral=true marks a disposable (PR) stage, but never turns a committed durable stage into one', () => {
    expect(stageConfig(ctx({ stage: 'pr-123', ephemeral: 'true' }))).toMatchObject({
      ephemeral: true,
      removalPolicy: RemovalPolicy.DESTROY,
      alarms: { emails: [] },
    });
    expect(() => stageConfig(ctx({ stage: 'prod', ephemeral: 'true' }))).toThrow(
      /ephemeral=true refused: stages\.prod is a durable stage/,
    );
    expect(() => stageConfig(ctx({ stage: 'pr-1', ephemeral: 'yes' }))).toThrow(
      /-c ephemeral must be true or false/,
    );
  });

  it('refuses the old per-key -c flags a later deploy would forget', () => {
    expect(() => stageConfig(ctx({ stage: 'prod', alarmEmail: 'a@b.example' }))).toThrow(
      /-c alarmEmail is no longer read: set stages\.prod\.alarms\.email in cdk\.json/,
    );
  });

  it('requires a real Siigo Partner-Id on a durable stage and checks its form; dev may use the default', () => {
    const noPartner = { alarms: { email: 'ops@example.com' } };
    expect(() => stageConfig(ctx({ stage: 'staging' }, { staging: noPartner }))).toThrow(
      /stages\.staging\.erps\.siigo\.settings\.partnerId: required on a durable stage/,
    );
    expect(() =>
      stageConfig(
        ctx(
          { stage: 'staging' },
          { staging: { ...noPartner, erps: { siigo: { settings: { partnerId: 'Acme Bridge!' } } } } },
        ),
      ),
    ).toThrow(/stages\.staging\.erps\.siigo\.settings\.partnerId: must be 3 to 100 letters or digits/);
    expect(stageConfig(ctx({ stage: 'dev' })).erpEnvironment.siigo).toBeUndefined();
  });

  it('maps base-URL overrides to each adapter’s variable, rejecting unknown names and non-https URLs', () => {
    const stage = (erps: Record<string, unknown>) =>
      ctx({ stage: 'staging' }, { staging: { ...alarmed, erps } });
    const ok = stageConfig(
      stage({
        siigo: {
          settings: { partnerId: 'AcmeBridge' },
          endpoints: { base: 'https://siigo-proxy.example.com' },
        },
        netsuite: { endpoints: { base: { ssm: '/erp-bridge/staging/netsuite-base' } } },
      }),
    );
    expect(ok.erpEnvironment).toEqual({
      siigo: { SIIGO_PARTNER_ID: 'AcmeBridge', SIIGO_BASE_URL: 'https://siigo-proxy.example.com' },
      netsuite: { NETSUITE_BASE_URL: { ssm: '/erp-bridge/staging/netsuite-base' } },
    });
    expect(() =>
      stageConfig(stage({ ...alarmed.erps, alegra: { endpoints: { bse: 'https://x.example' } } })),
    ).toThrow(/stages\.staging\.erps\.alegra\.endpoints\.bse: unknown \(known: base\)/);
    expect(() =>
      stageConfig(stage({ ...alarmed.erps, alegra: { endpoints: { base: 'http://alegra.example' } } })),
    ).toThrow(/stages\.staging\.erps\.alegra\.endpoints\.base: must be an https:\/\/ URL/);
    expect(() => stageConfig(stage({ ...alarmed.erps, odoo: {} }))).toThrow(/stages\.staging\.erps/);
    // An ERP the stack does not deploy (a test stack with one adapter) cannot be configured by mistake.
    expect(() =>
      stageConfig(ctx({ stage: 'staging' }, { staging: alarmed }), [fixtureAdapter('alegra')]),
    ).toThrow(/stages\.staging\.erps\.siigo: siigo is not deployed by this stack/);
  });

  it('validates every other setting by name: retention, throttling, CORS, domain and edge', () => {
    const bad = (settings: Record<string, unknown>) =>
      stageConfig(ctx({ stage: 'staging' }, { staging: { ...alarmed, ...settings } }));
    expect(() => bad({ logRetentionDays: 10 })).toThrow(
      /stages\.staging\.logRetentionDays: must be a CloudWatch/,
    );
    expect(() => bad({ logLevel: 'VERBOSE' })).toThrow(/stages\.staging\.logLevel/);
    expect(() => bad({ api: { rateLimit: -1 } })).toThrow(/stages\.staging\.api\.rateLimit/);
    expect(() => bad({ api: { corsOrigins: ['http://app.example'] } })).toThrow(
      /stages\.staging\.api\.corsOrigins/,
    );
    expect(() => bad({ alarms: { email: 'not-an-address' } })).toThrow(/stages\.staging\.alarms\.email/);
    expect(() => bad({ unknownSetting: true })).toThrow(/stages\.staging.*unknownSetting/);
    expect(() => bad({ disableExecuteApiEndpoint: true })).toThrow(
      /stages\.staging\.disableExecuteApiEndpoint: needs customDomain/,
    );
    const domain = {
      customDomain: {
        domainName: 'api.example.com',
        certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
      },
    };
    const edge = { webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/x/abc' };
    expect(() => bad({ ...domain, edge })).toThrow(
      /stages\.staging\.edge: needs customDomain .* disableExecuteApiEndpoint/,
    );
    expect(bad({ ...domain, disableExecuteApiEndpoint: true, edge }).edge).toMatchObject(edge);
    const s = bad({ api: { rateLimit: 50, burstLimit: 100, corsOrigins: ['https://app.example'] } });
    expect(s).toMatchObject({
      throttle: { rateLimit: 50, burstLimit: 100 },
      corsOrigins: ['https://app.example'],
    });
  });
});

describe('cdk/app.ts (what `cdk synth` runs)', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'erp-bridge-app-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('fails synth of a durable stage without an alarm target, with the setting in the message', async () => {
    // The CLI hands context to the app in CDK_CONTEXT_JSON; the stage check runs before any construct is built.
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'cdk/app.ts'], {
      env: {
        PATH: process.env.PATH,
        CDK_OUTDIR: outdir,
        CDK_CONTEXT_JSON: JSON.stringify({ ...committed, stage: 'staging' }),
      },
    });
    await expect(run).rejects.toMatchObject({
      stderr: expect.stringMatching(/stages\.staging\.alarms: a durable stage needs an alarm target/),
    });
  }, 60_000);
});

describe('worker sizing', () => {
  it('keeps visibility ≥ 6 × function timeout, even for long upstream timeouts, within SQS limits', () => {
    for (const timeoutMs of [1_000, 15_000, 60_000, 290_000]) {
      const s = workerSizing(fixtureAdapter('netsuite', { timeoutMs }));
      expect(s.functionTimeoutSeconds).toBeLessThanOrEqual(900);
      expect(s.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * s.functionTimeoutSeconds);
      expect(s.visibilityTimeoutSeconds).toBeLessThanOrEqual(12 * 3600);
    }
  });

  it('puts maxReceiveCount above the attempt limit and clamps concurrency and batch size to Lambda limits', () => {
    expect(workerSizing(fixtureAdapter('next', { maxAttempts: 2 })).maxReceiveCount).toBe(5);
    expect(workerSizing(fixtureAdapter('next', { maxAttempts: 10 })).maxReceiveCount).toBe(13);
    expect(workerSizing(fixtureAdapter('next', { maxConcurrency: 5000, batchSize: 50 }))).toMatchObject({
      maxConcurrency: 1000,
      batchSize: 10,
    });
  });
});
