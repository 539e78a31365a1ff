import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { resourcePrefix, type StageConfig } from '../stage';

/**
 * The one DynamoDB table: jobs (`T#<tenant>` / `JOB#<id>`), idempotency keys, tenant API-key hashes, rate
 * counters and locks. gsi1 = a tenant's jobs newest first (GET /v1/jobs); gsi2 = sparse index of non-final
 * jobs by due time (the sweeper). On-demand: traffic is bursty and small, so no capacity to pay for idle.
 */
export class JobTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: { stage: StageConfig }) {
    super(scope, id);
    const { stage } = props;
    this.table = new dynamodb.Table(this, 'Table', {
      tableName: resourcePrefix(stage),
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      // Jobs, idempotency records, rate counters and locks all expire through `ttl` (epoch seconds).
      timeToLiveAttribute: 'ttl',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: !stage.ephemeral,
      removalPolicy: stage.removalPolicy,
    });
    for (const n of [1, 2]) {
      this.table.addGlobalSecondaryIndex({
        indexName: `gsi${n}`,
        partitionKey: { name: `gsi${n}pk`, type: dynamodb.AttributeType.STRING },
        sortKey: { name: `gsi${n}sk`, type: dynamodb.AttributeType.STRING },
        // The sweeper reads only which jobs to look at (keys), then each job itself with a consistent read.
        projectionType: n === 2 ? dynamodb.ProjectionType.KEYS_ONLY : dynamodb.ProjectionType.ALL,
      });
    }
  }
}
