import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { resourcePrefix, type StageConfig } from '../stage';

export interface AlarmSpec {
  metric: cloudwatch.IMetric;
  /** Alarm when the metric is ≥ this (or > when `strictly`). */
  threshold: number;
  strictly?: boolean;
  evaluationPeriods?: number;
  description: string;
}

/**
 * Where alarms go. Alarms always exist (visible in the console); the SNS topic is optional
 * (`-c alarmEmail=ops@example.com` or `-c alarmTopic=true`). The topic is encrypted with its own key that
 * CloudWatch may use, and accepts TLS publishers only.
 */
export class AlarmSink extends Construct {
  readonly topic?: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly prefix: string;

  constructor(scope: Construct, id: string, props: { stage: StageConfig }) {
    super(scope, id);
    const { stage } = props;
    this.prefix = resourcePrefix(stage);
    if (!stage.alarmEmail && !stage.alarmTopic) return;
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
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: `${this.prefix}-alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    if (stage.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(stage.alarmEmail));
  }

  /** An alarm in `scope` (next to what it watches), named `<stage>-erp-bridge-<name>`, wired to the topic. */
  add(scope: Construct, id: string, name: string, spec: AlarmSpec): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(scope, id, {
      alarmName: `${this.prefix}-${name}`,
      alarmDescription: spec.description,
      metric: spec.metric,
      threshold: spec.threshold,
      comparisonOperator: spec.strictly
        ? cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD
        : cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: spec.evaluationPeriods ?? 1,
      // No data = nothing happened (no messages, no invocations), which is healthy.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (this.topic) {
      alarm.addAlarmAction(new actions.SnsAction(this.topic));
      alarm.addOkAction(new actions.SnsAction(this.topic));
    }
    this.alarms.push(alarm);
    return alarm;
  }
}
