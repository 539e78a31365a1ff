import { Aws, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { ERP_TAG_KEY, WORKER_TAG_KEYS } from '../../shared/connections/secrets-manager-store';
import type { ErpId } from '../../shared/erps/types';
import { acknowledge } from '../nag';
import { resourcePrefix, type StageConfig, secretsPrefix } from '../stage';

/** Storing a connection: create or replace its secret and tags, read it (dry runs, reconnects), describe it. */
const STORE_ACTIONS = [
  'secretsmanager:CreateSecret',
  'secretsmanager:PutSecretValue',
  'secretsmanager:GetSecretValue',
  'secretsmanager:DescribeSecret',
  'secretsmanager:TagResource',
];

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
  /**
   * Where the operator keeps the stage's OAuth apps (created by hand, once per ERP and environment:
   * `erp-bridge-oauth/<stage>/quickbooks/production` = `{"clientId":…,"clientSecret":…}`). A prefix of its own, so
   * nothing that may write connection secrets may write these.
   */
  readonly oauthAppsPrefix: string;

  constructor(scope: Construct, id: string, props: { stage: StageConfig }) {
    super(scope, id);
    const { stage } = props;
    this.prefix = secretsPrefix(stage);
    this.secretArnPattern = `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${this.prefix}*`;
    this.oauthAppsPrefix = `erp-bridge-oauth/${stage.name}/`;
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

  /**
   * The API stores, lists and deletes connections, and reads a stored secret VALUE only where it must: a dry run
   * (builds the native request with the stored connection, as the worker would) and the inline-credential
   * comparison (the same username + apikey must not rewrite the secret). `?verify=true` and NEXT's key exchange
   * use the credentials of the request body. Every other path (listing, GET, DELETE, accepting a job) reads
   * metadata only (DescribeSecret, tags). IAM cannot tell those paths apart, so the API keeps GetSecretValue,
   * limited to its own stage's prefix.
   */
  grantManage(principal: iam.Role): void {
    principal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [...STORE_ACTIONS, 'secretsmanager:DeleteSecret'],
        resources: [this.secretArnPattern],
      }),
    );
    // Needed by GET /v1/connections (one tenant's connections by name prefix). ListSecrets has no resource-level
    // permissions and returns names and tags, never values; the store filters by the tenant's own prefix.
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
   * A worker reads its own ERP's connections (tag `erp-bridge:erp` = its ERP) and marks them `needs_reauth`;
   * ERPs whose tokens rotate (adapter.rotatesCredentials: QuickBooks refresh tokens) also write the new
   * credentials back, again only to their own ERP's secrets. DescribeSecret (metadata, never values) has no tag
   * condition: for a deleted secret it must answer ResourceNotFound (the job fails cleanly as
   * connection_not_found), not AccessDenied (retried until the DLQ); the worker's store reads no value of
   * another ERP's connection (shared/connections/secrets-manager-store.ts `onlyErp`). ERPs that take inline
   * credentials (Siigo, Alegra) may also delete their own ERP's secrets: inline credentials the ERP refused
   * leave no secret behind (shared/connections/refused-credentials.ts).
   */
  grantWorker(principal: iam.Role, erp: ErpId, writes: boolean, deletesRefusedInline = false): void {
    const ownErp = { StringEquals: { [`secretsmanager:ResourceTag/${ERP_TAG_KEY}`]: erp } };
    principal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:DescribeSecret'],
        resources: [this.secretArnPattern],
      }),
    );
    principal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'secretsmanager:GetSecretValue',
          ...(writes ? ['secretsmanager:PutSecretValue'] : []),
          ...(deletesRefusedInline ? ['secretsmanager:DeleteSecret'] : []),
        ],
        resources: [this.secretArnPattern],
        conditions: ownErp,
      }),
    );
    principal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:TagResource'],
        resources: [this.secretArnPattern],
        // Status tags only, on its own ERP's secrets: a worker can't re-tag a secret to another tenant or ERP.
        conditions: {
          ...ownErp,
          'ForAllValues:StringEquals': { 'aws:TagKeys': WORKER_TAG_KEYS },
        },
      }),
    );
    this.keyUse(principal, writes ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt']);
    this.acknowledgePrefix(principal);
  }

  /**
   * The connect page stores connections as the API does (verified first) and reads the one it reconnects; it cannot
   * list or delete connections.
   */
  grantStore(principal: iam.Role): void {
    principal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: STORE_ACTIONS,
        resources: [this.secretArnPattern],
      }),
    );
    this.keyUse(principal, ['kms:Decrypt', 'kms:GenerateDataKey']);
    this.acknowledgePrefix(principal);
  }

  /** Metadata only (the sweeper re-reads a connection's status before it sends a notice). */
  grantDescribe(principal: iam.Role): void {
    principal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:DescribeSecret'],
        resources: [this.secretArnPattern],
      }),
    );
    this.acknowledgePrefix(principal);
  }

  /** Reads the operator's OAuth apps of these ERPs (every one when omitted), never writes them. */
  grantReadOAuthApps(principal: iam.Role, erps?: ErpId[]): void {
    const base = `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${this.oauthAppsPrefix}`;
    principal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: erps ? erps.map((e) => `${base}${e}/*`) : [`${base}*`],
      }),
    );
    acknowledge(
      principal,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${this.oauthAppsPrefix}*]`,
      "The operator's OAuth app secrets are created by hand, one per ERP and environment, under this stage's own prefix; Secrets Manager appends a random suffix to every ARN.",
    );
    for (const e of erps ?? []) {
      acknowledge(
        principal,
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${this.oauthAppsPrefix}${e}/*]`,
        `The operator's ${e} OAuth app secrets (one per environment) under this stage's prefix; Secrets Manager appends a random suffix.`,
      );
    }
  }

  private acknowledgePrefix(principal: iam.Role) {
    acknowledge(
      principal,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${this.prefix}*]`,
      "Connection secrets are created at run time, one per tenant connection; the wildcard is limited to this stage's prefix (erp-bridge/<stage>/) and Secrets Manager appends a random suffix to every ARN.",
    );
  }
}
