import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type ApiRequest, type ApiResponse, decodeBody } from '../api/http';

type EventWithAuthorizer = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { lambda?: { tenantId?: string } };
  };
};

/** API Gateway HTTP API (payload v2) event → the router's request. The tenant comes only from the authorizer. */
export function fromApiGatewayEvent(event: EventWithAuthorizer): ApiRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(event.headers ?? {})) headers[k.toLowerCase()] = v;
  const body =
    event.body === undefined
      ? { body: undefined }
      : event.isBase64Encoded
        ? decodeBody(Buffer.from(event.body, 'base64'))
        : { body: event.body };
  return {
    method: event.requestContext.http.method.toUpperCase(),
    path: event.rawPath,
    query: { ...(event.queryStringParameters ?? {}) },
    headers,
    ...body,
    tenantId: event.requestContext.authorizer?.lambda?.tenantId,
    requestId: event.requestContext.requestId,
  };
}

export function toApiGatewayResult(res: ApiResponse): APIGatewayProxyStructuredResultV2 {
  return { statusCode: res.status, headers: res.headers, body: res.body };
}
