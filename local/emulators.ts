import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import dynalite from 'dynalite';
import { buildApp } from 'fauxqs';

/** DynamoDB (dynalite) on loopback; in memory, or persisted under `path` (LevelDB) to survive restarts. */
export async function startDynamo(opts: { port?: number; path?: string } = {}) {
  if (opts.path) fs.mkdirSync(opts.path, { recursive: true });
  const server: Server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(opts.path ? { path: opts.path } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** SQS (fauxqs) bound to loopback only (its own launcher binds 0.0.0.0). Keeps nothing across restarts. */
export async function startSqs(opts: { port?: number } = {}) {
  const app = buildApp({ logger: false, host: 'localhost' });
  await app.listen({ port: opts.port ?? 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  return { endpoint: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/** The table the CDK stack defines, for the emulators: pk/sk, gsi1 (tenant listing), gsi2 (due jobs). */
export async function ensureTable(endpoint: string, table: string): Promise<void> {
  const db = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const S = 'S' as const;
  try {
    await db.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: S },
          { AttributeName: 'sk', AttributeType: S },
          { AttributeName: 'gsi1pk', AttributeType: S },
          { AttributeName: 'gsi1sk', AttributeType: S },
          { AttributeName: 'gsi2pk', AttributeType: S },
          { AttributeName: 'gsi2sk', AttributeType: S },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'gsi1',
            KeySchema: [
              { AttributeName: 'gsi1pk', KeyType: 'HASH' },
              { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
            ],
            // What the listing filters on; the jobs themselves are read from the table (shared/jobs/dynamo-store.ts).
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['status', 'erp'] },
          },
          {
            IndexName: 'gsi2',
            KeySchema: [
              { AttributeName: 'gsi2pk', KeyType: 'HASH' },
              { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
      }),
    );
  } catch (e) {
    if (!(e instanceof ResourceInUseException)) throw e;
  }
  await db.send(new DescribeTableCommand({ TableName: table }));
  db.destroy();
}

export interface QueuePair {
  url: string;
  dlqUrl: string;
}

/** A jobs queue and its DLQ as the stack makes them (redrive after maxReceiveCount). */
export async function ensureQueuePair(
  sqs: SQSClient,
  name: string,
  opts: { visibilityTimeoutSeconds: number; maxReceiveCount: number },
): Promise<QueuePair> {
  const dlq = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${name}-dlq`,
      Attributes: { MessageRetentionPeriod: String(14 * 86_400) },
    }),
  );
  const dlqUrl = dlq.QueueUrl as string;
  const attrs = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }),
  );
  const q = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${name}-jobs`,
      Attributes: {
        VisibilityTimeout: String(opts.visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: attrs.Attributes?.QueueArn,
          maxReceiveCount: opts.maxReceiveCount,
        }),
      },
    }),
  );
  return { url: q.QueueUrl as string, dlqUrl };
}
