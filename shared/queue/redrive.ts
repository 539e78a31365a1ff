import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';

export interface RedriveResult {
  /** How the move ran: an SQS move task (AWS) or our own receive/send/delete (emulators). */
  mode: 'move-task' | 'manual';
  /** Messages in the DLQ when the redrive started: the most it moves. */
  foundAtStart?: number;
  moved?: number;
  /** Manual: what was moved, by the DLQ message id, with the job id each message names (when it names one). */
  messages?: { messageId: string; jobId?: string }[];
  taskHandle?: string;
  /** Move task: its status right after it started, when SQS already lists it. */
  taskStatus?: string;
}

export async function queueUrlAndArn(sqs: SQSClient, name: string) {
  const url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl as string;
  const attrs = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return { url, arn: attrs.Attributes?.QueueArn as string };
}

/**
 * AWS: one StartMessageMoveTask from the DLQ back to its jobs queue (SQS keeps message attributes). SQS fixes
 * the number to move when the task starts (ApproximateNumberOfMessagesToMove), which is reported.
 */
export async function redriveWithMoveTask(
  sqs: SQSClient,
  dlqArn: string,
  queueArn: string,
  perSecond?: number,
): Promise<RedriveResult> {
  const r = await sqs.send(
    new StartMessageMoveTaskCommand({
      SourceArn: dlqArn,
      DestinationArn: queueArn,
      MaxNumberOfMessagesPerSecond: perSecond,
    }),
  );
  const task = (
    await sqs
      .send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn, MaxResults: 1 }))
      .catch(() => undefined)
  )?.Results?.find((t) => t.TaskHandle === r.TaskHandle || t.Status === 'RUNNING');
  return {
    mode: 'move-task',
    taskHandle: r.TaskHandle,
    ...(task?.ApproximateNumberOfMessagesToMove !== undefined
      ? { foundAtStart: Number(task.ApproximateNumberOfMessagesToMove) }
      : {}),
    ...(task?.Status ? { taskStatus: task.Status } : {}),
  };
}

const jobIdOf = (body: string | undefined): string | undefined => {
  try {
    const id = (JSON.parse(body ?? '') as { jobId?: unknown }).jobId;
    return typeof id === 'string' ? id.slice(0, 64) : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Emulators lack StartMessageMoveTask: move messages ourselves, keeping their attributes. Only the messages that
 * were in the DLQ when the redrive started move — at most that many, each message id once, none sent after the
 * start — so a message the worker dead-letters again (an invalid one) waits in the DLQ instead of going round.
 * A message is deleted from the DLQ only after its copy was sent, so a crash mid-way duplicates at worst (the
 * worker's claim dedupes).
 */
export async function redriveManually(
  sqs: SQSClient,
  dlqUrl: string,
  queueUrl: string,
): Promise<RedriveResult> {
  const startedAt = Date.now();
  const attrs = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  const foundAtStart = Number(attrs.Attributes?.ApproximateNumberOfMessages ?? 0);
  const seen = new Set<string>();
  const moved: { messageId: string; jobId?: string }[] = [];
  while (moved.length < foundAtStart) {
    const r = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl,
        MaxNumberOfMessages: Math.min(10, foundAtStart - moved.length),
        WaitTimeSeconds: 1,
        VisibilityTimeout: 60,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['SentTimestamp'],
      }),
    );
    const received = r.Messages ?? [];
    const isOld = (m: Message) =>
      !seen.has(m.MessageId as string) && Number(m.Attributes?.SentTimestamp ?? 0) <= startedAt;
    const messages = received.filter(isOld);
    const later = received.filter((m) => !isOld(m));
    if (later.length) {
      // Arrived after the start (or already moved): back to the DLQ's visible messages, untouched.
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: dlqUrl,
          Entries: later.map((m, i) => ({
            Id: String(i),
            ReceiptHandle: m.ReceiptHandle as string,
            VisibilityTimeout: 0,
          })),
        }),
      );
    }
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
    for (const m of messages) seen.add(m.MessageId as string);
    for (const m of done) moved.push({ messageId: m.MessageId as string, jobId: jobIdOf(m.Body) });
    if (done.length < messages.length) break;
  }
  return { mode: 'manual', foundAtStart, moved: moved.length, messages: moved };
}
