import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type { Construct } from 'constructs';
import { BundledFunction, type BundledFunctionProps } from './bundled-function';

/**
 * Every minute, re-queues jobs recorded but stuck in `queued` (the API crashed between the DynamoDB write and
 * SendMessage). No event retries: the next run a minute later is the retry.
 */
export class Sweeper extends BundledFunction {
  readonly schedule: events.Rule;

  constructor(scope: Construct, id: string, props: BundledFunctionProps) {
    super(scope, id, props);
    this.schedule = new events.Rule(this, 'EveryMinute', {
      ruleName: `${props.functionName}-every-minute`,
      schedule: events.Schedule.rate(Duration.minutes(1)),
    });
    this.schedule.addTarget(
      new targets.LambdaFunction(this.fn, { retryAttempts: 0, maxEventAge: Duration.minutes(1) }),
    );
  }
}
