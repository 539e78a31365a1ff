import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { loadConfig } from '../../shared/config';
import { type ConnectDeps, handleConnect, parseCookies } from '../../shared/connect/flow';
import { fromApiGatewayEvent } from '../../shared/runtime/apigw';
import { asLog, createLogger, lazy } from '../../shared/runtime/observability';
import { createTracer } from '../../shared/runtime/tracing';
import { connectDeps } from '../../shared/runtime/wiring';

const logger = createLogger('erp-bridge-connect');
const tracer = createTracer('erp-bridge-connect');

/**
 * The connect page (public, no API key: the session link's token and then the browser's cookie are the access):
 * `/connect/{sessionId}`, its form posts, the OAuth callbacks and the page's own assets. Only the path is logged,
 * never the query (it carries the link token, OAuth codes and states).
 */
export function createConnectHandler(deps: () => ConnectDeps) {
  return middy(async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const req = fromApiGatewayEvent(event);
    // API Gateway (payload v2) moves cookies out of the headers into `cookies`.
    const cookies = parseCookies(event.cookies?.join('; ') ?? req.headers.cookie);
    const res = await handleConnect({ ...req, cookies }, deps());
    logger.info('request', { method: req.method, path: req.path, status: res.status });
    return { statusCode: res.status, headers: res.headers, body: res.body, cookies: res.cookies };
  })
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }));
}

export const handler = createConnectHandler(lazy(() => connectDeps(loadConfig(), asLog(logger))));
