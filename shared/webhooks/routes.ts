import type { ApiDeps } from '../api/deps';
import { type ApiRequest, type ApiResponse, json, notFound, parseJsonBody } from '../api/http';
import { ApiError, issuesFromZod, validationFailed } from '../errors';
import { publicSettings, putWebhookBody, type WebhookSettings } from './settings';
import { newSigningSecret } from './signature';
import { callbackUrlIssue } from './url-policy';

function webhookDeps(deps: ApiDeps) {
  if (!deps.webhooks) throw new ApiError(503, 'webhooks_unavailable', 'webhooks are not configured here');
  return deps.webhooks;
}

/**
 * PUT /v1/webhook {url}: the tenant's default callback URL. The first call also creates the signing secret and
 * is the one answer that shows it (201); later calls change the URL only (200).
 */
export async function putWebhook(req: ApiRequest, tenantId: string, deps: ApiDeps): Promise<ApiResponse> {
  const w = webhookDeps(deps);
  const body = putWebhookBody.safeParse(parseJsonBody(req, 4 * 1024));
  if (!body.success) throw validationFailed(issuesFromZod(body.error));
  const url = body.data.url ?? undefined;
  const issue = url === undefined ? undefined : callbackUrlIssue(url, w.policy, '/url');
  if (issue) throw validationFailed([issue]);
  const now = (deps.now?.() ?? new Date()).toISOString();
  const existing = await w.settings.get(tenantId);
  const next: WebhookSettings = existing
    ? { ...existing, url, updatedAt: now }
    : { tenantId, url, secret: newSigningSecret(), createdAt: now, updatedAt: now, secretCreatedAt: now };
  await w.settings.put(next);
  return json(existing ? 200 : 201, publicSettings(next, { withSecret: !existing }));
}

/** GET /v1/webhook: the settings, never the secret. */
export async function getWebhook(tenantId: string, deps: ApiDeps): Promise<ApiResponse> {
  const s = await webhookDeps(deps).settings.get(tenantId);
  if (!s) throw notFound('webhook settings');
  return json(200, publicSettings(s, { withSecret: false }));
}

/** DELETE /v1/webhook: no default URL and no secret any more (queued deliveries are then dead-lettered). */
export async function deleteWebhook(tenantId: string, deps: ApiDeps): Promise<ApiResponse> {
  if (!(await webhookDeps(deps).settings.delete(tenantId))) throw notFound('webhook settings');
  return { status: 204, headers: { 'cache-control': 'no-store' }, body: '' };
}

/** POST /v1/webhook/secret: a new signing secret, shown in this answer only; the URL is kept. */
export async function rotateWebhookSecret(tenantId: string, deps: ApiDeps): Promise<ApiResponse> {
  const w = webhookDeps(deps);
  const now = (deps.now?.() ?? new Date()).toISOString();
  const existing = await w.settings.get(tenantId);
  const next: WebhookSettings = {
    tenantId,
    url: existing?.url,
    secret: newSigningSecret(),
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
    secretCreatedAt: now,
  };
  await w.settings.put(next);
  return json(existing ? 200 : 201, publicSettings(next, { withSecret: true }));
}

/**
 * The `x-callback-url` header of POST /v1/customers: checked like the default URL, and the tenant must have a
 * signing secret already (otherwise nobody could verify the deliveries).
 */
export async function callbackUrlFromHeader(
  req: ApiRequest,
  tenantId: string,
  deps: ApiDeps,
): Promise<string | undefined> {
  const raw = req.headers['x-callback-url'];
  if (raw === undefined) return undefined;
  const w = webhookDeps(deps);
  const issue = callbackUrlIssue(raw.trim(), w.policy, '/headers/x-callback-url');
  if (issue) throw new ApiError(400, issue.code, `x-callback-url ${issue.message}`, { details: [issue] });
  if (!(await w.settings.get(tenantId))) {
    throw new ApiError(409, 'webhook_secret_missing', 'create the signing secret first: PUT /v1/webhook', {
      details: [
        {
          pointer: '/headers/x-callback-url',
          code: 'webhook_secret_missing',
          message: 'no signing secret yet',
        },
      ],
    });
  }
  return raw.trim();
}
