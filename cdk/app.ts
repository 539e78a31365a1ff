import { App } from 'aws-cdk-lib';
import { ErpBridgeStack } from './erp-bridge-stack';
import { addNagChecks } from './nag';
import { resourcePrefix, stageConfig } from './stage';

/**
 * `cdk synth|deploy -c stage=<name>`: one stack per stage. Account and region come from the CLI's
 * environment at deploy time (CDK_DEFAULT_*), so nothing here is tied to one account or region and
 * `cdk synth` works offline.
 */
const app = new App();
const stage = stageConfig((key) => app.node.tryGetContext(key));
new ErpBridgeStack(app, resourcePrefix(stage), {
  stage,
  description: `ERP Bridge (${stage.name}): HTTPS API that creates customers in ERPs`,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
addNagChecks(app);
app.synth();
