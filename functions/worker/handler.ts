import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { loadConfig } from '../../shared/config';
import { DEAD_LETTER_REASON } from '../../shared/queue/queue';
import {
  asLog,
  createLogger,
  createMetrics,
  lazy,
  workerTelemetry,
} from '../../shared/runtime/observability';
import { partialBatch } from '../../shared/runtime/sqs-batch';
import { createTracer } from '../../shared/runtime/tracing';
import { workerDeps } from '../../shared/runtime/wiring';
import type { WorkerDeps } from '../../shared/worker/deps';
import { processMessage } from '../../shared/worker/process-message';

const logger = createLogger('erp-bridge-worker');
const metrics = createMetrics('erp-bridge-worker');
const tracer = createTracer('erp-bridge-worker');

// No logMetrics middleware: every metric is a singleMetric(), published when recorded, so the middleware only
// ever flushed an empty set and warned "No application metrics to publish" on every invocation.

/**
 * SQS batch handler for one ERP. Each record is processed on its own; records to retry later are reported
 * as batch item failures (their visibility was already moved to the retry time), so SQS redelivers them.
 */
export function createWorkerHandler(deps: () => WorkerDeps) {
  return middy(async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const d = deps();
    return partialBatch(
      event.Records,
      (r) =>
        processMessage(
          {
            messageId: r.messageId,
            body: r.body,
            receiptHandle: r.receiptHandle,
            redriven: r.messageAttributes?.[DEAD_LETTER_REASON] !== undefined,
          },
          d,
        ),
      (r, e) =>
        d.log.error('record failed', {
          messageId: r.messageId,
          erp: d.adapter.id,
          error: e.name,
          message: e.message,
        }),
    );
  })
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }));
}

export const handler = createWorkerHandler(
  lazy(() => workerDeps(loadConfig(), asLog(logger), workerTelemetry(metrics))),
);
