import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { lambdaContext } from './api-server';

type WorkerHandler = (e: SQSEvent, c: Context) => Promise<SQSBatchResponse>;

export interface QueueSource {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  handler: WorkerHandler;
  batchSize: number;
}

/** An SQS message as Lambda's event source mapping hands it over. */
export function toSqsRecord(m: Message, queueArn: string): SQSRecord {
  const now = String(Date.now());
  return {
    messageId: m.MessageId as string,
    receiptHandle: m.ReceiptHandle as string,
    body: m.Body ?? '',
    attributes: {
      ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
      SentTimestamp: m.Attributes?.SentTimestamp ?? now,
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? now,
    },
    messageAttributes: Object.fromEntries(
      Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [
        k,
        {
          stringValue: v.StringValue,
          dataType: v.DataType ?? 'String',
          stringListValues: [],
          binaryListValues: [],
        },
      ]),
    ),
    md5OfBody: m.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: 'us-east-1',
  };
}

/**
 * One round of the event source mapping: receive a batch, run the worker handler, delete every record not
 * reported in `batchItemFailures` (a thrown handler deletes nothing). Returns the messages received.
 */
export async function pollOnce(src: QueueSource, waitSeconds = 1): Promise<Message[]> {
  const r = await src.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: src.queueUrl,
      MaxNumberOfMessages: src.batchSize,
      WaitTimeSeconds: waitSeconds,
      MessageSystemAttributeNames: [
        'ApproximateReceiveCount',
        'SentTimestamp',
        'ApproximateFirstReceiveTimestamp',
      ],
      MessageAttributeNames: ['All'],
    }),
  );
  const messages = r.Messages ?? [];
  if (!messages.length) return messages;
  const out = await src.handler(
    { Records: messages.map((m) => toSqsRecord(m, src.queueArn)) },
    lambdaContext('worker'),
  );
  const failed = new Set((out?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
  const done = messages.filter((m) => !failed.has(m.MessageId as string));
  if (done.length) {
    await src.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: src.queueUrl,
        Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle as string })),
      }),
    );
  }
  return messages;
}

/** The local event source mapping: `concurrency` loops of pollOnce until stopped. */
export function startPoller(opts: QueueSource & { concurrency: number; onError?: (e: unknown) => void }) {
  let running = true;
  const loop = async () => {
    while (running) {
      try {
        await pollOnce(opts);
      } catch (e) {
        if (!running) break;
        opts.onError?.(e);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };
  const loops = Array.from({ length: opts.concurrency }, loop);
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}
