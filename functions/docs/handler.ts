// esbuild inlines these two files as strings (import attributes, type text): the docs function carries its own
// assets, so nothing is fetched from a CDN and nothing is added to the API function's bundle.

import css from 'swagger-ui-dist/swagger-ui.css' with { type: 'text' };
import bundle from 'swagger-ui-dist/swagger-ui-bundle.js' with { type: 'text' };
import { renderOpenApi } from '../../shared/api/openapi';
import { createDocsHandler } from './page';

export const handler = createDocsHandler(
  { 'swagger-ui-bundle.js': bundle, 'swagger-ui.css': css },
  renderOpenApi(),
);
