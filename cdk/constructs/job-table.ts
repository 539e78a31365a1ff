import { Aws, Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { resourcePrefix, type StageConfig } from '../stage';

/**
 * Partition-key prefixes of the table's item kinds (the key shapes of the DynamoDB stores in shared/):
 * jobs `T#<tenant>`/`JOB#<id>` (shared/jobs), batches `T#<tenant>`/`BATCH#<id>[#I#<n>]` (shared/batches), cached
 * connection options `T#<tenant>`/`OPTIONS#<connection>` (shared/options), API-key hashes `APIKEY#<sha256>` and request counters
 * `RATE#<tenant>#<minute>` (shared/tenants), webhook settings with the signing secret `WEBHOOK#<tenant>`
 * (shared/webhooks), locks `LOCK#<key>` (shared/locks), pacing slots `PACE#<key>` (shared/pacing), markers of
 * refused inline credentials `REFUSED#<tenant>` (shared/connections), the operators' index of API keys
 * `TENANTKEYS#<tenant>` (written by `npm run tenant-key` only), connect sessions `CSESSION#<id>` and connection
 * notices with their origin `CNOTICE#<tenant>` (shared/connect).
 * test/infra/table-access.test.ts runs those stores on dynalite and checks every key they touch is listed here.
 */
export const ITEM_PREFIX = {
  job: 'T#',
  apiKey: 'APIKEY#',
  rate: 'RATE#',
  webhook: 'WEBHOOK#',
  lock: 'LOCK#',
  pace: 'PACE#',
  refusedInline: 'REFUSED#',
  tenantKeys: 'TENANTKEYS#',
  connectSession: 'CSESSION#',
  connectNotice: 'CNOTICE#',
} as const;
type ItemKind = keyof typeof ITEM_PREFIX;

/** The job attributes gsi1 carries besides its keys: what the job listing filters on. */
export const GSI1_ATTRIBUTES = ['status', 'erp'] as const;

export type TableUser = 'api' | 'authorizer' | 'worker' | 'sweeper' | 'webhook' | 'connect';

/**
 * What each function may do to which items (IAM `dynamodb:LeadingKeys`), from what its wiring uses
 * (shared/runtime/wiring.ts and the handlers). No worker or sweeper can touch API keys, and none can write the
 * webhook signing secrets; the API counts requests but cannot mint keys (that is `npm run tenant-key`, run by an
 * operator with their own credentials).
 */
export const TABLE_ACCESS: Record<
  TableUser,
  {
    read: ItemKind[];
    write: ItemKind[];
    indexes: string[];
    /** Base-table Query (one partition, LeadingKeys): a batch's items, in order. */
    query?: ItemKind[];
    /** BatchWriteItem puts (LeadingKeys): a batch's item records, 25 per call. */
    batchWrite?: ItemKind[];
    /** BatchGetItem (LeadingKeys): the job listing reads its page of jobs at once. */
    batchRead?: ItemKind[];
  }
> = {
  authorizer: { read: ['apiKey'], write: [], indexes: [] },
  // Jobs, batches and the options cache live under T#<tenant>; options fetches go through the pacer (PACE#).
  // Refused inline credentials: the API answers them 409 and drops the marker when new ones arrive. Connect
  // sessions are created and read here; a connection written through the API updates its notices
  // (shared/connect/noticing-store.ts). The job listing reads its page of jobs in one BatchGetItem (gsi1 holds
  // keys, status and erp only).
  api: {
    read: ['job', 'webhook', 'lock', 'pace', 'refusedInline', 'connectSession', 'connectNotice'],
    write: ['job', 'rate', 'webhook', 'lock', 'pace', 'refusedInline', 'connectSession', 'connectNotice'],
    indexes: ['gsi1'],
    query: ['job'],
    batchWrite: ['job'],
    batchRead: ['job'],
  },
  // Webhook settings are read for the callback URL of a finished job (webhookJobEvents); a worker marks inline
  // credentials its ERP refused (shared/connections/refused-credentials.ts) and keeps a connection's notices
  // (needs_reauth, a rotated token's expiry).
  worker: {
    read: ['job', 'lock', 'pace', 'webhook', 'refusedInline', 'connectNotice'],
    write: ['job', 'lock', 'pace', 'refusedInline', 'connectNotice'],
    indexes: [],
  },
  // The sweeper also sends due connection notices: a reconnect session each, the event to the webhook queue.
  sweeper: {
    read: ['job', 'webhook', 'connectNotice'],
    write: ['job', 'connectSession', 'connectNotice'],
    indexes: ['gsi2'],
  },
  webhook: { read: ['webhook'], write: [], indexes: [] },
  // The connect page: sessions, connection notices and origins, the webhook URL of connection.* events, and the
  // locks and pacing slots of the upstream check.
  connect: {
    read: ['connectSession', 'connectNotice', 'webhook', 'lock', 'pace'],
    write: ['connectSession', 'connectNotice', 'lock', 'pace'],
    indexes: [],
  },
};

const READ_ACTIONS = ['dynamodb:GetItem'];
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

/**
 * The one DynamoDB table: jobs, API-key hashes, rate counters, webhook settings, locks and pacing slots. gsi1 = a
 * tenant's jobs newest first (GET /v1/jobs); gsi2 = sparse index of non-final jobs by due time (the sweeper).
 * On-demand: traffic is bursty and small, so no capacity to pay for idle. Encrypted with its own customer-managed
 * key: it holds customers' personal data and the webhook signing secrets.
 */
export class JobTable extends Construct {
  readonly table: dynamodb.Table;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: { stage: StageConfig }) {
    super(scope, id);
    const { stage } = props;
    this.key = new kms.Key(this, 'Key', {
      alias: `alias/${resourcePrefix(stage)}-table`,
      description: `ERP Bridge ${stage.name}: encrypts the jobs table (customer data, webhook signing secrets)`,
      enableKeyRotation: true,
      removalPolicy: stage.removalPolicy,
      pendingWindow: Duration.days(stage.ephemeral ? 7 : 30),
    });
    this.table = new dynamodb.Table(this, 'Table', {
      tableName: resourcePrefix(stage),
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      // Jobs, idempotency records, rate counters and locks all expire through `ttl` (epoch seconds).
      timeToLiveAttribute: 'ttl',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // A stage setting, off for the first deploy: with protection on, a failed create could not roll the table
      // back and the retry would fail on the table name (docs/deploy.md#first-deploy).
      deletionProtection: stage.tableDeletionProtection,
      removalPolicy: stage.removalPolicy,
    });
    // Each index projects only what its reader uses, so a job write does not write the whole job again per index.
    this.table.addGlobalSecondaryIndex({
      indexName: 'gsi1',
      partitionKey: { name: 'gsi1pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: dynamodb.AttributeType.STRING },
      // GET /v1/jobs filters on status and erp here, then reads its page of jobs from the table.
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: [...GSI1_ATTRIBUTES],
    });
    this.table.addGlobalSecondaryIndex({
      indexName: 'gsi2',
      partitionKey: { name: 'gsi2pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'gsi2sk', type: dynamodb.AttributeType.STRING },
      // The sweeper reads only which jobs to look at (keys), then each job itself with a consistent read.
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
    });
  }

  /** Grants `user`'s item access (TABLE_ACCESS) to `role`: per-prefix conditions, named indexes, the key via DynamoDB. */
  grant(role: iam.IRole, user: TableUser): void {
    const access = TABLE_ACCESS[user];
    const leading = (kinds: ItemKind[]) => ({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': kinds.map((k) => `${ITEM_PREFIX[k]}*`) },
    });
    const add = (s: iam.PolicyStatementProps) => role.addToPrincipalPolicy(new iam.PolicyStatement(s));
    if (access.read.length) {
      add({ actions: READ_ACTIONS, resources: [this.table.tableArn], conditions: leading(access.read) });
    }
    if (access.batchRead?.length) {
      add({
        actions: ['dynamodb:BatchGetItem'],
        resources: [this.table.tableArn],
        conditions: leading(access.batchRead),
      });
    }
    if (access.write.length) {
      add({ actions: WRITE_ACTIONS, resources: [this.table.tableArn], conditions: leading(access.write) });
    }
    if (access.query?.length) {
      add({
        actions: ['dynamodb:Query'],
        resources: [this.table.tableArn],
        conditions: leading(access.query),
      });
    }
    if (access.batchWrite?.length) {
      add({
        actions: ['dynamodb:BatchWriteItem'],
        resources: [this.table.tableArn],
        conditions: leading(access.batchWrite),
      });
    }
    if (access.indexes.length) {
      // Index queries are read-only; their partition key is the index's (gsi1pk/gsi2pk), so no LeadingKeys here.
      add({
        actions: ['dynamodb:Query'],
        resources: access.indexes.map((i) => `${this.table.tableArn}/index/${i}`),
      });
    }
    add({
      actions: [
        'kms:Decrypt',
        'kms:DescribeKey',
        ...(access.write.length ? ['kms:Encrypt', 'kms:GenerateDataKey'] : []),
      ],
      resources: [this.key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Aws.REGION}.amazonaws.com` } },
    });
  }
}
