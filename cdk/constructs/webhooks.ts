import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { WEBHOOK_RETRY } from '../../shared/webhooks/dispatch';
import { resourcePrefix, type StageConfig } from '../stage';
import type { AlarmSink } from './alarm-sink';
import { BundledFunction } from './bundled-function';

export interface WebhooksProps {
  stage: StageConfig;
  /** functions/webhook/handler.ts */
  entry: string;
  table: dynamodb.ITable;
  alarms: AlarmSink;
  /** The functions whose finished-job hook queues deliveries (the ERP workers). */
  producers: lambda.Function[];
}

const DISPATCH_TIMEOUT = Duration.seconds(30);

/**
 * Webhooks: their own queue and DLQ, and a dispatcher that signs and POSTs each final job. Retries are per
 * delivery (ChangeMessageVisibility with backoff + partial batch responses); after WEBHOOK_RETRY.maxAttempts the
 * dispatcher dead-letters explicitly, and maxReceiveCount is only the safety net for crashes. The dispatcher runs
 * outside any VPC, so it reaches nothing private by network design too; it also refuses non-public addresses.
 */
export class Webhooks extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly dispatcher: BundledFunction;

  constructor(scope: Construct, id: string, props: WebhooksProps) {
    super(scope, id);
    const { stage } = props;
    const name = `${resourcePrefix(stage)}-webhooks`;
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: `${name}-dlq`,
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy: stage.removalPolicy,
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: name,
      // Six times the function timeout (Lambda's guidance for SQS event sources).
      visibilityTimeout: Duration.seconds(DISPATCH_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: WEBHOOK_RETRY.maxAttempts + 3 },
      removalPolicy: stage.removalPolicy,
    });

    this.dispatcher = new BundledFunction(this, 'Dispatcher', {
      stage,
      functionName: `${name}-dispatcher`,
      entry: props.entry,
      description: `ERP Bridge ${stage.name}: signs and delivers finished jobs to callback URLs`,
      timeout: DISPATCH_TIMEOUT,
      memorySize: 256,
      environment: {
        STAGE: stage.name,
        TABLE_NAME: props.table.tableName,
        WEBHOOK_QUEUE_URL: this.queue.queueUrl,
        WEBHOOK_DEAD_LETTER_QUEUE_URL: this.deadLetterQueue.queueUrl,
        WEBHOOK_TIMEOUT_MS: '10000',
        POWERTOOLS_SERVICE_NAME: 'erp-bridge-webhook',
        LOG_LEVEL: stage.logLevel,
      },
    });
    const fn = this.dispatcher.fn;
    fn.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: 10 }),
    );
    this.deadLetterQueue.grantSendMessages(fn);
    // The signing secret: one GetItem on the tenant's webhook item; nothing else in the table.
    this.dispatcher.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [props.table.tableArn] }),
    );
    for (const p of props.producers) {
      this.queue.grantSendMessages(p);
      p.addEnvironment('WEBHOOK_QUEUE_URL', this.queue.queueUrl);
    }

    props.alarms.add(this, 'DlqDepth', 'webhooks-dlq-not-empty', {
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 0,
      strictly: true,
      description:
        'Webhook deliveries exhausted their attempts (receiver down or refusing). Jobs are unaffected.',
    });
    props.alarms.add(this, 'Errors', 'webhook-dispatcher-errors', {
      metric: fn.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      description: 'The webhook dispatcher crashed (per-delivery failures are retried, not errors).',
    });
  }
}
