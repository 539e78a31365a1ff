import { Aws, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { acknowledge } from '../nag';
import { resourcePrefix, type StageConfig, secretsPrefix } from '../stage';

/** Tags a worker may (re)write on a connection secret: status after an auth failure, and `updated`. */
const WORKER_TAG_KEYS = ['erp-bridge:status', 'erp-bridge:status-reason', 'erp-bridge:updated'];

/**
 * Connection secrets live in Secrets Manager, one per connection, named `erp-bridge/<stage>/<tenant>/<connection>`
 * and created at run time by the API (not by this stack). This construct owns their customer-managed KMS key
 * and hands out IAM scoped to the stage's prefix only, so one stage can never read another's secrets.
 */
export class ConnectionSecrets extends Construct {
  readonly key: kms.Key;
  readonly prefix: string;
  /** ARN pattern of every secret of this stage (Secrets Manager appends a random `-xxxxxx` suffix). */
  readonly secretArnPattern: string;

  constructor(scope: Construct, id: string, props: { stage: StageConfig }) {
    super(scope, id);
    const { stage } = props;
    this.prefix = secretsPrefix(stage);
    this.secretArnPattern = `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${this.prefix}*`;
    this.key = new kms.Key(this, 'Key', {
      alias: `alias/${resourcePrefix(stage)}-secrets`,
      description: `ERP Bridge ${stage.name}: encrypts tenants' ERP connection secrets`,
      enableKeyRotation: true,
      removalPolicy: stage.removalPolicy,
      pendingWindow: Duration.days(stage.ephemeral ? 7 : 30),
    });
  }

  /** Only through Secrets Manager in this region: the key can't be used to decrypt anything else. */
  private keyUse(principal: iam.Role, actions: string[]) {
    principal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions,
        resources: [this.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com` } },
      }),
    );
  }

  /** The API stores, reads, lists and deletes connections. */
  grantManage(principal: iam.Role): void {
    principal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'secretsmanager:CreateSecret',
          'secretsmanager:PutSecretValue',
          'secretsmanager:GetSecretValue',
          'secretsmanager:DescribeSecret',
          'secretsmanager:DeleteSecret',
          'secretsmanager:TagResource',
        ],
        resources: [this.secretArnPattern],
      }),
    );
    // ListSecrets has no resource-level permissions; it returns names and tags (never values), and the
    // store filters by the tenant's own prefix.
    principal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['secretsmanager:ListSecrets'], resources: ['*'] }),
    );
    this.keyUse(principal, ['kms:Decrypt', 'kms:GenerateDataKey']);
    acknowledge(
      principal,
      'AwsSolutions-IAM5[Resource::*]',
      'secretsmanager:ListSecrets (metadata only, no values) and X-Ray tracing do not support resource-level permissions.',
    );
    this.acknowledgePrefix(principal);
  }

  /**
   * A worker reads connections and marks them `needs_reauth`; ERPs whose tokens rotate (QuickBooks refresh
   * tokens) also write the new credentials back. No resource-tag condition on reads: for a deleted secret it
   * would turn ResourceNotFound (job fails cleanly) into AccessDenied (message retried until the DLQ).
   */
  grantWorker(principal: iam.Role, writes: boolean): void {
    principal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'secretsmanager:GetSecretValue',
          'secretsmanager:DescribeSecret',
          ...(writes ? ['secretsmanager:PutSecretValue'] : []),
        ],
        resources: [this.secretArnPattern],
      }),
    );
    principal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:TagResource'],
        resources: [this.secretArnPattern],
        // Status tags only: a worker can't re-tag a secret to another tenant or ERP.
        conditions: { 'ForAllValues:StringEquals': { 'aws:TagKeys': WORKER_TAG_KEYS } },
      }),
    );
    this.keyUse(principal, writes ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt']);
    this.acknowledgePrefix(principal);
  }

  private acknowledgePrefix(principal: iam.Role) {
    acknowledge(
      principal,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${this.prefix}*]`,
      "Connection secrets are created at run time, one per tenant connection; the wildcard is limited to this stage's prefix (erp-bridge/<stage>/) and Secrets Manager appends a random suffix to every ARN.",
    );
  }
}
