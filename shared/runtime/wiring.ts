import type { ApiDeps } from '../api/deps';
import type { Config } from '../config';
import { CachedConnectionStore } from '../connections/cached-store';
import { DynamoRefusedInlineStore } from '../connections/dynamo-refused-inline';
import { LocalFileConnectionStore } from '../connections/local-file-store';
import { SecretsManagerConnectionStore } from '../connections/secrets-manager-store';
import type { ConnectionStore } from '../connections/store';
import { getAdapter, listAdapters } from '../erps/registry';
import { createTokenCache } from '../erps/token-cache';
import { createHttpClient } from '../http/upstream';
import { DynamoJobStore } from '../jobs/dynamo-store';
import { DynamoLockService } from '../locks/dynamo-lock';
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

/** The real adapters behind the ports, chosen by configuration. The only place handlers get them from. */
export function connectionStore(config: Config): ConnectionStore {
  return config.CONNECTION_STORE === 'local-file'
    ? LocalFileConnectionStore.open(config.LOCAL_DATA_DIR)
    : new SecretsManagerConnectionStore(
        secretsManagerClient(),
        config.secretsPrefix,
        config.SECRETS_KMS_KEY_ID,
        config.ERP,
      );
}

const registry = { get: getAdapter, list: listAdapters };

export function apiDeps(config: Config, log: Log, connections = connectionStore(config)): ApiDeps {
  const db = dynamoDocumentClient();
  return {
    jobs: new DynamoJobStore(db, config.TABLE_NAME),
    tenants: new DynamoTenantStore(db, config.TABLE_NAME),
    // Metadata only (credentials are read fresh where the API needs them: inline credentials, dry runs).
    connections: new CachedConnectionStore(
      connections,
      0,
      Date.now,
      config.CONNECTION_METADATA_TTL_SECONDS * 1000,
    ),
    refusedInline: new DynamoRefusedInlineStore(db, config.TABLE_NAME),
    // 3 tries × 5 s stays well inside the API's 29 s: a hanging send ends in the error path, which takes the
    // job's enqueuedAt back (the sweeper re-queues it) instead of the function dying after the job's put.
    queue: new SqsJobQueue(sqsClient(undefined, { requestTimeoutMs: 5_000 }), config.JOB_QUEUE_URLS),
    adapters: registry,
    http: createHttpClient({ defaultTimeoutMs: config.UPSTREAM_TIMEOUT_MS ?? 15_000 }),
    tokens: createTokenCache(),
    locks: new DynamoLockService(db, config.TABLE_NAME),
    blocks: new DynamoPacer(db, config.TABLE_NAME),
    log,
    tenantRateLimitPerMinute: config.TENANT_RATE_LIMIT_PER_MINUTE,
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
    connections: new CachedConnectionStore(connections, config.CREDENTIALS_CACHE_TTL_SECONDS * 1000),
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

/** The finished-job hook, when the stack has a webhooks queue (WEBHOOK_QUEUE_URL). */
function jobEvents(config: Config, log: Log) {
  const queueUrl = loadWebhookConfig().queueUrl;
  if (!queueUrl) return undefined;
  return webhookJobEvents({
    settings: new DynamoWebhookSettingsStore(dynamoDocumentClient(), config.TABLE_NAME),
    queue: new SqsWebhookQueue(sqsClient(), queueUrl),
    log,
  });
}
