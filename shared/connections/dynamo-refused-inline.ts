import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { RefusedInlineMarker, RefusedInlineStore } from './refused-credentials';

/** Kept as long as jobs are, then DynamoDB's TTL removes it (new credentials replace it sooner). */
const KEEP_DAYS = 90;
const key = (tenantId: string, connectionId: string) => ({ pk: `REFUSED#${tenantId}`, sk: connectionId });

/** Refused inline credentials as one item per tenant connection in the stack's table. */
export class DynamoRefusedInlineStore implements RefusedInlineStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(tenantId: string, connectionId: string): Promise<RefusedInlineMarker | undefined> {
    const r = await this.db.send(
      new GetCommand({ TableName: this.table, Key: key(tenantId, connectionId), ConsistentRead: true }),
    );
    if (!r.Item) return undefined;
    return {
      fingerprint: String(r.Item.fingerprint),
      refusedAt: String(r.Item.refusedAt),
      reason: String(r.Item.reason ?? ''),
    };
  }

  async put(tenantId: string, connectionId: string, marker: RefusedInlineMarker): Promise<void> {
    const ttl = Math.floor(Date.parse(marker.refusedAt) / 1000) + KEEP_DAYS * 86_400;
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...key(tenantId, connectionId), ...marker, reason: marker.reason.slice(0, 300), ttl },
      }),
    );
  }

  async delete(tenantId: string, connectionId: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: key(tenantId, connectionId) }));
  }
}
