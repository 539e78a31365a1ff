import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * Runs cdk-nag's AWS Solutions pack during synthesis (cdk-nag v3: a CDK policy-validation plugin). Any
 * unacknowledged finding fails `cdk synth`; the report lands in cdk.out/policy-validation-report.json.
 */
export function addNagChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
}

/**
 * Acknowledges one cdk-nag finding on one construct (and its children). Granular findings need their full id,
 * e.g. `AwsSolutions-IAM5[Resource::*]`. The reason is what an auditor reads: say why the finding is accepted.
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}
