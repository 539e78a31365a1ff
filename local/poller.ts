import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { lambdaContext } from './api-server';

type WorkerHandler = (e: SQSEvent, c: Context) => Promise<SQSBatchResponse>;

/**
 * The local event source mapping: long-polls a queue, hands batches to the same worker handler as Lambda
 * does, and deletes every record not reported in `batchItemFailures` (a thrown handler deletes nothing).
 */
export function startPoller(opts: {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  handler: WorkerHandler;
  batchSize: number;
  concurrency: number;
  onError?: (e: unknown) => void;
}) {
  let running = true;
  const loops: Promise<void>[] = [];
  const loop = async () => {
    while (running) {
      try {
        const r = await opts.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: opts.queueUrl,
            MaxNumberOfMessages: opts.batchSize,
            WaitTimeSeconds: 1,
            MessageSystemAttributeNames: [
              'ApproximateReceiveCount',
              'SentTimestamp',
              'ApproximateFirstReceiveTimestamp',
            ],
            MessageAttributeNames: ['All'],
          }),
        );
        const messages = r.Messages ?? [];
        if (!messages.length || !running) continue;
        const records: SQSRecord[] = messages.map((m) => ({
          messageId: m.MessageId as string,
          receiptHandle: m.ReceiptHandle as string,
          body: m.Body ?? '',
          attributes: {
            ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
            SentTimestamp: m.Attributes?.SentTimestamp ?? String(Date.now()),
            SenderId: 'local',
            ApproximateFirstReceiveTimestamp:
              m.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
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
          eventSourceARN: opts.queueArn,
          awsRegion: 'us-east-1',
        }));
        let failed: Set<string>;
        try {
          const out = await opts.handler({ Records: records }, lambdaContext('worker'));
          failed = new Set((out?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
        } catch (e) {
          opts.onError?.(e);
          continue;
        }
        const done = messages.filter((m) => !failed.has(m.MessageId as string));
        if (done.length) {
          await opts.sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: opts.queueUrl,
              Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle as string })),
            }),
          );
        }
      } catch (e) {
        if (!running) break;
        opts.onError?.(e);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };
  for (let i = 0; i < opts.concurrency; i++) loops.push(loop());
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}
