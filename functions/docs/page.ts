import { gzipSync } from 'node:zlib';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { errorResponse } from '../../shared/api/http';
import { ApiError } from '../../shared/errors';
import { toApiGatewayResult } from '../../shared/runtime/apigw';

/** Swagger UI's files, as text (bundled into the docs function, read from node_modules locally). */
export interface DocsAssets {
  'swagger-ui-bundle.js': string;
  'swagger-ui.css': string;
}

/** No inline script: the page works under a strict CSP (scripts only from us). */
const INIT_JS = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({ url: 'openapi.json', dom_id: '#swagger-ui', deepLinking: true,
    defaultModelsExpandDepth: 0, displayOperationId: true });
});
`;

// Relative URLs: from /docs, docs/x is /docs/x and openapi.json is /openapi.json, with or without a stage prefix.
const HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>ERP Bridge API reference</title>
  <link rel="stylesheet" href="docs/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="docs/swagger-ui-bundle.js"></script>
  <script src="docs/init.js"></script>
</body>
</html>
`;

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

interface Asset {
  type: string;
  body: string;
  gzipped?: string;
  cache: string;
}

/**
 * GET /openapi.json, GET /docs (the page) and GET /docs/<asset>: Swagger UI rendering the OpenAPI document,
 * every byte served by us (no CDN). Its own Lambda function on AWS, so neither the 1.4 MB viewer nor the
 * OpenAPI generator weighs on the API bundle (≤ 1 MiB); the local API server routes these paths here too.
 * Large assets are gzipped once per container when the client accepts it.
 */
export function createDocsHandler(assets: DocsAssets, openApiJson: string) {
  const files: Record<string, Asset> = {
    '/openapi.json': {
      type: 'application/json; charset=utf-8',
      body: openApiJson,
      cache: 'public, max-age=300',
    },
    '/docs': { type: 'text/html; charset=utf-8', body: HTML, cache: 'no-cache' },
    '/docs/init.js': { type: 'text/javascript; charset=utf-8', body: INIT_JS, cache: 'no-cache' },
    '/docs/swagger-ui-bundle.js': {
      type: 'text/javascript; charset=utf-8',
      body: assets['swagger-ui-bundle.js'],
      cache: 'public, max-age=86400',
    },
    '/docs/swagger-ui.css': {
      type: 'text/css; charset=utf-8',
      body: assets['swagger-ui.css'],
      cache: 'public, max-age=86400',
    },
  };
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const path = event.rawPath;
    const method = event.requestContext.http.method;
    // /docs/ would resolve the page's relative asset URLs under /docs/docs/: send the browser to /docs.
    if (path === '/docs/' && method === 'GET') {
      return { statusCode: 308, headers: { location: '../docs', 'cache-control': 'no-cache' }, body: '' };
    }
    const file = files[path];
    if (!file || method !== 'GET') {
      // The API's own error envelope, so a client reads every answer of ours the same way.
      const error = file
        ? new ApiError(405, 'method_not_allowed', `${method.slice(0, 10)} is not allowed on ${path}`)
        : new ApiError(404, 'not_found', `no route ${method.slice(0, 10)} ${path.slice(0, 100)}`);
      return toApiGatewayResult(errorResponse(error, event.requestContext.requestId));
    }
    const headers: Record<string, string> = {
      'content-type': file.type,
      'cache-control': file.cache,
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
    };
    const gzipOk = /\bgzip\b/.test(event.headers?.['accept-encoding'] ?? '');
    if (gzipOk && file.body.length > 10_000) {
      // Computed once per container, on first use.
      file.gzipped ??= gzipSync(file.body).toString('base64');
      return {
        statusCode: 200,
        headers: { ...headers, 'content-encoding': 'gzip', vary: 'accept-encoding' },
        body: file.gzipped,
        isBase64Encoded: true,
      };
    }
    return { statusCode: 200, headers, body: file.body };
  };
}
