import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { loadConfig } from '../../shared/config';
import type { ErpId } from '../../shared/erps/types';
import { DynamoJobStore } from '../../shared/jobs/dynamo-store';
import { SqsJobQueue } from '../../shared/queue/sqs-queue';
import { dynamoDocumentClient, sqsClient } from '../../shared/runtime/aws';
import { asLog, createLogger, lazy } from '../../shared/runtime/observability';
import { sweep } from '../../shared/worker/sweeper';

const logger = createLogger('erp-bridge-sweeper');

const deps = lazy(() => {
  const config = loadConfig();
  return {
    config,
    jobs: new DynamoJobStore(dynamoDocumentClient(), config.TABLE_NAME),
    queue: new SqsJobQueue(sqsClient(), config.JOB_QUEUE_URLS),
    log: asLog(logger),
  };
});

/** Scheduled (every minute): re-queues jobs stuck past SWEEP_STUCK_AFTER_SECONDS. */
export const handler = middy(async () => {
  const d = deps();
  return sweep(d, Object.keys(d.config.JOB_QUEUE_URLS) as ErpId[], d.config.SWEEP_STUCK_AFTER_SECONDS * 1000);
}).use(injectLambdaContext(logger, { resetKeys: true }));
