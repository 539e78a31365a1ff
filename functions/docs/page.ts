import { gzipSync } from 'node:zlib';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** Swagger UI's files, as text (bundled into the docs function, read from node_modules locally). */
export interface DocsAssets {
  'swagger-ui-bundle.js': string;
  'swagger-ui.css': string;
}

/** No inline script: the page works under a strict CSP (scripts only from us). */
const INIT_JS = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({ url: 'openapi.json', dom_id: '#swagger-ui', deepLinking: true,
    defaultModelsExpandDepth: 0 });
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
    const file = files[event.rawPath];
    if (!file || event.requestContext.http.method !== 'GET') {
      return { statusCode: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'not found' };
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
