import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ErpAdapter } from '../../shared/erps/types';
import { MESSAGE_RETENTION_SECONDS } from '../../shared/jobs/stuck';
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

/** DLQ retention: the SQS maximum. */
export const DLQ_RETENTION = Duration.days(14);
/**
 * Source-queue retention: the SQS maximum too. A job's message may wait long (backlogs, chained waits up to a
 * day of rate limiting), and the sweeper counts an unreceived message as gone only after this.
 */
export const SOURCE_RETENTION = Duration.seconds(MESSAGE_RETENTION_SECONDS);

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

    // Only this ERP's jobs queue may dead-letter into its DLQ. Named by ARN, not by reference: the jobs queue
    // already refers to the DLQ, and a reference back would be a cycle.
    const jobsQueueName = `${name}-jobs`;
    const jobsQueueRef = sqs.Queue.fromQueueArn(
      this,
      'JobsQueueRef',
      Stack.of(this).formatArn({ service: 'sqs', resource: jobsQueueName }),
    );
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: `${name}-dlq`,
      retentionPeriod: DLQ_RETENTION,
      redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.BY_QUEUE, sourceQueues: [jobsQueueRef] },
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy: stage.removalPolicy,
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: jobsQueueName,
      visibilityTimeout: Duration.seconds(sizing.visibilityTimeoutSeconds),
      retentionPeriod: SOURCE_RETENTION,
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
        // Failures are per record (partial batch response), never the whole batch; waits re-send a delayed copy.
        reportBatchItemFailures: true,
        maxConcurrency: sizing.maxConcurrency,
      }),
    );
    // Consume + ChangeMessageVisibility on its queue come with the event source. A wait re-sends the job's
    // message to its own queue with a delay (so waits cost no receive); explicit dead-lettering:
    this.queue.grantSendMessages(fn);
    this.deadLetterQueue.grantSendMessages(fn);
    props.table.grant(this.worker.role, 'worker');
    props.secrets.grantWorker(
      this.worker.role,
      erp,
      adapter.rotatesCredentials === true,
      adapter.capabilities.inlineCredentials,
    );
    // Connections made on the connect page name the stage's OAuth app (app: "operator"): read at refresh.
    if (adapter.connect?.oauth) {
      fn.addEnvironment('OAUTH_APPS_PREFIX', props.secrets.oauthAppsPrefix);
      props.secrets.grantReadOAuthApps(this.worker.role, [erp]);
    }

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
