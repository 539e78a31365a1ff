import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ErpAdapter } from '../../shared/erps/types';
import { erpSettingsEnvironment } from '../erp-settings';
import { metricsNamespace, resourcePrefix, type StageConfig } from '../stage';
import { workerSizing } from '../worker-sizing';
import { type AlarmSink, ERRORS_M_OF_N, RUNBOOK } from './alarm-sink';
import { BundledFunction } from './bundled-function';
import type { ConnectionSecrets } from './connection-secrets';
import type { JobTable } from './job-table';

export interface ErpWorkerProps {
  stage: StageConfig;
  adapter: ErpAdapter<unknown>;
  entry: string;
  table: JobTable;
  secrets: ConnectionSecrets;
  alarms: AlarmSink;
}

/** The worker-duration alarm fires at this share of the function timeout. */
export const DURATION_ALARM_SHARE = 0.8;

/** DLQ retention: the SQS maximum, longer than any job can stay in its source queue. */
export const DLQ_RETENTION = Duration.days(14);

/** Everything one ERP needs, generated from its registry entry: queue, DLQ, worker, event source, alarms. */
export class ErpWorker extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly worker: BundledFunction;

  constructor(scope: Construct, id: string, props: ErpWorkerProps) {
    super(scope, id);
    const { stage, adapter } = props;
    const erp = adapter.id;
    const sizing = workerSizing(adapter);
    const name = `${resourcePrefix(stage)}-${erp}`;

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: `${name}-dlq`,
      retentionPeriod: DLQ_RETENTION,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy: stage.removalPolicy,
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: `${name}-jobs`,
      visibilityTimeout: Duration.seconds(sizing.visibilityTimeoutSeconds),
      retentionPeriod: Duration.days(4),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: sizing.maxReceiveCount },
      removalPolicy: stage.removalPolicy,
    });

    this.worker = new BundledFunction(this, 'Worker', {
      stage,
      functionName: `${name}-worker`,
      entry: props.entry,
      description: `ERP Bridge ${stage.name}: creates customers in ${adapter.displayName}`,
      timeout: Duration.seconds(sizing.functionTimeoutSeconds),
      // Waits on the network almost all the time; the smallest size that keeps cold starts short.
      memorySize: 256,
      environment: {
        STAGE: stage.name,
        ERP: erp,
        TABLE_NAME: props.table.table.tableName,
        JOB_QUEUE_URL: this.queue.queueUrl,
        DEAD_LETTER_QUEUE_URL: this.deadLetterQueue.queueUrl,
        SECRETS_PREFIX: props.secrets.prefix,
        CONNECTION_STORE: 'secrets-manager',
        CREDENTIALS_CACHE_TTL_SECONDS: '300',
        POWERTOOLS_SERVICE_NAME: 'erp-bridge-worker',
        POWERTOOLS_METRICS_NAMESPACE: metricsNamespace(stage),
        // Partner-Id and base-URL overrides of this ERP (cdk.json stages.<stage>.erps.<erp>).
        ...erpSettingsEnvironment(this, stage, erp),
      },
    });
    const fn = this.worker.fn;
    fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: sizing.batchSize,
        maxBatchingWindow: Duration.seconds(sizing.maxBatchingWindowSeconds),
        // Retries are per record (ChangeMessageVisibility + partial batch response), never the whole batch.
        reportBatchItemFailures: true,
        maxConcurrency: sizing.maxConcurrency,
      }),
    );
    // Consume + ChangeMessageVisibility on its queue come with the event source; explicit dead-lettering:
    this.deadLetterQueue.grantSendMessages(fn);
    props.table.grant(this.worker.role, 'worker');
    props.secrets.grantWorker(
      this.worker.role,
      erp,
      adapter.rotatesCredentials === true,
      adapter.capabilities.inlineCredentials,
    );

    const alarms = props.alarms;
    alarms.add(this, 'DlqDepth', `${erp}-dlq-not-empty`, {
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 0,
      strictly: true,
      description: `${adapter.displayName}: jobs were dead-lettered. Inspect, fix, then redrive.`,
      runbook: RUNBOOK.dlq,
    });
    alarms.add(this, 'OldestMessage', `${erp}-oldest-message-age`, {
      metric: this.queue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: sizing.oldestMessageAlarmSeconds,
      description: `${adapter.displayName}: a job has waited longer than its whole retry budget (worker stalled or throttled).`,
      runbook: RUNBOOK.queueAge,
    });
    alarms.add(this, 'WorkerErrors', `${erp}-worker-errors`, {
      metric: fn.metricErrors({ period: Duration.minutes(1), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      ...ERRORS_M_OF_N,
      description: `${adapter.displayName}: the worker crashed (per-record failures are retried, not errors).`,
      runbook: RUNBOOK.workerErrors,
    });
    alarms.add(this, 'WorkerThrottles', `${erp}-worker-throttles`, {
      metric: fn.metricThrottles({ period: Duration.minutes(1), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      ...ERRORS_M_OF_N,
      description: `${adapter.displayName}: the worker is throttled (account concurrency exhausted).`,
      runbook: RUNBOOK.workerThrottles,
    });
    alarms.add(this, 'WorkerDuration', `${erp}-worker-duration`, {
      metric: fn.metricDuration({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: Math.round(sizing.functionTimeoutSeconds * 1000 * DURATION_ALARM_SHARE),
      ...ERRORS_M_OF_N,
      description: `${adapter.displayName}: invocations ran past ${DURATION_ALARM_SHARE * 100} % of the ${sizing.functionTimeoutSeconds} s timeout (the ERP is slow; timeouts leave outcomes unknown).`,
      runbook: RUNBOOK.workerDuration,
    });
  }
}
