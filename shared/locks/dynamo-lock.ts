import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { LockService } from '../erps/types';

export class LockTimeoutError extends Error {
  constructor(key: string) {
    super(`could not take lock ${key} in time`);
    this.name = 'LockTimeoutError';
  }
}

/**
 * LockService on DynamoDB: a conditional put takes the lock unless a live holder has it; the holder's
 * expiry lets a crashed holder's lock lapse. Used for one OAuth refresh at a time per connection.
 */
export class DynamoLockService implements LockService {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async withLock<T>(key: string, opts: { ttlMs: number; waitMs: number }, fn: () => Promise<T>): Promise<T> {
    const owner = randomUUID();
    const deadline = Date.now() + opts.waitMs;
    let delay = 50;
    for (;;) {
      const now = Date.now();
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.table,
            Item: {
              pk: `LOCK#${key}`,
              sk: 'LOCK',
              owner,
              expiresAt: now + opts.ttlMs,
              ttl: Math.ceil((now + opts.ttlMs) / 1000) + 3600,
            },
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
            ExpressionAttributeValues: { ':now': now },
          }),
        );
        break;
      } catch (e) {
        if (!(e instanceof ConditionalCheckFailedException)) throw e;
        if (Date.now() + delay > deadline) throw new LockTimeoutError(key);
        await new Promise((r) => setTimeout(r, delay * (0.5 + Math.random())));
        delay = Math.min(delay * 2, 500);
      }
    }
    try {
      return await fn();
    } finally {
      await this.db
        .send(
          new DeleteCommand({
            TableName: this.table,
            Key: { pk: `LOCK#${key}`, sk: 'LOCK' },
            ConditionExpression: '#owner = :owner',
            ExpressionAttributeNames: { '#owner': 'owner' },
            ExpressionAttributeValues: { ':owner': owner },
          }),
        )
        .catch((e) => {
          if (!(e instanceof ConditionalCheckFailedException)) throw e;
        });
    }
  }
}
