import type { Config } from '../config';
import { SqsMessageControl } from '../queue/sqs-queue';
import { loadWebhookConfig } from '../webhooks/config';
import type { DispatchDeps } from '../webhooks/dispatch';
import { DynamoWebhookSettingsStore } from '../webhooks/dynamo-settings-store';
import { createWebhookPoster } from '../webhooks/post';
import type { Log } from '../worker/deps';
import { dynamoDocumentClient, sqsClient } from './aws';

// Apart from wiring.ts: the dispatcher's bundle then holds no ERP adapter, customer schema or geography data.

/** The webhook dispatcher (functions/webhook): its queue, DLQ, settings, poster and retry policy. */
export function webhookDispatchDeps(config: Config, log: Log): DispatchDeps {
  const w = loadWebhookConfig();
  if (!w.queueUrl || !w.deadLetterQueueUrl) {
    throw new Error(
      'invalid configuration: the dispatcher needs WEBHOOK_QUEUE_URL and WEBHOOK_DEAD_LETTER_QUEUE_URL',
    );
  }
  return {
    settings: new DynamoWebhookSettingsStore(dynamoDocumentClient(), config.TABLE_NAME),
    control: new SqsMessageControl(sqsClient(), w.queueUrl, w.deadLetterQueueUrl),
    post: createWebhookPoster({ policy: w.policy, timeoutMs: w.timeoutMs }),
    policy: w.policy,
    retry: w.retry,
    log,
  };
}
