import type { Config } from '../config';
import { DynamoConnectionNoticeStore } from '../connect/dynamo-notice-store';
import { DynamoConnectSessionStore } from '../connect/dynamo-session-store';
import { webhookConnectionEvents } from '../connect/events';
import type { NotifyDeps } from '../connect/notify';
import { LocalFileConnectionStore } from '../connections/local-file-store';
import { SecretsManagerConnectionStore } from '../connections/secrets-manager-store';
import type { ConnectionStore } from '../connections/store';
import { loadWebhookConfig } from '../webhooks/config';
import { DynamoWebhookSettingsStore } from '../webhooks/dynamo-settings-store';
import { SqsWebhookQueue } from '../webhooks/sqs-webhook-queue';
import type { Log } from '../worker/deps';
import { dynamoDocumentClient, secretsManagerClient, sqsClient } from './aws';

// Apart from wiring.ts because it needs no ERP adapter: the sweeper's bundle stays free of the seven adapters
// and their correctness libraries (issue 14: 1,228 KiB with them).

/** The real connection store, chosen by configuration. The only place handlers get one from. */
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

/** Connection events (connection.*) on the webhooks queue, when the stack has one. */
export function connectionEvents(config: Config, log: Log) {
  const queueUrl = loadWebhookConfig().queueUrl;
  if (!queueUrl) return undefined;
  return webhookConnectionEvents({
    settings: new DynamoWebhookSettingsStore(dynamoDocumentClient(), config.TABLE_NAME),
    queue: new SqsWebhookQueue(sqsClient(), queueUrl),
    log,
  });
}

/** The sweeper's connection notices: reads connection metadata only, makes reconnect sessions, queues events. */
export function notifyDeps(
  config: Config,
  log: Log,
  connections = connectionStore(config),
): NotifyDeps | undefined {
  const events = connectionEvents(config, log);
  if (!events || !config.PUBLIC_BASE_URL) return undefined;
  const db = dynamoDocumentClient();
  return {
    sessions: new DynamoConnectSessionStore(db, config.TABLE_NAME),
    connections,
    policy: loadWebhookConfig().policy,
    notices: new DynamoConnectionNoticeStore(db, config.TABLE_NAME),
    events,
    baseUrl: config.PUBLIC_BASE_URL,
    log,
  };
}
