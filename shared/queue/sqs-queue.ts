import {
  ChangeMessageVisibilityCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { ErpId } from '../erps/types';
import { asciiJson } from './ascii-json';
import type { JobMessage } from './message';
import {
  DEAD_LETTER_REASON,
  type JobQueue,
  MAX_DELAY_SECONDS,
  MAX_VISIBILITY_SECONDS,
  type MessageControl,
} from './queue';

/**
 * JobQueue on SQS standard queues, one per ERP. MessageGroupId = tenant turns on SQS fair queues, so one
 * tenant's backlog does not starve the others.
 */
export class SqsJobQueue implements JobQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrls: Partial<Record<ErpId, string>>,
  ) {}

  private url(erp: ErpId): string {
    const url = this.queueUrls[erp];
    if (!url) throw new Error(`no queue configured for ${erp}`);
    return url;
  }

  async send(erp: ErpId, message: JobMessage): Promise<void> {
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.url(erp), ...entry(erp, message) }));
  }

  /** SendMessageBatch, 10 entries per call (SQS's maximum; a customer message is far below the 1 MiB batch cap). */
  async sendMany(erp: ErpId, messages: JobMessage[]): Promise<number[]> {
    const url = this.url(erp);
    const failed: number[] = [];
    for (let i = 0; i < messages.length; i += 10) {
      const group = messages.slice(i, i + 10);
      try {
        const r = await this.sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: url,
            Entries: group.map((m, k) => ({ Id: String(i + k), ...entry(erp, m) })),
          }),
        );
        for (const f of r.Failed ?? []) failed.push(Number(f.Id));
      } catch {
        for (let k = 0; k < group.length; k++) failed.push(i + k);
      }
    }
    return failed;
  }

  /** GetQueueAttributes: the approximate visible, in-flight and delayed counts are all zero. */
  async isEmpty(erp: ErpId): Promise<boolean> {
    const r = await this.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.url(erp),
        AttributeNames: [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
          'ApproximateNumberOfMessagesDelayed',
        ],
      }),
    );
    const a = r.Attributes ?? {};
    return (
      a.ApproximateNumberOfMessages === '0' &&
      a.ApproximateNumberOfMessagesNotVisible === '0' &&
      a.ApproximateNumberOfMessagesDelayed === '0'
    );
  }
}

function entry(erp: ErpId, message: JobMessage) {
  return {
    MessageBody: asciiJson(message),
    MessageGroupId: message.tenantId,
    MessageAttributes: {
      erp: { DataType: 'String', StringValue: erp },
      ...(message.jobId ? { jobId: { DataType: 'String', StringValue: message.jobId } } : {}),
    },
  };
}

/** The worker's handle on its own queue and DLQ. */
export class SqsMessageControl implements MessageControl {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly deadLetterUrl: string,
  ) {}

  async retryLater(receiptHandle: string, seconds: number): Promise<void> {
    await this.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: Math.max(0, Math.min(MAX_VISIBILITY_SECONDS, Math.ceil(seconds))),
      }),
    );
  }

  async resend(body: string, delaySeconds: number, groupId?: string): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: body,
        DelaySeconds: Math.max(0, Math.min(MAX_DELAY_SECONDS, Math.ceil(delaySeconds))),
        ...(groupId ? { MessageGroupId: groupId } : {}),
      }),
    );
  }

  async deadLetter(body: string, reason: string): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.deadLetterUrl,
        MessageBody: body,
        MessageAttributes: {
          [DEAD_LETTER_REASON]: { DataType: 'String', StringValue: reason.slice(0, 256) },
        },
      }),
    );
  }
}
