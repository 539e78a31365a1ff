import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';

export interface RedriveResult {
  /** How the move ran: an SQS move task (AWS) or our own receive/send/delete (emulators). */
  mode: 'move-task' | 'manual';
  moved?: number;
  taskHandle?: string;
}

export async function queueUrlAndArn(sqs: SQSClient, name: string) {
  const url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl as string;
  const attrs = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return { url, arn: attrs.Attributes?.QueueArn as string };
}

/** AWS: one StartMessageMoveTask from the DLQ back to its jobs queue (SQS keeps message attributes). */
export async function redriveWithMoveTask(
  sqs: SQSClient,
  dlqArn: string,
  queueArn: string,
  perSecond?: number,
) {
  const r = await sqs.send(
    new StartMessageMoveTaskCommand({
      SourceArn: dlqArn,
      DestinationArn: queueArn,
      MaxNumberOfMessagesPerSecond: perSecond,
    }),
  );
  return { mode: 'move-task', taskHandle: r.TaskHandle } satisfies RedriveResult;
}

/**
 * Emulators lack StartMessageMoveTask: move messages ourselves, keeping their attributes. A message is deleted
 * from the DLQ only after its copy was sent, so a crash mid-way duplicates at worst (the worker's claim dedupes).
 */
export async function redriveManually(sqs: SQSClient, dlqUrl: string, queueUrl: string, max = 10_000) {
  let moved = 0;
  while (moved < max) {
    const r = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 60,
        MessageAttributeNames: ['All'],
      }),
    );
    const messages = r.Messages ?? [];
    if (!messages.length) break;
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.map((m, i) => ({
          Id: String(i),
          MessageBody: m.Body ?? '',
          MessageAttributes: m.MessageAttributes as Record<string, MessageAttributeValue> | undefined,
        })),
      }),
    );
    const ok = new Set((sent.Successful ?? []).map((s) => s.Id));
    const done = messages.filter((_, i) => ok.has(String(i)));
    if (done.length) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: dlqUrl,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle as string })),
        }),
      );
    }
    moved += done.length;
    if (done.length < messages.length) break;
  }
  return { mode: 'manual', moved } satisfies RedriveResult;
}
