import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { loadConfig } from '../../shared/config';
import { asLog, createLogger, lazy } from '../../shared/runtime/observability';
import { webhookDispatchDeps } from '../../shared/runtime/wiring';
import { type DispatchDeps, dispatchWebhook } from '../../shared/webhooks/dispatch';

const logger = createLogger('erp-bridge-webhook');

/**
 * SQS batch handler for the webhooks queue. Deliveries to retry are reported as batch item failures (their
 * visibility was already moved to the backoff), so SQS redelivers them; the rest are acknowledged.
 */
export function createWebhookHandler(deps: () => DispatchDeps) {
  return middy(async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const d = deps();
    const results = await Promise.all(
      event.Records.map(async (r) => {
        try {
          return await dispatchWebhook(
            {
              body: r.body,
              receiptHandle: r.receiptHandle,
              receiveCount: Number(r.attributes.ApproximateReceiveCount) || 1,
            },
            d,
          );
        } catch (e) {
          // DynamoDB or SQS failed: let the message come back; maxReceiveCount is the safety net.
          d.log.error('webhook record failed', { messageId: r.messageId, error: (e as Error).name });
          return 'retry' as const;
        }
      }),
    );
    return {
      batchItemFailures: event.Records.filter((_, i) => results[i] === 'retry').map((r) => ({
        itemIdentifier: r.messageId,
      })),
    };
  }).use(injectLambdaContext(logger, { resetKeys: true }));
}

export const handler = createWebhookHandler(lazy(() => webhookDispatchDeps(loadConfig(), asLog(logger))));
