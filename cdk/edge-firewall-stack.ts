import { CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { resourcePrefix, type StageConfig } from './stage';

/** AWS managed rule groups in the web ACL, in evaluation order after the per-IP rate rule. */
export const MANAGED_RULE_GROUPS = [
  // Addresses Amazon threat intelligence lists as bots, scanners and DDoS sources.
  'AWSManagedRulesAmazonIpReputationList',
  // OWASP-style core rules. Two are counted, not blocked: API clients often send no User-Agent, and the API
  // enforces its own body limits (a customer with many erpFields may pass 8 KB).
  'AWSManagedRulesCommonRuleSet',
  // Request patterns of known exploits (Log4Shell, …).
  'AWSManagedRulesKnownBadInputsRuleSet',
] as const;
const COUNTED_RULES: Record<string, string[]> = {
  AWSManagedRulesCommonRuleSet: ['NoUserAgent_HEADER', 'SizeRestrictions_BODY'],
};

/**
 * The optional edge firewall (stage setting `edgeFirewall`): a WAF web ACL for the stage's CloudFront
 * distribution. CloudFront web ACLs live in us-east-1 whatever the API's region, hence a stack of its own:
 * deploy it first, then put its `WebAclArn` output into `stages.<stage>.edge.webAclArn` (docs/deploy.md#cloudfront-and-waf).
 */
export class EdgeFirewallStack extends Stack {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: StackProps & { stage: StageConfig }) {
    super(scope, id, props);
    const { stage } = props;
    const firewall = stage.edgeFirewall;
    if (!firewall) throw new Error(`stages.${stage.name}.edgeFirewall is not set`);
    const name = `${resourcePrefix(stage)}-edge`;
    Tags.of(this).add('project', 'erp-bridge');
    Tags.of(this).add('stage', stage.name);
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name,
      description: `ERP Bridge ${stage.name} - web ACL of the API CloudFront distribution`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(name),
      rules: [
        {
          name: 'RatePerIp',
          priority: 0,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: firewall.rateLimitPerIp,
              aggregateKeyType: 'IP',
              evaluationWindowSec: 300,
            },
          },
          visibilityConfig: visibility(`${name}-rate-per-ip`),
        },
        ...MANAGED_RULE_GROUPS.map((group, i) => ({
          name: group,
          priority: i + 1,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: {
              vendorName: 'AWS',
              name: group,
              ...(COUNTED_RULES[group]
                ? {
                    ruleActionOverrides: COUNTED_RULES[group].map((r) => ({
                      name: r,
                      actionToUse: { count: {} },
                    })),
                  }
                : {}),
            },
          },
          visibilityConfig: visibility(`${name}-${group}`),
        })),
      ],
    });
    new CfnOutput(this, 'WebAclArn', {
      value: this.webAcl.attrArn,
      description: `Set stages.${stage.name}.edge.webAclArn to this value`,
    });
  }
}
