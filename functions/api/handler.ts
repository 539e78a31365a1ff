import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { ApiDeps } from '../../shared/api/deps';
import { route } from '../../shared/api/router';
import { loadConfig } from '../../shared/config';
import { fromApiGatewayEvent, toApiGatewayResult } from '../../shared/runtime/apigw';
import { asLog, createLogger, lazy } from '../../shared/runtime/observability';
import { createTracer } from '../../shared/runtime/tracing';
import { apiDeps } from '../../shared/runtime/wiring';

const logger = createLogger('erp-bridge-api');
const tracer = createTracer('erp-bridge-api');

/** The HTTP API's one function: event → router → response. All logic lives in shared/api. */
export function createApiHandler(deps: () => ApiDeps) {
  return middy(
    async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
      // A waited answer (Prefer: wait) must leave before the function times out: keep 1.5 s for the 202 itself.
      const req = {
        ...fromApiGatewayEvent(event),
        deadlineMs: Date.now() + context.getRemainingTimeInMillis() - 1_500,
      };
      logger.appendKeys({ tenantId: req.tenantId, requestId: req.requestId, erp: req.headers['x-erp'] });
      const res = await route(req, deps());
      logger.info('request', { method: req.method, path: req.path, status: res.status });
      return toApiGatewayResult(res);
    },
  )
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }));
}

export const handler = createApiHandler(lazy(() => apiDeps(loadConfig(), asLog(logger))));
