import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { loadConfig } from '../../shared/config';
import { asLog, createLogger, lazy } from '../../shared/runtime/observability';
import { partialBatch } from '../../shared/runtime/sqs-batch';
import { createTracer } from '../../shared/runtime/tracing';
import { webhookDispatchDeps } from '../../shared/runtime/webhook-wiring';
import { type DispatchDeps, dispatchWebhook } from '../../shared/webhooks/dispatch';

const logger = createLogger('erp-bridge-webhook');
const tracer = createTracer('erp-bridge-webhook');

/**
 * SQS batch handler for the webhooks queue. Deliveries to retry are reported as batch item failures (their
 * visibility was already moved to the backoff), so SQS redelivers them; the rest are acknowledged.
 */
export function createWebhookHandler(deps: () => DispatchDeps) {
  return middy(async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const d = deps();
    return partialBatch(
      event.Records,
      (r) =>
        dispatchWebhook(
          {
            body: r.body,
            receiptHandle: r.receiptHandle,
            receiveCount: Number(r.attributes.ApproximateReceiveCount) || 1,
          },
          d,
        ),
      (r, e) => d.log.error('webhook record failed', { messageId: r.messageId, error: e.name }),
    );
  })
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }));
}

export const handler = createWebhookHandler(lazy(() => webhookDispatchDeps(loadConfig(), asLog(logger))));
