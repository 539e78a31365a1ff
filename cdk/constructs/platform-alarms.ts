import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { type AlarmSink, ERRORS_M_OF_N, RUNBOOK } from './alarm-sink';

/** The account-concurrency alarm fires at this share (%) of the account's Lambda concurrency quota. */
export const ACCOUNT_CONCURRENCY_ALARM_PERCENT = 80;

/**
 * Alarms on what every function shares: the table (throttled reads or writes, indexes included) and the
 * account's Lambda concurrency, which all stages and every other function in the account and region draw from
 * (a new account may start with a quota of 10).
 */
export class PlatformAlarms extends Construct {
  constructor(scope: Construct, id: string, props: { table: dynamodb.Table; alarms: AlarmSink }) {
    super(scope, id);
    const minute = Duration.minutes(1);
    const throttles = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/DynamoDB',
        metricName,
        dimensionsMap: { TableName: props.table.tableName },
        period: minute,
        statistic: cloudwatch.Stats.SUM,
      });
    props.alarms.add(this, 'TableThrottles', 'dynamodb-throttles', {
      // Table-level throttle events count the table and its indexes.
      metric: new cloudwatch.MathExpression({
        expression: 'FILL(r, 0) + FILL(w, 0)',
        usingMetrics: { r: throttles('ReadThrottleEvents'), w: throttles('WriteThrottleEvents') },
        period: minute,
        label: 'throttled requests',
      }),
      threshold: 1,
      ...ERRORS_M_OF_N,
      description:
        'DynamoDB throttled reads or writes on the jobs table (a hot partition or a burst past on-demand limits).',
      runbook: RUNBOOK.tableThrottles,
    });
    // Service Quotas' usage metric for Lambda concurrency; SERVICE_QUOTA() reads the account's current quota, so
    // the alarm follows a raised limit without a redeploy.
    const usage = new cloudwatch.Metric({
      namespace: 'AWS/Usage',
      metricName: 'ResourceCount',
      dimensionsMap: { Service: 'Lambda', Type: 'Resource', Resource: 'ConcurrentExecutions', Class: 'None' },
      period: minute,
      statistic: cloudwatch.Stats.MAXIMUM,
    });
    props.alarms.add(this, 'AccountConcurrency', 'account-concurrency', {
      metric: new cloudwatch.MathExpression({
        expression: '100 * m / SERVICE_QUOTA(m)',
        usingMetrics: { m: usage },
        period: minute,
        label: '% of the Lambda concurrency quota in use',
      }),
      threshold: ACCOUNT_CONCURRENCY_ALARM_PERCENT,
      ...ERRORS_M_OF_N,
      description: `Lambda concurrency in this account and region is above ${ACCOUNT_CONCURRENCY_ALARM_PERCENT} % of its quota; past it, every function (API included) is throttled.`,
      runbook: RUNBOOK.accountConcurrency,
    });
  }
}
