import { Stack } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import type { ErpId } from '../shared/erps/types';
import type { SettingValue, StageConfig } from './stage';

/**
 * The environment variables of one ERP's stage settings (Partner-Id, base-URL overrides). `{ "ssm": name }`
 * values become a CloudFormation parameter of type `AWS::SSM::Parameter::Value<String>`: CloudFormation reads the
 * parameter at every deploy, and a missing parameter stops the deploy before anything is created.
 */
export function erpSettingsEnvironment(
  scope: Construct,
  stage: StageConfig,
  erp: ErpId,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(stage.erpEnvironment[erp] ?? {}).map(([env, value]) => [env, resolve(scope, value)]),
  );
}

/** Every ERP's settings: for the API, whose dry runs and `?verify=true` call any ERP. */
export function allErpSettingsEnvironment(scope: Construct, stage: StageConfig): Record<string, string> {
  return Object.assign(
    {},
    ...(Object.keys(stage.erpEnvironment) as ErpId[]).map((erp) => erpSettingsEnvironment(scope, stage, erp)),
  );
}

function resolve(scope: Construct, value: SettingValue): string {
  return typeof value === 'string'
    ? value
    : ssm.StringParameter.valueForStringParameter(Stack.of(scope), value.ssm);
}
