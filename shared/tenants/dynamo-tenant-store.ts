import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TenantKeyRecord, TenantStore } from './api-keys';

/** Tenant keys and request counters in the same table as the jobs. */
export class DynamoTenantStore implements TenantStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async putKey(hash: string, record: TenantKeyRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `APIKEY#${hash}`, sk: 'APIKEY', ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async findByKeyHash(hash: string): Promise<TenantKeyRecord | undefined> {
    const r = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: `APIKEY#${hash}`, sk: 'APIKEY' } }),
    );
    if (!r.Item || r.Item.disabled) return undefined;
    return { tenantId: String(r.Item.tenantId), label: r.Item.label, createdAt: String(r.Item.createdAt) };
  }

  /** One conditional counter per tenant and minute: a single write per request, no read. */
  async consumeRequest(tenantId: string, limitPerMinute: number, now: Date): Promise<number> {
    const minute = Math.floor(now.getTime() / 60_000);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `RATE#${tenantId}#${minute}`, sk: 'RATE' },
          UpdateExpression: 'ADD #c :one SET #ttl = :ttl',
          ConditionExpression: 'attribute_not_exists(#c) OR #c < :limit',
          ExpressionAttributeNames: { '#c': 'count', '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':one': 1, ':limit': limitPerMinute, ':ttl': minute * 60 + 180 },
        }),
      );
      return 0;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException)
        return Math.max(1, 60 - (Math.floor(now.getTime() / 1000) % 60));
      throw e;
    }
  }
}
