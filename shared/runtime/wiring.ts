import type { ApiDeps } from '../api/deps';
import { DynamoBatchStore } from '../batches/dynamo-store';
import { allJobEvents, batchJobEvents } from '../batches/progress';
import { webhookBatchSink } from '../batches/webhook-sink';
import type { Config } from '../config';
import { DynamoConnectionNoticeStore } from '../connect/dynamo-notice-store';
import { DynamoConnectSessionStore } from '../connect/dynamo-session-store';
import type { ConnectDeps } from '../connect/flow';
import { NoticingConnectionStore } from '../connect/noticing-store';
import { CachedConnectionStore } from '../connections/cached-store';
import { DynamoRefusedInlineStore } from '../connections/dynamo-refused-inline';
import { envOAuthApps, SecretsManagerOAuthApps } from '../connections/oauth-apps';
import type { ConnectionStore } from '../connections/store';
import { getAdapter, listAdapters } from '../erps/registry';
import { createTokenCache } from '../erps/token-cache';
import type { OAuthApps } from '../erps/types';
import { createHttpClient } from '../http/upstream';
import { DynamoJobStore } from '../jobs/dynamo-store';
import { DynamoLockService } from '../locks/dynamo-lock';
import { DynamoOptionsStore } from '../options/dynamo-store';
import { DynamoPacer } from '../pacing/dynamo-pacer';
import { SqsJobQueue, SqsMessageControl } from '../queue/sqs-queue';
import { DynamoTenantStore } from '../tenants/dynamo-tenant-store';
import { loadWebhookConfig } from '../webhooks/config';
import { DynamoWebhookSettingsStore } from '../webhooks/dynamo-settings-store';
import { webhookJobEvents } from '../webhooks/job-events';
import { SqsWebhookQueue } from '../webhooks/sqs-webhook-queue';
import type { Log, WorkerDeps, WorkerTelemetry } from '../worker/deps';
import { leaseMs } from '../worker/settings';
import { dynamoDocumentClient, secretsManagerClient, sqsClient } from './aws';
import { connectionEvents, connectionStore } from './connection-wiring';

const registry = { get: getAdapter, list: listAdapters };

/** The operator's OAuth apps: Secrets Manager on a deployed stage (OAUTH_APPS_PREFIX), else the environment. */
export function oauthApps(config: Config): OAuthApps {
  return config.OAUTH_APPS_PREFIX
    ? new SecretsManagerOAuthApps(secretsManagerClient(), config.OAUTH_APPS_PREFIX)
    : envOAuthApps();
}

/** Connections that keep their notices (reauth_required, expiring) up to date, whoever writes them. */
function noticing(connections: ConnectionStore, config: Config, log: Log): ConnectionStore {
  return new NoticingConnectionStore(
    connections,
    new DynamoConnectionNoticeStore(dynamoDocumentClient(), config.TABLE_NAME),
    getAdapter,
    log,
  );
}

export function apiDeps(config: Config, log: Log, connections = connectionStore(config)): ApiDeps {
  const db = dynamoDocumentClient();
  const pacer = new DynamoPacer(db, config.TABLE_NAME);
  const sink = batchSink(config);
  return {
    jobs: new DynamoJobStore(db, config.TABLE_NAME),
    tenants: new DynamoTenantStore(db, config.TABLE_NAME),
    // Metadata cached per container (credentials are read fresh where the API needs them: inline credentials,
    // dry runs); writes go through the cache, which drops its entry, then the notices.
    connections: new CachedConnectionStore(
      noticing(connections, config, log),
      0,
      Date.now,
      config.CONNECTION_METADATA_TTL_SECONDS * 1000,
    ),
    connectSessions: new DynamoConnectSessionStore(db, config.TABLE_NAME),
    apps: oauthApps(config),
    refusedInline: new DynamoRefusedInlineStore(db, config.TABLE_NAME),
    // 3 tries × 5 s stays well inside the API's 29 s: a hanging send ends in the error path, which takes the
    // job's enqueuedAt back (the sweeper re-queues it) instead of the function dying after the job's put.
    queue: new SqsJobQueue(sqsClient(undefined, { requestTimeoutMs: 5_000 }), config.JOB_QUEUE_URLS),
    adapters: registry,
    http: createHttpClient({ defaultTimeoutMs: config.UPSTREAM_TIMEOUT_MS ?? 15_000 }),
    tokens: createTokenCache(),
    locks: new DynamoLockService(db, config.TABLE_NAME),
    blocks: pacer,
    log,
    tenantRateLimitPerMinute: config.TENANT_RATE_LIMIT_PER_MINUTE,
    batches: { store: new DynamoBatchStore(db, config.TABLE_NAME), ...(sink ? { sink } : {}) },
    options: { store: new DynamoOptionsStore(db, config.TABLE_NAME), pacer },
    webhooks: {
      settings: new DynamoWebhookSettingsStore(db, config.TABLE_NAME),
      policy: loadWebhookConfig().policy,
    },
  };
}

export function workerDeps(
  config: Config,
  log: Log,
  telemetry?: WorkerTelemetry,
  connections: ConnectionStore = connectionStore(config),
): WorkerDeps {
  if (!config.ERP || !config.JOB_QUEUE_URL || !config.DEAD_LETTER_QUEUE_URL) {
    throw new Error('invalid configuration: the worker needs ERP, JOB_QUEUE_URL and DEAD_LETTER_QUEUE_URL');
  }
  const adapter = getAdapter(config.ERP);
  if (!adapter) throw new Error(`invalid configuration: ERP ${config.ERP} is not registered`);
  const db = dynamoDocumentClient();
  const sqs = sqsClient();
  return {
    adapter,
    jobs: new DynamoJobStore(db, config.TABLE_NAME),
    connections: new CachedConnectionStore(
      noticing(connections, config, log),
      config.CREDENTIALS_CACHE_TTL_SECONDS * 1000,
    ),
    // Only the workers of ERPs whose connections may name the operator's app can read it (IAM).
    apps: adapter.connect?.oauth ? oauthApps(config) : undefined,
    refusedInline: new DynamoRefusedInlineStore(db, config.TABLE_NAME),
    control: new SqsMessageControl(sqs, config.JOB_QUEUE_URL, config.DEAD_LETTER_QUEUE_URL),
    http: createHttpClient({ defaultTimeoutMs: config.UPSTREAM_TIMEOUT_MS ?? adapter.worker.timeoutMs }),
    tokens: createTokenCache(),
    locks: new DynamoLockService(db, config.TABLE_NAME),
    pacer: new DynamoPacer(db, config.TABLE_NAME),
    leaseMs: config.JOB_LEASE_SECONDS ? config.JOB_LEASE_SECONDS * 1000 : leaseMs(adapter.worker),
    backoffCapMs: config.RETRY_MAX_DELAY_MS,
    log,
    telemetry,
    events: jobEvents(config, log),
  };
}

/** `batch.finished` goes out through the webhooks queue, when the stack has one (WEBHOOK_QUEUE_URL). */
function batchSink(config: Config) {
  const queueUrl = loadWebhookConfig().queueUrl;
  if (!queueUrl) return undefined;
  return webhookBatchSink({
    settings: new DynamoWebhookSettingsStore(dynamoDocumentClient(), config.TABLE_NAME),
    queue: new SqsWebhookQueue(sqsClient(), queueUrl),
  });
}

/** The finished-job hooks: batch progress always; webhooks when the stack has a webhooks queue. */
function jobEvents(config: Config, log: Log) {
  const queueUrl = loadWebhookConfig().queueUrl;
  const db = dynamoDocumentClient();
  const batches = batchJobEvents({
    batches: new DynamoBatchStore(db, config.TABLE_NAME),
    sink: batchSink(config),
    log,
  });
  if (!queueUrl) return batches;
  return allJobEvents(
    webhookJobEvents({
      settings: new DynamoWebhookSettingsStore(db, config.TABLE_NAME),
      queue: new SqsWebhookQueue(sqsClient(), queueUrl),
      log,
    }),
    batches,
  );
}

/** The connect page (functions/connect): sessions, connections, the operator's apps, ERPs, connection events. */
export function connectDeps(config: Config, log: Log, connections = connectionStore(config)): ConnectDeps {
  const db = dynamoDocumentClient();
  const notices = new DynamoConnectionNoticeStore(db, config.TABLE_NAME);
  return {
    sessions: new DynamoConnectSessionStore(db, config.TABLE_NAME),
    connections: new NoticingConnectionStore(connections, notices, getAdapter, log),
    notices,
    events: connectionEvents(config, log),
    adapters: registry,
    http: createHttpClient({ defaultTimeoutMs: config.UPSTREAM_TIMEOUT_MS ?? 15_000 }),
    tokens: createTokenCache(),
    locks: new DynamoLockService(db, config.TABLE_NAME),
    blocks: new DynamoPacer(db, config.TABLE_NAME),
    apps: oauthApps(config),
    policy: loadWebhookConfig().policy,
    baseUrl: (req) =>
      config.PUBLIC_BASE_URL?.replace(/\/+$/, '') ?? `https://${req.headers.host ?? 'localhost'}`,
    log,
  };
}
