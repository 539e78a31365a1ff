import type { ConnectSessionStore } from '../connect/session';
import type { CachedConnectionStore } from '../connections/cached-store';
import type { RefusedInlineStore } from '../connections/refused-credentials';
import type { ConnectionStore } from '../connections/store';
import type { ErpAdapter, LockService, OAuthApps, TokenCache } from '../erps/types';
import type { HttpClient } from '../http/upstream';
import type { JobStore } from '../jobs/store';
import type { UpstreamBlocks } from '../pacing/pacer';
import type { JobQueue } from '../queue/queue';
import type { TenantStore } from '../tenants/api-keys';
import type { WebhookSettingsStore } from '../webhooks/settings';
import type { UrlPolicy } from '../webhooks/url-policy';
import type { Log } from '../worker/deps';

/** Everything the API routes need, as ports (the domain imports no AWS SDK). */
export interface ApiDeps {
  jobs: JobStore;
  connections: ConnectionStore | CachedConnectionStore;
  /** Markers of inline credentials an ERP refused: the same credentials are answered 409 without a call. */
  refusedInline?: RefusedInlineStore;
  queue: JobQueue;
  tenants: TenantStore;
  adapters: { get(name: string): ErpAdapter<unknown> | undefined; list(): ErpAdapter<unknown>[] };
  http: HttpClient;
  tokens: TokenCache;
  locks: LockService;
  /** Shared ERP blocks (Sage's hour), so `?verify=true` never calls a company a worker found blocked. */
  blocks?: UpstreamBlocks;
  log: Log;
  tenantRateLimitPerMinute: number;
  /** Webhook settings and the callback URL rules; absent where webhooks are not wired. */
  webhooks?: { settings: WebhookSettingsStore; policy: UrlPolicy };
  env?: Record<string, string | undefined>;
  now?: () => Date;
  /** The operator's OAuth apps (verifying connections stored with app: "operator"). */
  apps?: OAuthApps;
  /** Connect sessions (POST/GET /v1/connect-sessions); absent where they are not wired. */
  connectSessions?: ConnectSessionStore;
}
