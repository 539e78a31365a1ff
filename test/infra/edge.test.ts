import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { EdgeFirewallStack, MANAGED_RULE_GROUPS } from '../../cdk/edge-firewall-stack';
import { FIXTURE_ADAPTERS } from './fixtures/adapters';
import { synthStack } from './synth';

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

// A stage with every optional front door: custom domain (execute-api off), CloudFront + WAF, an existing alarm
// topic, deletion protection on, a literal Partner-Id. One synth of both stacks, cdk-nag on.
const topicArn = 'arn:aws:sns:eu-west-1:123456789012:oncall';
const webAclArn = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/abc';
const edgeStage = {
  alarms: { topicArn },
  tableDeletionProtection: true,
  customDomain: {
    domainName: 'origin.api.example.com',
    certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
  },
  disableExecuteApiEndpoint: true,
  edge: {
    webAclArn,
    domainName: 'api.example.com',
    certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/def',
  },
  edgeFirewall: { rateLimitPerIp: 500 },
  erps: { siigo: { settings: { partnerId: 'AcmeBridge' } } },
};

let t: Template;
let firewall: Template;
let synthError: unknown;
let outdir: string;
beforeAll(() => {
  const s = synthStack({
    adapters: FIXTURE_ADAPTERS.slice(0, 1),
    nag: true,
    context: { stage: 'edge', stages: { edge: edgeStage } },
  });
  const fw = new EdgeFirewallStack(s.app, 'edge-erp-bridge-edge-firewall', {
    stage: s.stage,
    env: { region: 'us-east-1' },
  });
  outdir = s.outdir;
  try {
    s.app.synth();
  } catch (e) {
    synthError = e;
  }
  t = Template.fromStack(s.stack);
  firewall = Template.fromStack(fw);
}, 180_000);

describe('custom domain, CloudFront and WAF (optional stage settings)', () => {
  it('passes cdk-nag on both stacks', () => {
    expect(String(synthError ?? '')).toBe('');
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: { conclusion: string }[];
    };
    expect(report.pluginReports.every((r) => r.conclusion === 'success')).toBe(true);
  });

  it('maps the API to the custom domain and switches the execute-api endpoint off', () => {
    t.hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: true });
    t.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'origin.api.example.com',
      DomainNameConfigurations: [
        Match.objectLike({
          CertificateArn: edgeStage.customDomain.certificateArn,
          SecurityPolicy: 'TLS_1_2',
          EndpointType: 'REGIONAL',
        }),
      ],
    });
    t.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', {
      Stage: Match.anyValue(),
      ApiId: Match.anyValue(),
    });
    t.hasOutput('CustomDomainTarget', { Value: Match.anyValue() });
  });

  it('puts CloudFront with the web ACL in front: nothing cached, every viewer header but Host forwarded', () => {
    const [dist] = Object.values(t.findResources('AWS::CloudFront::Distribution') as Resources);
    const config = dist!.Properties.DistributionConfig as Record<string, unknown>;
    expect(config).toMatchObject({
      WebACLId: webAclArn,
      Aliases: ['api.example.com'],
      ViewerCertificate: {
        AcmCertificateArn: edgeStage.edge.certificateArn,
        MinimumProtocolVersion: 'TLSv1.2_2021',
        SslSupportMethod: 'sni-only',
      },
      Logging: expect.objectContaining({ Prefix: 'cloudfront/' }),
      DefaultCacheBehavior: expect.objectContaining({
        ViewerProtocolPolicy: 'https-only',
        AllowedMethods: expect.arrayContaining(['POST', 'PUT', 'DELETE']),
        // AWS managed policies: CachingDisabled and AllViewerExceptHostHeader.
        CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
        OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
      }),
    });
    // The origin is the API's custom domain (a Ref to it, which resolves to origin.api.example.com).
    const [domain] = Object.keys(t.findResources('AWS::ApiGatewayV2::DomainName'));
    expect(config.Origins).toEqual([
      expect.objectContaining({
        DomainName: { Ref: domain },
        CustomOriginConfig: expect.objectContaining({
          OriginProtocolPolicy: 'https-only',
          OriginSSLProtocols: ['TLSv1.2'],
        }),
      }),
    ]);
    t.hasOutput('ApiUrl', { Value: 'https://api.example.com' });
  });

  it('creates the web ACL in its own stack: a rate-based rule per IP and the AWS managed rule groups', () => {
    const [acl] = Object.values(firewall.findResources('AWS::WAFv2::WebACL') as Resources);
    expect(acl!.Properties).toMatchObject({ Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
    const rules = acl!.Properties.Rules as {
      Name: string;
      Priority: number;
      Statement: { ManagedRuleGroupStatement: { Name: string; RuleActionOverrides?: unknown } };
    }[];
    expect(rules[0]).toMatchObject({
      Name: 'RatePerIp',
      Action: { Block: {} },
      Statement: { RateBasedStatement: { Limit: 500, AggregateKeyType: 'IP' } },
    });
    expect(rules.slice(1).map((r) => r.Statement.ManagedRuleGroupStatement.Name)).toEqual([
      ...MANAGED_RULE_GROUPS,
    ]);
    const common = rules.find((r) => r.Name === 'AWSManagedRulesCommonRuleSet');
    expect(common!.Statement.ManagedRuleGroupStatement.RuleActionOverrides).toEqual([
      { Name: 'NoUserAgent_HEADER', ActionToUse: { Count: {} } },
      { Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } },
    ]);
    firewall.hasOutput('WebAclArn', { Value: Match.anyValue() });
  });

  it('sends every alarm to the existing topic, creating none, and protects the table from deletion', () => {
    t.resourceCountIs('AWS::SNS::Topic', 0);
    for (const a of Object.values(t.findResources('AWS::CloudWatch::Alarm') as Resources)) {
      expect(a.Properties.AlarmActions).toEqual([topicArn]);
      expect(a.Properties.OKActions).toEqual([topicArn]);
    }
    t.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });
    t.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'edge-erp-bridge-siigo-worker',
      Environment: { Variables: Match.objectLike({ SIIGO_PARTNER_ID: 'AcmeBridge' }) },
    });
  });
});
