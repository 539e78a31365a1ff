import { Aws, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { metricsNamespace, resourcePrefix, type StageConfig } from '../stage';
import type { AlarmSink } from './alarm-sink';

/**
 * One dashboard per stage: the workers' own metrics per ERP and outcome (Powertools EMF, see
 * shared/runtime/observability.ts) and every alarm. SEARCH expressions pick up each ERP's series without
 * a widget per ERP, so adding an ERP adds no dashboard code.
 */
export class OperationsDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: { stage: StageConfig; alarms: AlarmSink }) {
    super(scope, id);
    const ns = metricsNamespace(props.stage);
    const search = (label: string, metric: string, dims: string, stat: string) =>
      new cloudwatch.MathExpression({
        label,
        expression: `SEARCH('{${ns},${dims}} MetricName="${metric}"', '${stat}', 300)`,
        period: Duration.minutes(5),
        usingMetrics: {},
      });
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      // Dashboard names are unique per account (dashboards are global): the region keeps two regions' stages apart.
      dashboardName: `${resourcePrefix(props.stage)}-${Aws.REGION}`,
      defaultInterval: Duration.hours(6),
    });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Jobs by ERP and status (created = succeeded, failed, dead_lettered, …)',
        left: [search('jobs', 'JobTransitions', 'erp,service,status', 'Sum')],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Upstream calls by ERP and outcome',
        left: [search('calls', 'UpstreamCalls', 'erp,outcome,service', 'Sum')],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Upstream latency p90 by ERP and outcome (ms)',
        left: [search('latency', 'UpstreamLatency', 'erp,outcome,service', 'p90')],
        width: 12,
      }),
      new cloudwatch.AlarmStatusWidget({
        title: 'Alarms',
        alarms: props.alarms.alarms,
        width: 12,
      }),
    );
  }
}
