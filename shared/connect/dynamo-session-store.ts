import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ConnectSession, ConnectSessionStore } from './session';

/** Kept this long after expiry, so GET /v1/connect-sessions/{id} still answers; then DynamoDB's TTL removes it. */
const KEEP_DAYS = 30;
const key = (id: string) => ({ pk: `CSESSION#${id}`, sk: 'SESSION' });

/** Connect sessions as one item each in the stack's table (encrypted with the table's key). */
export class DynamoConnectSessionStore implements ConnectSessionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private item(s: ConnectSession) {
    return { ...key(s.id), ...s, ttl: Math.floor(Date.parse(s.expiresAt) / 1000) + KEEP_DAYS * 86_400 };
  }

  async create(session: ConnectSession): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: this.item(session),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(id: string): Promise<ConnectSession | undefined> {
    const r = await this.db.send(
      new GetCommand({ TableName: this.table, Key: key(id), ConsistentRead: true }),
    );
    if (!r.Item) return undefined;
    const { pk: _pk, sk: _sk, ttl: _ttl, ...session } = r.Item;
    return session as ConnectSession;
  }

  async replace(next: ConnectSession): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: this.item(next),
          ConditionExpression: 'version = :prev',
          ExpressionAttributeValues: { ':prev': next.version - 1 },
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }
}
