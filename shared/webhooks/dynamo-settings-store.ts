import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { WebhookSettings, WebhookSettingsStore } from './settings';

const key = (tenantId: string) => ({ pk: `WEBHOOK#${tenantId}`, sk: 'WEBHOOK' });

/** Webhook settings as one item per tenant in the stack's table (encrypted at rest, like every item). */
export class DynamoWebhookSettingsStore implements WebhookSettingsStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(tenantId: string): Promise<WebhookSettings | undefined> {
    const r = await this.db.send(
      new GetCommand({ TableName: this.table, Key: key(tenantId), ConsistentRead: true }),
    );
    if (!r.Item) return undefined;
    const { pk: _pk, sk: _sk, ...settings } = r.Item;
    return settings as WebhookSettings;
  }

  async put(settings: WebhookSettings): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.table, Item: { ...key(settings.tenantId), ...settings } }),
    );
  }

  async delete(tenantId: string): Promise<boolean> {
    const r = await this.db.send(
      new DeleteCommand({ TableName: this.table, Key: key(tenantId), ReturnValues: 'ALL_OLD' }),
    );
    return r.Attributes !== undefined;
  }
}
