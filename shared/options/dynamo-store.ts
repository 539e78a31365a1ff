import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type ConnectionOptions, OPTIONS_KEEP_SECONDS, type OptionsStore } from './model';

const key = (tenantId: string, connectionId: string) => ({
  pk: `T#${tenantId}`,
  sk: `OPTIONS#${connectionId}`,
});

/** The options cache on the jobs table, in the tenant's partition; the item expires (ttl) a day after its fetch. */
export class DynamoOptionsStore implements OptionsStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(tenantId: string, connectionId: string) {
    const r = await this.db.send(
      new GetCommand({ TableName: this.table, Key: key(tenantId, connectionId), ConsistentRead: true }),
    );
    const item = r.Item;
    if (!item) return undefined;
    // DynamoDB deletes expired items within days, not at once: an old one is not served.
    if (Number(item.ttl) * 1000 < Date.now()) return undefined;
    return JSON.parse(String(item.data)) as ConnectionOptions;
  }

  async put(tenantId: string, options: ConnectionOptions) {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...key(tenantId, options.connectionId),
          data: JSON.stringify(options),
          ttl: Math.floor(Date.parse(options.fetchedAt) / 1000) + OPTIONS_KEEP_SECONDS,
        },
      }),
    );
  }

  async delete(tenantId: string, connectionId: string) {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: key(tenantId, connectionId) }));
  }
}
