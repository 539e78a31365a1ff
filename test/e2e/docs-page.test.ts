import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHandler } from '../../functions/api/handler';
import { docsAssetsFromDisk } from '../../functions/docs/assets-from-disk';
import { createDocsHandler } from '../../functions/docs/page';
import { startApiServer } from '../../local/api-server';
import type { ApiDeps } from '../../shared/api/deps';
import { renderOpenApi } from '../../shared/api/openapi';
import { chromiumAvailable, withChromium } from '../helpers/chromium';
import { silentLog } from '../helpers/pipeline';

const haveChromium = chromiumAvailable('docs page test');

// The local API server as npm start runs it: /openapi.json and /docs* go to the docs handler (the API handler
// is never reached by these paths; its ports are left empty).
let server: Awaited<ReturnType<typeof startApiServer>>;
beforeAll(async () => {
  server = await startApiServer({
    api: createApiHandler(() => ({ log: silentLog }) as unknown as ApiDeps),
    authorizer: async () => ({ isAuthorized: false, context: {} }) as never,
    docs: createDocsHandler(docsAssetsFromDisk(), renderOpenApi()),
    port: 0,
  });
});
afterAll(() => server?.close());

describe('GET /docs', () => {
  it('serves the page and its assets from us, gzipped when asked, with a strict CSP', async () => {
    const spec = await fetch(`${server.url}/openapi.json`);
    expect(spec.status).toBe(200);
    expect(await spec.text()).toBe(renderOpenApi());
    const page = await fetch(`${server.url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\//);
    const js = await fetch(`${server.url}/docs/swagger-ui-bundle.js`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(js.status).toBe(200);
    expect(js.headers.get('content-encoding')).toBe('gzip');
    expect((await js.text()).length).toBe(docsAssetsFromDisk()['swagger-ui-bundle.js'].length);
    expect((await fetch(`${server.url}/docs/../../etc/passwd`)).status).toBe(404);
  });

  it('/docs/ sends the browser to /docs; unknown paths and methods answer the JSON error envelope', async () => {
    const slash = await fetch(`${server.url}/docs/`, { redirect: 'manual' });
    expect(slash.status).toBe(308);
    expect(new URL(slash.headers.get('location') as string, `${server.url}/docs/`).pathname).toBe('/docs');
    const followed = await fetch(`${server.url}/docs/`);
    expect(followed.status).toBe(200);
    expect(await followed.text()).toContain('swagger-ui');
    for (const [method, path, status, code] of [
      ['GET', '/docs/nope.js', 404, 'not_found'],
      ['GET', '/docs/a/b', 404, 'not_found'],
      ['POST', '/docs', 405, 'method_not_allowed'],
      ['GET', '/v1/nope', 404, 'not_found'],
      ['GET', '/', 404, 'not_found'],
    ] as const) {
      const res = await fetch(`${server.url}${path}`, { method });
      expect(res.status, `${method} ${path}`).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await res.json()) as { error: { code: string; requestId: string } };
      expect(body.error.code, `${method} ${path}`).toBe(code);
      expect(body.error.requestId).not.toBe('');
    }
  });

  it.skipIf(!haveChromium)(
    'renders in headless Chromium: the create-customer operation is shown (screenshot in test-results/)',
    async () => {
      await withChromium(async (context) => {
        const page = await context.newPage();
        const foreign: string[] = [];
        page.on('request', (r) => {
          if (!r.url().startsWith(server.url) && !r.url().startsWith('data:')) foreign.push(r.url());
        });
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(`${server.url}/docs`);
        const op = page.locator('#operations-customers-createCustomer');
        await op.waitFor({ timeout: 20_000 });
        expect(await op.innerText()).toContain('/v1/customers');
        // Each operation shows its operationId, the name generated clients give its method.
        for (const id of ['createCustomer', 'dryRunCustomer', 'putConnection', 'listJobs']) {
          await expect(page.locator('.opblock-summary-operation-id', { hasText: id }).count()).resolves.toBe(
            1,
          );
        }
        await expect(page.locator('.info .title').innerText()).resolves.toContain('ERP Bridge');
        fs.mkdirSync('test-results', { recursive: true });
        await page.screenshot({ path: 'test-results/docs-page.png', fullPage: false });
        expect(fs.statSync('test-results/docs-page.png').size).toBeGreaterThan(10_000);
        expect(foreign).toEqual([]);
        expect(errors).toEqual([]);
      });
    },
  );
});
