import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  APIGatewayRequestAuthorizerEventV2,
  Context,
} from 'aws-lambda';
import type { AuthorizerResult } from '../functions/authorizer/handler';
import { decodeBody } from '../shared/api/http';

type ApiHandler = (e: APIGatewayProxyEventV2, c: Context) => Promise<APIGatewayProxyStructuredResultV2>;
type Authorizer = (e: APIGatewayRequestAuthorizerEventV2, c: Context) => Promise<AuthorizerResult>;
type DocsHandler = (e: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
type ConnectHandler = (e: APIGatewayProxyEventV2, c: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** Routes API Gateway serves without the authorizer (as in the CDK stack). */
const PUBLIC = new Set(['/health', '/openapi.json', '/docs']);
/** API Gateway HTTP APIs refuse bodies over 10 MB before any Lambda runs. */
const GATEWAY_MAX_BODY = 10 * 1024 * 1024;

export function lambdaContext(name: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * The local stand-in for API Gateway: each request becomes a payload-v2 event, runs through the same
 * authorizer handler (simple response, tenantId in context) and the same API handler as on AWS.
 */
export async function startApiServer(opts: {
  api: ApiHandler;
  authorizer: Authorizer;
  /** GET /openapi.json, /docs and its assets: a function of its own on AWS too (functions/docs). */
  docs?: DocsHandler;
  /** The connect page (/connect and below): public, a function of its own on AWS too (functions/connect). */
  connect?: ConnectHandler;
  port?: number;
  host?: string;
}) {
  const server = http.createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const c of req) {
        size += (c as Buffer).length;
        if (size > GATEWAY_MAX_BODY) {
          res
            .writeHead(413, { 'content-type': 'application/json' })
            .end(JSON.stringify({ message: 'Request Entity Too Large' }));
          req.destroy();
          return;
        }
        chunks.push(c as Buffer);
      }
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://local');
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
      const event = httpApiEvent({
        method: req.method ?? 'GET',
        url,
        headers,
        body,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      });
      if (
        opts.docs &&
        (url.pathname === '/openapi.json' || url.pathname === '/docs' || url.pathname.startsWith('/docs/'))
      ) {
        const out = await opts.docs(event);
        const body = out.isBase64Encoded ? Buffer.from(out.body ?? '', 'base64') : (out.body ?? '');
        res.writeHead(out.statusCode ?? 200, out.headers as Record<string, string>).end(body);
        return;
      }
      if (opts.connect && (url.pathname === '/connect' || url.pathname.startsWith('/connect/'))) {
        // As API Gateway does for payload v2: cookies travel in `cookies`, not in the headers.
        const cookie = headers.cookie;
        delete event.headers.cookie;
        if (cookie) event.cookies = cookie.split(';').map((c) => c.trim());
        const out = await opts.connect(event, lambdaContext('connect'));
        const outHeaders: http.OutgoingHttpHeaders = { ...(out.headers as Record<string, string>) };
        if (out.cookies?.length) outHeaders['set-cookie'] = out.cookies;
        res.writeHead(out.statusCode ?? 200, outHeaders).end(out.body ?? '');
        return;
      }
      if (!PUBLIC.has(url.pathname) && headers.authorization) {
        const auth = await opts.authorizer(
          {
            version: '2.0',
            type: 'REQUEST',
            routeArn: 'arn:aws:execute-api:us-east-1:000000000000:local/$default',
            identitySource: [headers.authorization],
            routeKey: '$default',
            rawPath: event.rawPath,
            rawQueryString: event.rawQueryString,
            headers,
            queryStringParameters: event.queryStringParameters ?? {},
            requestContext: event.requestContext,
            pathParameters: {},
            stageVariables: {},
            cookies: [],
          } as APIGatewayRequestAuthorizerEventV2,
          lambdaContext('authorizer'),
        );
        if (!auth.isAuthorized) {
          res
            .writeHead(403, { 'content-type': 'application/json' })
            .end(JSON.stringify({ message: 'Forbidden' }));
          return;
        }
        if (auth.context.tenantId) withTenant(event, auth.context.tenantId);
      }
      const requestId = event.requestContext.requestId;
      const out = await opts.api(event, lambdaContext('api'));
      const outHeaders = { ...(out.headers as Record<string, string>), 'x-request-id': requestId };
      res.writeHead(out.statusCode ?? 200, outHeaders).end(out.body ?? '');
    } catch {
      if (!res.headersSent) {
        res
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify({ message: 'Internal Server Error' }));
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An API Gateway HTTP API (payload v2) event, as the gateway builds it for our Lambda. */
export function httpApiEvent(r: {
  method: string;
  url: URL;
  headers: Record<string, string>;
  /** Text, or the bytes as received (a body that is not UTF-8 travels base64-encoded, as binary does). */
  body?: string | Buffer;
  sourceIp?: string;
  tenantId?: string;
}): APIGatewayProxyEventV2 {
  const query: Record<string, string> = {};
  for (const [k, v] of r.url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const now = new Date();
  const event = {
    version: '2.0',
    routeKey: '$default',
    rawPath: r.url.pathname,
    rawQueryString: r.url.search.slice(1),
    headers: r.headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: '127.0.0.1',
      domainPrefix: 'local',
      http: {
        method: r.method.toUpperCase(),
        path: r.url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: r.sourceIp ?? '127.0.0.1',
        userAgent: r.headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    ...eventBody(r.body),
  } as APIGatewayProxyEventV2;
  if (r.tenantId) withTenant(event, r.tenantId);
  return event;
}

function eventBody(body?: string | Buffer): { body?: string; isBase64Encoded: boolean } {
  if (body === undefined || body.length === 0) return { isBase64Encoded: false };
  if (typeof body === 'string') return { body, isBase64Encoded: false };
  const text = decodeBody(body);
  return text.bodyNotUtf8
    ? { body: body.toString('base64'), isBase64Encoded: true }
    : { body: text.body, isBase64Encoded: false };
}

/** What the Lambda authorizer's simple response adds to the event: the tenant, and nothing else. */
function withTenant(event: APIGatewayProxyEventV2, tenantId: string) {
  (event.requestContext as unknown as { authorizer: unknown }).authorizer = { lambda: { tenantId } };
}
