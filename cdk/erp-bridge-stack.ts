import { fileURLToPath } from 'node:url';
import { Annotations, CfnOutput, Duration, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { listAdapters } from '../shared/erps/registry';
import type { ErpAdapter } from '../shared/erps/types';
import { AlarmSink, ERRORS_M_OF_N, RUNBOOK } from './constructs/alarm-sink';
import { BundledFunction } from './constructs/bundled-function';
import { ConnectionSecrets } from './constructs/connection-secrets';
import { OperationsDashboard } from './constructs/dashboard';
import { Edge } from './constructs/edge';
import { ErpWorker } from './constructs/erp-worker';
import { ErpBridgeHttpApi } from './constructs/http-api';
import { JobTable } from './constructs/job-table';
import { PlatformAlarms } from './constructs/platform-alarms';
import { Sweeper } from './constructs/sweeper';
import { Webhooks } from './constructs/webhooks';
import { allErpSettingsEnvironment } from './erp-settings';
import { metricsNamespace, resourcePrefix, type StageConfig } from './stage';

/** The API function's timeout: under API Gateway's 30 s, above the longest `Prefer: wait` (test/infra asserts). */
export const API_TIMEOUT_SECONDS = 29;

export type FunctionName = 'api' | 'authorizer' | 'worker' | 'sweeper' | 'webhook' | 'docs' | 'connect';

const repoFile = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

/** The Lambda entry files (each exports `handler`). */
export const DEFAULT_ENTRIES: Record<FunctionName, string> = {
  api: repoFile('functions/api/handler.ts'),
  authorizer: repoFile('functions/authorizer/handler.ts'),
  worker: repoFile('functions/worker/handler.ts'),
  sweeper: repoFile('functions/sweeper/handler.ts'),
  webhook: repoFile('functions/webhook/handler.ts'),
  docs: repoFile('functions/docs/handler.ts'),
  connect: repoFile('functions/connect/handler.ts'),
};

export interface ErpBridgeStackProps extends StackProps {
  stage: StageConfig;
  /** The ERPs to deploy a queue, DLQ and worker for. Default: every adapter in the registry. */
  adapters?: readonly ErpAdapter<unknown>[];
  /** Override entry files (tests). Default: functions/<name>/handler.ts. */
  entries?: Partial<Record<FunctionName, string>>;
}

/** One stack per stage: `cdk deploy -c stage=<name>`. Environment-agnostic: no account or region in code. */
export class ErpBridgeStack extends Stack {
  readonly table: JobTable;
  readonly secrets: ConnectionSecrets;
  readonly workers = new Map<string, ErpWorker>();
  readonly api: BundledFunction;
  readonly authorizer: BundledFunction;
  readonly sweeper: Sweeper;
  readonly httpApi: ErpBridgeHttpApi;
  readonly alarms: AlarmSink;
  readonly webhooks: Webhooks;
  readonly docs: BundledFunction;
  readonly connect: BundledFunction;
  readonly dashboard: OperationsDashboard;
  readonly edge?: Edge;

  constructor(scope: Construct, id: string, props: ErpBridgeStackProps) {
    super(scope, id, props);
    const { stage } = props;
    const entries = { ...DEFAULT_ENTRIES, ...props.entries };
    const adapters = props.adapters ?? listAdapters();
    const prefix = resourcePrefix(stage);
    // The address clients (and browsers on the connect page) use. Known at synth with a custom domain or CloudFront,
    // whose Host header is the origin's; else the execute-api host the request came to (PUBLIC_BASE_URL unset).
    const publicUrl = stage.edge
      ? `https://${stage.edge.domainName}`
      : stage.customDomain
        ? `https://${stage.customDomain.domainName}`
        : undefined;
    const publicUrlEnv: Record<string, string> = publicUrl ? { PUBLIC_BASE_URL: publicUrl } : {};
    Tags.of(this).add('project', 'erp-bridge');
    Tags.of(this).add('stage', stage.name);
    for (const warning of stage.warnings) Annotations.of(this).addWarningV2('erp-bridge:stage', warning);

    this.alarms = new AlarmSink(this, 'Alarms', { stage });
    this.table = new JobTable(this, 'Data', { stage });
    this.secrets = new ConnectionSecrets(this, 'ConnectionSecrets', { stage });
    const table = this.table.table;

    for (const adapter of adapters) {
      this.workers.set(
        adapter.id,
        new ErpWorker(this, `Erp-${adapter.id}`, {
          stage,
          adapter,
          entry: entries.worker,
          table: this.table,
          secrets: this.secrets,
          alarms: this.alarms,
        }),
      );
    }
    const queues = [...this.workers.values()].map((w) => w.queue);
    const queueUrls = JSON.stringify(
      Object.fromEntries([...this.workers].map(([erp, w]) => [erp, w.queue.queueUrl])),
    );

    this.authorizer = new BundledFunction(this, 'Authorizer', {
      stage,
      functionName: `${prefix}-authorizer`,
      entry: entries.authorizer,
      description: `ERP Bridge ${stage.name}: resolves the tenant from its API key hash`,
      timeout: Duration.seconds(5),
      memorySize: 256,
      environment: {
        STAGE: stage.name,
        TABLE_NAME: table.tableName,
        POWERTOOLS_SERVICE_NAME: 'erp-bridge-authorizer',
      },
    });
    // One key-hash read per (uncached) request: API-key items only.
    this.table.grant(this.authorizer.role, 'authorizer');

    this.api = new BundledFunction(this, 'Api', {
      stage,
      functionName: `${prefix}-api`,
      entry: entries.api,
      description: `ERP Bridge ${stage.name}: HTTP API (validate, store connections, record and queue jobs)`,
      // API Gateway waits at most 30 s. Synchronous ERP calls (?verify=true, options) and `Prefer: wait` (at most
      // MAX_WAIT_SECONDS, 25 s, ended 1.5 s before this timeout by the handler) fit inside it.
      timeout: Duration.seconds(API_TIMEOUT_SECONDS),
      // More memory = more CPU for zod validation and a shorter cold start on the user-facing path.
      memorySize: 512,
      environment: {
        STAGE: stage.name,
        TABLE_NAME: table.tableName,
        JOB_QUEUE_URLS: queueUrls,
        SECRETS_PREFIX: this.secrets.prefix,
        SECRETS_KMS_KEY_ID: this.secrets.key.keyArn,
        CONNECTION_STORE: 'secrets-manager',
        TENANT_RATE_LIMIT_PER_MINUTE: String(stage.tenantRateLimitPerMinute),
        POWERTOOLS_SERVICE_NAME: 'erp-bridge-api',
        POWERTOOLS_METRICS_NAMESPACE: metricsNamespace(stage),
        OAUTH_APPS_PREFIX: this.secrets.oauthAppsPrefix,
        // Connect session links (POST /v1/connect-sessions).
        ...publicUrlEnv,
        // Dry runs and ?verify=true call every ERP: all of their Partner-Ids and base-URL overrides.
        ...allErpSettingsEnvironment(this, stage),
      },
    });
    this.table.grant(this.api.role, 'api');
    for (const q of queues) q.grantSendMessages(this.api.fn);
    this.secrets.grantManage(this.api.role);
    this.secrets.grantReadOAuthApps(this.api.role);

    this.sweeper = new Sweeper(this, 'Sweeper', {
      stage,
      functionName: `${prefix}-sweeper`,
      entry: entries.sweeper,
      description: `ERP Bridge ${stage.name}: re-queues jobs stuck in queued`,
      timeout: Duration.seconds(50),
      memorySize: 256,
      environment: {
        STAGE: stage.name,
        TABLE_NAME: table.tableName,
        JOB_QUEUE_URLS: queueUrls,
        SWEEP_STUCK_AFTER_SECONDS: '120',
        // Connection notices re-read the connection's status (metadata only).
        SECRETS_PREFIX: this.secrets.prefix,
        CONNECTION_STORE: 'secrets-manager',
      },
    });
    this.table.grant(this.sweeper.role, 'sweeper');
    // Includes GetQueueAttributes: a first send the API never confirmed is re-sent only while its queue is empty.
    for (const q of queues) q.grantSendMessages(this.sweeper.fn);
    this.secrets.grantDescribe(this.sweeper.role);

    // The connect page (issue 15): public, its own function (no tenant key; the session link is the access).
    this.connect = new BundledFunction(this, 'Connect', {
      stage,
      functionName: `${prefix}-connect`,
      entry: entries.connect,
      description: `ERP Bridge ${stage.name}: the connect page (credential forms, OAuth consent callbacks)`,
      // A form post verifies credentials upstream before storing them; API Gateway waits at most 30 s.
      timeout: Duration.seconds(29),
      memorySize: 512,
      environment: {
        STAGE: stage.name,
        TABLE_NAME: table.tableName,
        SECRETS_PREFIX: this.secrets.prefix,
        SECRETS_KMS_KEY_ID: this.secrets.key.keyArn,
        CONNECTION_STORE: 'secrets-manager',
        OAUTH_APPS_PREFIX: this.secrets.oauthAppsPrefix,
        POWERTOOLS_SERVICE_NAME: 'erp-bridge-connect',
        // The OAuth redirect URIs are built from it (what the operator registers with Intuit and NetSuite).
        ...publicUrlEnv,
        ...allErpSettingsEnvironment(this, stage),
      },
    });
    this.table.grant(this.connect.role, 'connect');
    this.secrets.grantStore(this.connect.role);
    this.secrets.grantReadOAuthApps(this.connect.role);

    this.webhooks = new Webhooks(this, 'Webhooks', {
      stage,
      entry: entries.webhook,
      table: this.table,
      alarms: this.alarms,
      // Workers (job events, batch.finished), the connect page (connection.created/updated), the sweeper
      // (notices) and the API (a replayed batch whose items are all final already sends batch.finished).
      producers: [
        ...[...this.workers.values()].map((w) => w.worker.fn),
        this.connect.fn,
        this.sweeper.fn,
        this.api.fn,
      ],
    });

    // /docs and /openapi.json: Swagger UI's assets would push the API bundle over 1 MiB, so they have their own.
    this.docs = new BundledFunction(this, 'Docs', {
      stage,
      functionName: `${prefix}-docs`,
      entry: entries.docs,
      description: `ERP Bridge ${stage.name}: API reference (OpenAPI 3.1 and the docs page)`,
      timeout: Duration.seconds(10),
      memorySize: 256,
      environment: {},
    });

    this.httpApi = new ErpBridgeHttpApi(this, 'Http', {
      stage,
      docs: this.docs.fn,
      connect: this.connect.fn,
      api: this.api.fn,
      authorizer: this.authorizer.fn,
      alarms: this.alarms,
    });
    for (const [id, name, f] of [
      ['ApiErrors', 'api', this.api],
      ['AuthorizerErrors', 'authorizer', this.authorizer],
      ['SweeperErrors', 'sweeper', this.sweeper],
      ['DocsErrors', 'docs', this.docs],
      ['ConnectErrors', 'connect', this.connect],
    ] as const) {
      this.alarms.add(f, id, `${name}-errors`, {
        metric: f.fn.metricErrors({ period: Duration.minutes(1), statistic: cloudwatch.Stats.SUM }),
        threshold: 1,
        ...ERRORS_M_OF_N,
        description: `${name}: the function failed (unhandled error or timeout).`,
        runbook: RUNBOOK.functionErrors,
      });
    }
    new PlatformAlarms(this, 'Platform', { table, alarms: this.alarms });
    this.dashboard = new OperationsDashboard(this, 'Operations', { stage, alarms: this.alarms });

    if (stage.edge && this.httpApi.domain) {
      this.edge = new Edge(this, 'Edge', { stage, edge: stage.edge, origin: this.httpApi.domain.name });
    }

    // Reconnect links in connection.* notices point at the stage's public address.
    this.sweeper.fn.addEnvironment('PUBLIC_BASE_URL', publicUrl ?? this.httpApi.url);

    new CfnOutput(this, 'ApiUrl', {
      value: this.edge?.url ?? this.httpApi.url,
      description: 'Base URL of the HTTP API (CloudFront, custom domain or execute-api)',
    });
    if (this.httpApi.domain) {
      new CfnOutput(this, 'CustomDomainTarget', {
        value: this.httpApi.domain.regionalDomainName,
        description: `DNS: point ${this.httpApi.domain.name} here (CNAME, or a Route 53 alias with the zone below)`,
      });
      new CfnOutput(this, 'CustomDomainHostedZoneId', { value: this.httpApi.domain.regionalHostedZoneId });
    }
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'SecretsPrefix', { value: this.secrets.prefix });
    new CfnOutput(this, 'DashboardName', { value: this.dashboard.dashboard.dashboardName });
    for (const [erp, w] of this.workers) {
      new CfnOutput(this, `DeadLetterQueue${erp}`, { value: w.deadLetterQueue.queueArn });
    }
  }
}
