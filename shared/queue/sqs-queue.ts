import { ChangeMessageVisibilityCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
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

  async send(erp: ErpId, message: JobMessage): Promise<void> {
    const url = this.queueUrls[erp];
    if (!url) throw new Error(`no queue configured for ${erp}`);
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: asciiJson(message),
        MessageGroupId: message.tenantId,
        MessageAttributes: {
          erp: { DataType: 'String', StringValue: erp },
          ...(message.jobId ? { jobId: { DataType: 'String', StringValue: message.jobId } } : {}),
        },
      }),
    );
  }
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
