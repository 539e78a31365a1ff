import { Duration } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from '../nag';
import type { StageConfig } from '../stage';

export interface EdgeProps {
  stage: StageConfig;
  edge: NonNullable<StageConfig['edge']>;
  /** The API's custom domain (its regional endpoint is the origin; execute-api is switched off). */
  origin: string;
}

/**
 * Optional CloudFront distribution in front of the HTTP API (stage setting `edge`) with an AWS WAF web ACL:
 * HTTP APIs cannot carry a web ACL themselves. Nothing is cached and every viewer header except Host is
 * forwarded (Authorization, Idempotency-Key, …), so the API behaves exactly as when called directly.
 * The web ACL (CLOUDFRONT scope, us-east-1) comes from the `<stage>-erp-bridge-edge-firewall` stack or is your own.
 */
export class Edge extends Construct {
  readonly distribution: cloudfront.Distribution;
  readonly logs: s3.Bucket;
  private readonly viewerName?: string;

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    const { edge } = props;
    this.viewerName = edge.domainName;
    // CloudFront standard logs (one line per viewer request, client IP included): private, TLS only, kept as long
    // as the stage keeps its Lambda logs. CloudFront writes them with object ACLs, hence OBJECT_WRITER.
    this.logs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(props.stage.logRetention) }],
      removalPolicy: props.stage.removalPolicy,
    });
    acknowledge(
      this.logs,
      'AwsSolutions-S1',
      'This bucket holds the CloudFront access logs; logging its own accesses would need yet another bucket, and the distribution logs every request already.',
    );
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `ERP Bridge ${props.stage.name}: CloudFront + WAF in front of the API`,
      defaultBehavior: {
        origin: new origins.HttpOrigin(props.origin, {
          protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
          originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
        }),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
      webAclId: edge.webAclArn,
      ...(edge.domainName && edge.certificateArn
        ? {
            domainNames: [edge.domainName],
            certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', edge.certificateArn),
          }
        : {}),
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: this.logs,
      logFilePrefix: 'cloudfront/',
      ...(edge.allowCountries
        ? { geoRestriction: cloudfront.GeoRestriction.allowlist(...edge.allowCountries) }
        : {}),
    });
    if (!edge.allowCountries) {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR1',
        'No geo restriction unless stages.<stage>.edge.allowCountries lists countries: integrators call the API from anywhere, and the web ACL and API keys guard it.',
      );
    }
  }

  get url(): string {
    return `https://${this.viewerName ?? this.distribution.distributionDomainName}`;
  }
}
