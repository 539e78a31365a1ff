import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { apiKeyId, type TenantKeyRecord, type TenantKeySummary, type TenantStore } from './api-keys';

const keyItem = (hash: string) => ({ pk: `APIKEY#${hash}`, sk: 'APIKEY' });
/** The operators' index of a tenant's keys: listed by tenant, revoked by key id; holds the hash, never the key. */
const indexItem = (tenantId: string, keyId: string) => ({ pk: `TENANTKEYS#${tenantId}`, sk: keyId });

/** Tenant keys and request counters in the same table as the jobs. */
export class DynamoTenantStore implements TenantStore {
  /** This container's unspent blocks of each tenant's budget, by `tenant#minute`. */
  private readonly blocks = new Map<string, { left: number; exhausted: boolean }>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Stores a key's hash (what the authorizer reads), then its entry in the tenant's index (what operators list). */
  async putKey(hash: string, record: TenantKeyRecord): Promise<string> {
    const keyId = apiKeyId(record.tenantId, hash);
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...keyItem(hash), ...record, keyId },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...indexItem(record.tenantId, keyId), ...record, keyId, keyHash: hash },
      }),
    );
    return keyId;
  }

  async findByKeyHash(hash: string): Promise<TenantKeyRecord | undefined> {
    const r = await this.db.send(new GetCommand({ TableName: this.table, Key: keyItem(hash) }));
    if (!r.Item || r.Item.disabled) return undefined;
    return { tenantId: String(r.Item.tenantId), label: r.Item.label, createdAt: String(r.Item.createdAt) };
  }

  /** A tenant's keys, oldest first (keys made before key ids existed are not in the index). */
  async listKeys(tenantId: string): Promise<TenantKeySummary[]> {
    const out: TenantKeySummary[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const r = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `TENANTKEYS#${tenantId}` },
          ExclusiveStartKey: start,
        }),
      );
      for (const i of r.Items ?? []) {
        out.push({
          keyId: String(i.keyId),
          tenantId: String(i.tenantId),
          ...(i.label ? { label: String(i.label) } : {}),
          createdAt: String(i.createdAt),
          ...(i.revokedAt ? { revokedAt: String(i.revokedAt) } : {}),
        });
      }
      start = r.LastEvaluatedKey;
    } while (start);
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /**
   * Revokes a key by its id: the authorizer's item is disabled (kept, for the audit trail) and the index
   * entry stamped. Returns false for an id that names no key. Answers already cached by API Gateway stand
   * until they expire (5 minutes).
   */
  async revokeKey(keyId: string, at: Date): Promise<boolean> {
    const tenantId = keyId.slice(0, keyId.lastIndexOf('.'));
    if (!tenantId) return false;
    const index = await this.db.send(
      new GetCommand({ TableName: this.table, Key: indexItem(tenantId, keyId), ConsistentRead: true }),
    );
    if (!index.Item) return false;
    const revokedAt = at.toISOString();
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keyItem(String(index.Item.keyHash)),
        UpdateExpression: 'SET disabled = :t, revokedAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':t': true, ':at': revokedAt },
      }),
    );
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: indexItem(tenantId, keyId),
        UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
        ExpressionAttributeValues: { ':at': revokedAt },
      }),
    );
    return true;
  }

  /**
   * The tenant's per-minute budget, counted in blocks: this container takes a block of requests from the tenant's
   * counter for the minute with one write (ADD, the new total comes back) and serves the next requests from it
   * without I/O. A block is `rateBlockSize(limit)`; when the counter is nearly spent the grant is what is left.
   * The budget holds across containers (the counter is shared); the cost is that a container may leave part of
   * its last block unused in a minute (at most 2 % of the limit per container).
   */
  async consumeRequest(tenantId: string, limitPerMinute: number, now: Date): Promise<number> {
    const minute = Math.floor(now.getTime() / 60_000);
    const k = `${tenantId}#${minute}`;
    const local = this.blocks.get(k);
    if (local && local.left > 0) {
      local.left--;
      return 0;
    }
    if (local?.exhausted) return secondsToNextMinute(now);
    const want = rateBlockSize(limitPerMinute);
    const r = await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `RATE#${tenantId}#${minute}`, sk: 'RATE' },
        UpdateExpression: 'ADD #c :n SET #ttl = :ttl',
        ExpressionAttributeNames: { '#c': 'count', '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':n': want, ':ttl': minute * 60 + 180 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const total = Number(r.Attributes?.count ?? want);
    const granted = Math.max(0, Math.min(want, limitPerMinute - (total - want)));
    // Blocks of past minutes are dropped (the map stays one entry per tenant this container serves).
    for (const key of this.blocks.keys()) if (!key.endsWith(`#${minute}`)) this.blocks.delete(key);
    this.blocks.set(k, { left: Math.max(0, granted - 1), exhausted: granted < want });
    return granted > 0 ? 0 : secondsToNextMinute(now);
  }
}

/** Requests one block of the budget stands for: 1 for small limits (exact), at most 2 % of the limit, ≤ 100. */
export function rateBlockSize(limitPerMinute: number): number {
  return Math.max(1, Math.min(100, Math.floor(limitPerMinute / 50)));
}

function secondsToNextMinute(now: Date): number {
  return Math.max(1, 60 - (Math.floor(now.getTime() / 1000) % 60));
}
