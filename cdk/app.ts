import { App } from 'aws-cdk-lib';
import { EdgeFirewallStack } from './edge-firewall-stack';
import { ErpBridgeStack } from './erp-bridge-stack';
import { addNagChecks } from './nag';
import { resourcePrefix, stageConfig } from './stage';

/**
 * `cdk synth|deploy -c stage=<name> [-c ephemeral=true]`: one stack per stage, configured by `stages.<name>` in
 * cdk.json. Account and region come from the CLI's environment at deploy time (CDK_DEFAULT_*), so nothing here is
 * tied to one account or region and `cdk synth` works offline. With `edgeFirewall` set, a second stack holds the
 * CloudFront web ACL, which AWS requires in us-east-1.
 */
const app = new App();
const stage = stageConfig((key) => app.node.tryGetContext(key));
const account = process.env.CDK_DEFAULT_ACCOUNT;
new ErpBridgeStack(app, resourcePrefix(stage), {
  stage,
  description: `ERP Bridge (${stage.name}): HTTPS API that creates customers in ERPs`,
  env: { account, region: process.env.CDK_DEFAULT_REGION },
});
if (stage.edgeFirewall) {
  new EdgeFirewallStack(app, `${resourcePrefix(stage)}-edge-firewall`, {
    stage,
    description: `ERP Bridge (${stage.name}): WAF web ACL for the API's CloudFront distribution`,
    env: { account, region: 'us-east-1' },
  });
}
addNagChecks(app);
app.synth();
