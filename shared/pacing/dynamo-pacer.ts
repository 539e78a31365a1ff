import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { emissionIntervalMs, type PaceLimits } from './limits';
import type { PaceLease, Pacer } from './pacer';

/** A bucket's item outlives any realistic backlog; an idle one then disappears on its own. */
const TTL_SECONDS = 30 * 86_400;

/**
 * Pacer on the jobs table. Rate: one item per connection holding TAT; a reservation is one conditional
 * UpdateItem — `tat + cost·interval` while the bucket is busy (tat > now), or `now + cost·interval` when it
 * is idle — so concurrent workers on any number of Lambdas get distinct, evenly spaced slots. Concurrency:
 * `limit` slot items, each taken by a conditional put and lapsing at its expiry (a crashed holder's slot
 * comes back by itself). Blocks: one item per scope holding the block's end (`PACE#BLOCK#<scope>`).
 */
export class DynamoPacer implements Pacer {
  /** The TAT we last saw per bucket: picks which form of the update to try first (usually right). */
  private readonly lastTat = new Map<string, number>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async reserve(key: string, limits: PaceLimits, cost: number, nowMs: number): Promise<number> {
    const inc = cost * emissionIntervalMs(limits);
    const ttl = Math.ceil(nowMs / 1000) + TTL_SECONDS;
    let busy = (this.lastTat.get(key) ?? 0) > nowMs;
    // Each failed condition means the other form applies now; two rounds settle any race.
    for (let round = 0; round < 6; round++) {
      try {
        const slot = busy ? await this.advance(key, inc, nowMs, ttl) : await this.start(key, inc, nowMs, ttl);
        this.lastTat.set(key, slot + inc);
        return slot;
      } catch (e) {
        if (!(e instanceof ConditionalCheckFailedException)) throw e;
        busy = !busy;
      }
    }
    throw new Error(`pacing bucket ${key} is contended beyond reason`);
  }

  /** Busy bucket: the slot is the current TAT, moved on by `inc`. */
  private async advance(key: string, inc: number, nowMs: number, ttl: number): Promise<number> {
    const tat = await this.setTat(key, 'tat + :inc', 'tat > :now', {
      ':inc': inc,
      ':now': nowMs,
      ':ttl': ttl,
    });
    return tat - inc;
  }

  /** Idle (or new) bucket: the slot is now. */
  private async start(key: string, inc: number, nowMs: number, ttl: number): Promise<number> {
    const cond = 'attribute_not_exists(tat) OR tat <= :now';
    await this.setTat(key, ':tat', cond, { ':tat': nowMs + inc, ':now': nowMs, ':ttl': ttl });
    return nowMs;
  }

  private async setTat(key: string, value: string, condition: string, values: Record<string, number>) {
    const r = await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `PACE#${key}`, sk: 'RATE' },
        UpdateExpression: `SET tat = ${value}, #ttl = :ttl`,
        ConditionExpression: condition,
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: values,
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(r.Attributes?.tat);
  }

  async holdUntil(key: string, untilMs: number): Promise<void> {
    try {
      await this.setTat(key, ':tat', 'attribute_not_exists(tat) OR tat < :tat', {
        ':tat': untilMs,
        ':ttl': Math.ceil(untilMs / 1000) + TTL_SECONDS,
      });
      this.lastTat.set(key, untilMs);
    } catch (e) {
      // Held until later already.
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    }
  }

  /** One item per scope; the condition keeps the later end when two workers record blocks at once. */
  async block(scope: string, untilMs: number): Promise<void> {
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `PACE#BLOCK#${scope}`, sk: 'BLOCK' },
          UpdateExpression: 'SET #until = :until, #ttl = :ttl',
          ConditionExpression: 'attribute_not_exists(#until) OR #until < :until',
          ExpressionAttributeNames: { '#until': 'until', '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':until': untilMs, ':ttl': Math.ceil(untilMs / 1000) + 3600 },
        }),
      )
      .catch((e) => {
        // A block that ends later is already recorded.
        if (!(e instanceof ConditionalCheckFailedException)) throw e;
      });
  }

  async blockedUntil(scope: string, nowMs: number): Promise<number | undefined> {
    const r = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: `PACE#BLOCK#${scope}`, sk: 'BLOCK' },
        ConsistentRead: true,
      }),
    );
    const until = Number(r.Item?.until);
    return Number.isFinite(until) && until > nowMs ? until : undefined;
  }

  async acquire(key: string, limit: number, ttlMs: number, nowMs: number): Promise<PaceLease | undefined> {
    const owner = randomUUID();
    // Start at a random slot so concurrent workers rarely collide on the same item.
    const first = Math.floor(Math.random() * limit);
    for (let i = 0; i < limit; i++) {
      const sk = `LEASE#${(first + i) % limit}`;
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.table,
            Item: {
              pk: `PACE#${key}`,
              sk,
              owner,
              expiresAt: nowMs + ttlMs,
              ttl: Math.ceil((nowMs + ttlMs) / 1000) + 3600,
            },
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
            ExpressionAttributeValues: { ':now': nowMs },
          }),
        );
        return { release: () => this.release(key, sk, owner) };
      } catch (e) {
        if (!(e instanceof ConditionalCheckFailedException)) throw e;
      }
    }
    return undefined;
  }

  private async release(key: string, sk: string, owner: string): Promise<void> {
    await this.db
      .send(
        new DeleteCommand({
          TableName: this.table,
          Key: { pk: `PACE#${key}`, sk },
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner },
        }),
      )
      .catch((e) => {
        // Our slot lapsed and someone else holds it now: nothing of ours to release.
        if (!(e instanceof ConditionalCheckFailedException)) throw e;
      });
  }
}
