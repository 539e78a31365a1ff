import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { WEBHOOK_RETRY } from '../../shared/webhooks/dispatch';
import { backoffDelayMs } from '../../shared/worker/backoff';
import { resourcePrefix, type StageConfig } from '../stage';
import { type AlarmSink, ERRORS_M_OF_N, RUNBOOK } from './alarm-sink';
import { BundledFunction } from './bundled-function';
import type { JobTable } from './job-table';

export interface WebhooksProps {
  stage: StageConfig;
  /** functions/webhook/handler.ts */
  entry: string;
  table: JobTable;
  alarms: AlarmSink;
  /** The functions whose finished-job hook queues deliveries (the ERP workers). */
  producers: lambda.Function[];
}

const DISPATCH_TIMEOUT = Duration.seconds(30);

/**
 * The longest a delivery can legitimately stay queued: every attempt's dispatch timeout plus the longest backoff
 * before each retry (jitter at its maximum). Older than this, the dispatcher is not consuming.
 */
export function webhookRetryBudgetSeconds(): number {
  let ms = WEBHOOK_RETRY.maxAttempts * DISPATCH_TIMEOUT.toMilliseconds();
  for (let attempt = 1; attempt < WEBHOOK_RETRY.maxAttempts; attempt++) {
    ms += backoffDelayMs(attempt, WEBHOOK_RETRY, () => 1);
  }
  return Math.ceil(ms / 1000);
}

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
        TABLE_NAME: props.table.table.tableName,
        WEBHOOK_QUEUE_URL: this.queue.queueUrl,
        WEBHOOK_DEAD_LETTER_QUEUE_URL: this.deadLetterQueue.queueUrl,
        WEBHOOK_TIMEOUT_MS: '10000',
        POWERTOOLS_SERVICE_NAME: 'erp-bridge-webhook',
      },
    });
    const fn = this.dispatcher.fn;
    fn.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: 10 }),
    );
    this.deadLetterQueue.grantSendMessages(fn);
    // The signing secret: GetItem on webhook items (WEBHOOK#<tenant>); nothing else in the table.
    props.table.grant(this.dispatcher.role, 'webhook');
    for (const p of props.producers) this.addProducer(p);

    props.alarms.add(this, 'DlqDepth', 'webhooks-dlq-not-empty', {
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 0,
      strictly: true,
      description:
        'Webhook deliveries exhausted their attempts (receiver down or refusing). Jobs are unaffected.',
      runbook: RUNBOOK.webhookDlq,
    });
    props.alarms.add(this, 'OldestMessage', 'webhooks-oldest-message-age', {
      metric: this.queue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: webhookRetryBudgetSeconds(),
      description:
        'A webhook delivery is older than its whole retry schedule: the dispatcher is not consuming (throttled, failing or disabled).',
      runbook: RUNBOOK.webhookAge,
    });
    props.alarms.add(this, 'Errors', 'webhook-dispatcher-errors', {
      metric: fn.metricErrors({ period: Duration.minutes(1), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      ...ERRORS_M_OF_N,
      description: 'The webhook dispatcher crashed (per-delivery failures are retried, not errors).',
      runbook: RUNBOOK.webhookErrors,
    });
  }

  /** A function that queues deliveries (a worker's finished-job hook; the API's batch.finished). */
  addProducer(fn: lambda.Function): void {
    this.queue.grantSendMessages(fn);
    fn.addEnvironment('WEBHOOK_QUEUE_URL', this.queue.queueUrl);
  }
}
