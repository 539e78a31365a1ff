import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ConnectionNotice, ConnectionNoticeStore, ConnectionOrigin, NoticeKind } from './notices';

const pk = (tenantId: string) => `CNOTICE#${tenantId}`;
/** gsi2 (the sweeper's index of due items) under its own partition: jobs use `DUE#<erp>`. */
const DUE_PARTITION = 'CNOTICE';
const INTERNAL = ['pk', 'sk', 'gsi2pk', 'gsi2sk', 'ttl'];

const ignoreConditionFailure = (e: unknown) => {
  if (!(e instanceof ConditionalCheckFailedException)) throw e;
};

/**
 * Notices and origins as items of the stack's table: `CNOTICE#<tenant>` / `<connection>#<kind>` (unsent ones carry
 * gsi2pk `CNOTICE` and gsi2sk = due time, so the sweeper finds what is due with one query) and
 * `<connection>#origin`.
 */
export class DynamoConnectionNoticeStore implements ConnectionNoticeStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async schedule(n: ConnectionNotice): Promise<void> {
    const condition =
      n.kind === 'reauth_required'
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <> :exp',
            ExpressionAttributeValues: { ':exp': n.expiresAt ?? '' },
          };
    await this.db
      .send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: pk(n.tenantId),
            sk: `${n.connectionId}#${n.kind}`,
            ...n,
            gsi2pk: DUE_PARTITION,
            gsi2sk: n.dueAt,
          },
          ...condition,
        }),
      )
      .catch(ignoreConditionFailure);
  }

  async clear(tenantId: string, connectionId: string, kinds: NoticeKind[]): Promise<void> {
    for (const kind of kinds) {
      await this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { pk: pk(tenantId), sk: `${connectionId}#${kind}` },
        }),
      );
    }
  }

  /**
   * gsi2 projects keys only (the jobs' sweeper needs no more), and an index lags its table: each hit is read
   * again, consistently, and kept only if it is still unsent and due.
   */
  async due(now: Date, limit: number): Promise<ConnectionNotice[]> {
    const r = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk <= :now',
        ExpressionAttributeValues: { ':pk': DUE_PARTITION, ':now': now.toISOString() },
        Limit: limit,
      }),
    );
    const out: ConnectionNotice[] = [];
    for (const key of r.Items ?? []) {
      const got = await this.db.send(
        new GetCommand({ TableName: this.table, Key: { pk: key.pk, sk: key.sk }, ConsistentRead: true }),
      );
      const item = got.Item;
      if (!item || item.sentAt || Date.parse(String(item.dueAt)) > now.getTime()) continue;
      const notice = { ...item };
      for (const k of INTERNAL) delete notice[k];
      out.push(notice as ConnectionNotice);
    }
    return out;
  }

  async markSent(n: ConnectionNotice, at: Date): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: pk(n.tenantId), sk: `${n.connectionId}#${n.kind}` },
          UpdateExpression: 'SET sentAt = :at REMOVE gsi2pk, gsi2sk',
          ConditionExpression: 'dueAt = :due AND attribute_not_exists(sentAt)',
          ExpressionAttributeValues: { ':at': at.toISOString(), ':due': n.dueAt },
        }),
      );
      return true;
    } catch (e) {
      ignoreConditionFailure(e);
      return false;
    }
  }

  async putOrigin(tenantId: string, connectionId: string, origin: ConnectionOrigin): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: pk(tenantId), sk: `${connectionId}#origin`, ...origin },
      }),
    );
  }

  async origin(tenantId: string, connectionId: string): Promise<ConnectionOrigin | undefined> {
    const r = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: pk(tenantId), sk: `${connectionId}#origin` } }),
    );
    if (!r.Item) return undefined;
    const { endUser, returnUrl, locale } = r.Item as ConnectionOrigin;
    return { endUser, ...(returnUrl ? { returnUrl } : {}), ...(locale ? { locale } : {}) };
  }

  async forget(tenantId: string, connectionId: string): Promise<void> {
    await this.clear(tenantId, connectionId, ['reauth_required', 'expiring']);
    await this.db.send(
      new DeleteCommand({ TableName: this.table, Key: { pk: pk(tenantId), sk: `${connectionId}#origin` } }),
    );
  }
}
