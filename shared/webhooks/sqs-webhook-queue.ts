import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { asciiJson } from '../queue/ascii-json';
import type { WebhookDelivery, WebhookQueue } from './delivery';

/** The webhooks queue on SQS; MessageGroupId = tenant (fair queues: one noisy tenant does not delay others). */
export class SqsWebhookQueue implements WebhookQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(delivery: WebhookDelivery): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: asciiJson(delivery),
        MessageGroupId: delivery.tenantId,
      }),
    );
  }
}
