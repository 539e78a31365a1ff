import { Match } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { stageConfig } from '../../cdk/stage';
import { workerSizing } from '../../cdk/worker-sizing';
import { FIXTURE_ADAPTERS, fixtureAdapter } from './fixtures/adapters';
import { synthStack } from './synth';

const ctx = (values: Record<string, unknown>) => (k: string) => values[k];

describe('stage config from context', () => {
  it('requires a well-formed stage name', () => {
    expect(() => stageConfig(ctx({}))).toThrow(/-c stage=/);
    expect(() => stageConfig(ctx({ stage: 'Prod EU' }))).toThrow(/-c stage=/);
  });

  it('treats only dev as disposable; any other stage is kept safe', () => {
    expect(stageConfig(ctx({ stage: 'dev' }))).toMatchObject({
      ephemeral: true,
      logRetention: RetentionDays.ONE_WEEK,
    });
    expect(stageConfig(ctx({ stage: 'staging' }))).toMatchObject({
      ephemeral: false,
      logRetention: RetentionDays.THREE_MONTHS,
    });
  });

  it('reads overrides and rejects retention values CloudWatch does not offer', () => {
    const s = stageConfig(
      ctx({ stage: 'prod', logRetentionDays: '365', corsOrigins: 'https://a.example, https://b.example' }),
    );
    expect(s.logRetention).toBe(RetentionDays.ONE_YEAR);
    expect(s.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(() => stageConfig(ctx({ stage: 'prod', logRetentionDays: '10' }))).toThrow(/logRetentionDays/);
  });
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

describe('a durable stage (prod)', () => {
  const t = synthStack({
    adapters: FIXTURE_ADAPTERS.slice(0, 1),
    context: { stage: 'prod', corsOrigins: 'https://app.example' },
  }).template();

  it('prefixes every physical name with the stage and hard-codes no account or region', () => {
    t.hasResourceProperties('AWS::DynamoDB::Table', { TableName: 'prod-erp-bridge' });
    t.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'prod-erp-bridge-siigo-jobs' });
    t.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'prod-erp-bridge-api' });
    const json = JSON.stringify(t.toJSON());
    expect(json).not.toMatch(/\b\d{12}\b/);
    expect(json).not.toMatch(/(us|eu|ap|sa|ca|me|af)-(east|west|north|south|central|northeast|southeast)-\d/);
  });

  it('protects data: deletion protection, retained table, key, queues and logs', () => {
    t.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
    for (const type of ['AWS::KMS::Key', 'AWS::SQS::Queue', 'AWS::Logs::LogGroup']) {
      for (const [id, r] of Object.entries(t.findResources(type)))
        expect(r.DeletionPolicy, id).toBe('Retain');
    }
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  it('turns CORS on for configured origins only', () => {
    t.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://app.example'] }),
    });
  });

  it('creates no alarm topic unless asked, but still has the alarms', () => {
    t.resourceCountIs('AWS::SNS::Topic', 0);
    expect(Object.keys(t.findResources('AWS::CloudWatch::Alarm')).length).toBeGreaterThan(0);
  });
});
