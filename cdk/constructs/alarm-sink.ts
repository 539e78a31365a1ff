import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { resourcePrefix, type StageConfig } from '../stage';

/**
 * The runbook entries of docs/deploy.md (one heading each): every alarm names the step an on-call engineer
 * takes. test/infra/alarms.test.ts checks each anchor exists in the guide.
 */
export const RUNBOOK = {
  dlq: 'erp-dlq-not-empty',
  queueAge: 'erp-oldest-message-age',
  workerErrors: 'erp-worker-errors',
  workerThrottles: 'erp-worker-throttles',
  workerDuration: 'erp-worker-duration',
  functionErrors: 'function-errors',
  api5xx: 'api-5xx',
  webhookDlq: 'webhooks-dlq-not-empty',
  webhookAge: 'webhooks-oldest-message-age',
  webhookErrors: 'webhook-dispatcher-errors',
  tableThrottles: 'dynamodb-throttles',
  accountConcurrency: 'account-concurrency',
} as const;
export type RunbookEntry = (typeof RUNBOOK)[keyof typeof RUNBOOK];

/** Where every alarm description points. */
export const RUNBOOK_DOC = 'docs/deploy.md';

export interface AlarmSpec {
  metric: cloudwatch.IMetric;
  /** Alarm when the metric is ≥ this (or > when `strictly`). */
  threshold: number;
  strictly?: boolean;
  /** M of N: alarm when `datapointsToAlarm` of the last `evaluationPeriods` periods breach (default 1 of 1). */
  evaluationPeriods?: number;
  datapointsToAlarm?: number;
  description: string;
  runbook: RunbookEntry;
}

/** Error-count alarms: errors in 3 of the last 5 one-minute periods (one stray failure does not page). */
export const ERRORS_M_OF_N = { evaluationPeriods: 5, datapointsToAlarm: 3 } as const;

/**
 * Where alarms go: the stage's own topic (encrypted with its own key that CloudWatch may use, TLS publishers
 * only) with one e-mail subscription per `alarms.email`, and/or an existing topic (`alarms.topicArn`). Alarms
 * always exist; an ephemeral stage may have no target. OK transitions are sent too, so a page also clears.
 */
export class AlarmSink extends Construct {
  readonly topics: sns.ITopic[] = [];
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly prefix: string;
  private readonly runbookBase: string;

  constructor(scope: Construct, id: string, props: { stage: StageConfig }) {
    super(scope, id);
    const { stage } = props;
    this.prefix = resourcePrefix(stage);
    this.runbookBase = `${stage.runbookBaseUrl}${RUNBOOK_DOC}`;
    if (stage.alarms.topicArn) {
      this.topics.push(sns.Topic.fromTopicArn(this, 'ExternalTopic', stage.alarms.topicArn));
    }
    if (stage.alarms.emails.length === 0) return;
    const key = new kms.Key(this, 'TopicKey', {
      alias: `alias/${this.prefix}-alarms`,
      description: `ERP Bridge ${stage.name}: encrypts the alarm topic`,
      enableKeyRotation: true,
      removalPolicy: stage.removalPolicy,
    });
    // CloudWatch alarm actions publish to an encrypted topic only if CloudWatch may use its key.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    const topic = new sns.Topic(this, 'Topic', {
      topicName: `${this.prefix}-alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    for (const email of stage.alarms.emails)
      topic.addSubscription(new subscriptions.EmailSubscription(email));
    this.topics.push(topic);
  }

  /** An alarm in `scope` (next to what it watches), named `<stage>-erp-bridge-<name>`, wired to every target. */
  add(scope: Construct, id: string, name: string, spec: AlarmSpec): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(scope, id, {
      alarmName: `${this.prefix}-${name}`,
      alarmDescription: `${spec.description} Runbook: ${this.runbookBase}#${spec.runbook}`,
      metric: spec.metric,
      threshold: spec.threshold,
      comparisonOperator: spec.strictly
        ? cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD
        : cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: spec.evaluationPeriods ?? 1,
      datapointsToAlarm: spec.datapointsToAlarm ?? spec.evaluationPeriods ?? 1,
      // No data = nothing happened (no messages, no invocations), which is healthy.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    for (const topic of this.topics) {
      alarm.addAlarmAction(new actions.SnsAction(topic));
      alarm.addOkAction(new actions.SnsAction(topic));
    }
    this.alarms.push(alarm);
    return alarm;
  }
}
