import * as z from 'zod';

/**
 * A tenant's webhook settings: the default callback URL (optional) and the signing secret used for every
 * delivery to that tenant, default or per request.
 */
export interface WebhookSettings {
  tenantId: string;
  url?: string;
  secret: string;
  createdAt: string;
  updatedAt: string;
  secretCreatedAt: string;
}

/** Port: where webhook settings live (one DynamoDB item per tenant on AWS; see docs/webhooks.md for why). */
export interface WebhookSettingsStore {
  get(tenantId: string): Promise<WebhookSettings | undefined>;
  put(settings: WebhookSettings): Promise<void>;
  delete(tenantId: string): Promise<boolean>;
}

/** PUT /v1/webhook body. `url` null or absent: no default URL (per-request `x-callback-url` only). */
export const putWebhookBody = z.strictObject({
  url: z.string().max(2000).nullable().optional().meta({
    description: 'default callback URL for every job of the tenant (https, public host)',
    example: 'https://hooks.example.com/erp-bridge',
  }),
});

/** What clients see: never the secret, except in the answer that created or rotated it. */
export function publicSettings(s: WebhookSettings, opts: { withSecret: boolean }) {
  return {
    url: s.url ?? null,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    secretCreatedAt: s.secretCreatedAt,
    ...(opts.withSecret ? { secret: s.secret } : {}),
  };
}

/** In-memory store for unit tests. */
export class MemoryWebhookSettingsStore implements WebhookSettingsStore {
  private readonly items = new Map<string, WebhookSettings>();
  async get(tenantId: string) {
    return this.items.get(tenantId);
  }
  async put(settings: WebhookSettings) {
    this.items.set(settings.tenantId, { ...settings });
  }
  async delete(tenantId: string) {
    return this.items.delete(tenantId);
  }
}
