import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { loadConfig } from '../../shared/config';
import { sweepConnectionNotices } from '../../shared/connect/notify';
import type { ErpId } from '../../shared/erps/types';
import { DynamoJobStore } from '../../shared/jobs/dynamo-store';
import { SqsJobQueue } from '../../shared/queue/sqs-queue';
import { dynamoDocumentClient, sqsClient } from '../../shared/runtime/aws';
import { notifyDeps } from '../../shared/runtime/connection-wiring';
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
    notify: notifyDeps(config, asLog(logger)),
  };
});

/**
 * Scheduled (every minute): re-queues jobs stuck past SWEEP_STUCK_AFTER_SECONDS, then sends the connection notices
 * that are due (connection.reauth_required / connection.expiring webhooks with a reconnect link).
 */
export const handler = middy(async () => {
  const d = deps();
  const jobs = await sweep(
    d,
    Object.keys(d.config.JOB_QUEUE_URLS) as ErpId[],
    d.config.SWEEP_STUCK_AFTER_SECONDS * 1000,
  );
  const notices = d.notify ? await sweepConnectionNotices(d.notify) : { sent: 0 };
  return { ...jobs, noticesSent: notices.sent };
}).use(injectLambdaContext(logger, { resetKeys: true }));
