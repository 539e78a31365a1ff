import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { AlarmSink } from '../../cdk/constructs/alarm-sink';
import { LAMBDA_RUNTIME } from '../../cdk/constructs/bundled-function';
import { JobTable } from '../../cdk/constructs/job-table';
import { Webhooks, webhookRetryBudgetSeconds } from '../../cdk/constructs/webhooks';
import { stageConfig } from '../../cdk/stage';
import { WEBHOOK_RETRY } from '../../shared/webhooks/dispatch';
import { tempDir } from '../helpers/temp';
import { cdkJsonContext } from './synth';

// The construct on its own (the stack hook is the lead's to merge): bundling skipped, assets are placeholders.
const app = new App({
  context: { ...cdkJsonContext(), stage: 'dev', 'aws:cdk:bundling-stacks': [] },
  outdir: tempDir('erp-bridge-cdk-'),
});
const stage = stageConfig((k) => app.node.tryGetContext(k));
const stack = new Stack(app, 'T');
const table = new JobTable(stack, 'Table', { stage });
const worker = new lambda.Function(stack, 'Worker', {
  runtime: LAMBDA_RUNTIME,
  handler: 'index.handler',
  code: lambda.Code.fromInline('export const handler = async () => {}'),
});
new Webhooks(stack, 'Webhooks', {
  stage,
  entry: 'functions/webhook/handler.ts',
  table,
  alarms: new AlarmSink(stack, 'Alarms', { stage }),
  producers: [worker],
});
const t = Template.fromStack(stack);

describe('webhooks construct', () => {
  it('a queue with a DLQ (14 days), both encrypted, the redrive a safety net above the dispatcher attempts', () => {
    t.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'dev-erp-bridge-webhooks',
      VisibilityTimeout: 180,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { maxReceiveCount: WEBHOOK_RETRY.maxAttempts + 3 },
    });
    t.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'dev-erp-bridge-webhooks-dlq',
      MessageRetentionPeriod: 14 * 86_400,
    });
  });

  it('the dispatcher consumes with partial batch responses and knows both queues', () => {
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    t.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'dev-erp-bridge-webhooks-dispatcher',
      Environment: {
        Variables: Match.objectLike({
          WEBHOOK_QUEUE_URL: Match.anyValue(),
          WEBHOOK_DEAD_LETTER_QUEUE_URL: Match.anyValue(),
        }),
      },
    });
    const env = JSON.stringify(t.findResources('AWS::Lambda::Function'));
    expect(env).not.toContain('WEBHOOK_ALLOW_LOOPBACK');
  });

  it('workers get the queue URL and may send to it; the dispatcher only reads webhook items and dead-letters', () => {
    t.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Environment: { Variables: { WEBHOOK_QUEUE_URL: Match.anyValue() } },
    });
    const policies = JSON.stringify(t.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('dynamodb:GetItem');
    expect(policies).not.toContain('dynamodb:PutItem');
    expect(policies).toContain('sqs:SendMessage');
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'dynamodb:GetItem',
            Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['WEBHOOK#*'] } },
          }),
        ]),
      },
    });
  });

  it('alarms when a delivery is dead-lettered, outlives its retry schedule, or the dispatcher keeps failing', () => {
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'dev-erp-bridge-webhooks-dlq-not-empty' });
    // 8 attempts of 30 s plus backoff 30 s, 1, 2, 4, 8, 16, 30, 30 min at most: about 1 h 35 min.
    expect(webhookRetryBudgetSeconds()).toBe(8 * 30 + 30 + 60 + 120 + 240 + 480 + 960 + 1800);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'dev-erp-bridge-webhooks-oldest-message-age',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Threshold: webhookRetryBudgetSeconds(),
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'dev-erp-bridge-webhook-dispatcher-errors',
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
    });
  });
});
