import fs from 'node:fs';
import path from 'node:path';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { createApiHandler } from '../functions/api/handler';
import { createAuthorizer } from '../functions/authorizer/handler';
import { createConnectHandler } from '../functions/connect/handler';
import { docsAssetsFromDisk } from '../functions/docs/assets-from-disk';
import { createDocsHandler } from '../functions/docs/page';
import { createWebhookHandler } from '../functions/webhook/handler';
import { createWorkerHandler } from '../functions/worker/handler';
import { renderOpenApi } from '../shared/api/openapi';
import { loadConfig } from '../shared/config';
import type { ConnectDeps } from '../shared/connect/flow';
import { sweepConnectionNotices } from '../shared/connect/notify';
import { LocalFileConnectionStore } from '../shared/connections/local-file-store';
import { listAdapters } from '../shared/erps/registry';
import type { ErpId } from '../shared/erps/types';
import { DynamoJobStore } from '../shared/jobs/dynamo-store';
import { SqsJobQueue } from '../shared/queue/sqs-queue';
import { dynamoDocumentClient, sqsClient } from '../shared/runtime/aws';
import { notifyDeps } from '../shared/runtime/connection-wiring';
import { webhookDispatchDeps } from '../shared/runtime/webhook-wiring';
import { apiDeps, connectDeps, workerDeps } from '../shared/runtime/wiring';
import { generateApiKey, hashApiKey } from '../shared/tenants/api-keys';
import { DynamoTenantStore } from '../shared/tenants/dynamo-tenant-store';
import type { Log } from '../shared/worker/deps';
import { maxReceiveCount } from '../shared/worker/settings';
import { sweep } from '../shared/worker/sweeper';
import { startApiServer } from './api-server';
import { ensureQueuePair, ensureTable, startDynamo, startSqs } from './emulators';
import { startPoller } from './poller';
import { simulators } from './simulators';
import type { Simulator } from './simulators/kit';

export interface LocalStackOptions {
  dataDir: string;
  /** 0 = any free port (tests). */
  apiPort?: number;
  dynamoPort?: number;
  sqsPort?: number;
  /** Simulator ports: these, else the entries' own, unless `randomPorts`. */
  simulatorPorts?: Partial<Record<ErpId, number>>;
  randomPorts?: boolean;
  /** Talk to the real ERPs: no simulators, no base-URL overrides. */
  live?: boolean;
  /** Persist DynamoDB under dataDir (npm start) or keep it in memory (tests). */
  persist?: boolean;
  tenantId?: string;
  sweepEverySeconds?: number;
  log?: Log;
  env?: Record<string, string>;
}

const quietLog: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * The whole product on one machine (DESIGN §4): DynamoDB and SQS emulators, the ERP simulators, the API
 * behind a local API Gateway, one poller per ERP queue invoking the worker handler, and the sweeper loop.
 * The handlers are the very ones deployed to Lambda, configured through the same environment variables.
 */
export async function startLocalStack(opts: LocalStackOptions) {
  const log = opts.log ?? quietLog;
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const dynamo = await startDynamo({
    port: opts.dynamoPort,
    path: opts.persist ? path.join(opts.dataDir, 'dynamodb') : undefined,
  });
  const sqsServer = await startSqs({ port: opts.sqsPort });
  const stage = 'local';
  const table = `${stage}-erp-bridge`;
  await ensureTable(dynamo.endpoint, table);

  // Simulators first: their URLs become the adapters' base-URL overrides.
  const sims: Partial<Record<ErpId, Simulator>> = {};
  const env: Record<string, string> = {};
  if (!opts.live) {
    for (const [erp, entry] of Object.entries(simulators) as [
      ErpId,
      NonNullable<(typeof simulators)[ErpId]>,
    ][]) {
      const sim = await entry.start({
        port: opts.randomPorts ? 0 : (opts.simulatorPorts?.[erp] ?? entry.port),
        statePath: path.join(opts.dataDir, 'simulators', `${erp}.json`),
      });
      sims[erp] = sim;
      for (const [k, v] of Object.entries(entry.env)) env[k] = v.replace('{url}', sim.url);
    }
  }

  Object.assign(process.env, {
    STAGE: stage,
    TABLE_NAME: table,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    SQS_ENDPOINT: sqsServer.endpoint,
    CONNECTION_STORE: 'local-file',
    LOCAL_DATA_DIR: opts.dataDir,
    JOB_LEASE_SECONDS: process.env.JOB_LEASE_SECONDS ?? '20',
    UPSTREAM_TIMEOUT_MS: process.env.UPSTREAM_TIMEOUT_MS ?? '5000',
    SWEEP_STUCK_AFTER_SECONDS: process.env.SWEEP_STUCK_AFTER_SECONDS ?? '10',
    AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
    ...env,
    ...opts.env,
  });

  const sqs = sqsClient();
  const queues: Partial<Record<ErpId, { url: string; dlqUrl: string; arn: string }>> = {};
  for (const a of listAdapters()) {
    const pair = await ensureQueuePair(sqs, `${stage}-erp-bridge-${a.id}`, {
      visibilityTimeoutSeconds: Number(process.env.JOB_LEASE_SECONDS) + 10,
      maxReceiveCount: maxReceiveCount(a.worker),
    });
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: pair.url, AttributeNames: ['QueueArn'] }),
    );
    queues[a.id] = { ...pair, arn: attrs.Attributes?.QueueArn as string };
  }
  process.env.JOB_QUEUE_URLS = JSON.stringify(
    Object.fromEntries(Object.entries(queues).map(([k, v]) => [k, v.url])),
  );
  // Webhooks: their own queue and DLQ; loopback callbacks allowed here only (the stack's own tests).
  const webhookQueue = await ensureQueuePair(sqs, `${stage}-erp-bridge-webhooks`, {
    visibilityTimeoutSeconds: 30,
    maxReceiveCount: 11,
  });
  const webhookArn = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: webhookQueue.url, AttributeNames: ['QueueArn'] }),
  );
  Object.assign(process.env, {
    WEBHOOK_QUEUE_URL: webhookQueue.url,
    WEBHOOK_DEAD_LETTER_QUEUE_URL: webhookQueue.dlqUrl,
    WEBHOOK_ALLOW_LOOPBACK: process.env.WEBHOOK_ALLOW_LOOPBACK ?? 'true',
    // A tenant's webhook may reach a receiver on this machine, but not the simulators every tenant shares.
    WEBHOOK_LOOPBACK_REFUSED_PORTS: [
      ...Object.values(sims).map((s) => s.url),
      dynamo.endpoint,
      sqsServer.endpoint,
    ]
      .map((u) => new URL(u).port)
      .join(','),
    ...opts.env,
  });

  const config = loadConfig();
  const connections = LocalFileConnectionStore.open(opts.dataDir);
  const db = dynamoDocumentClient();
  const tenants = new DynamoTenantStore(db, table);
  const jobs = new DynamoJobStore(db, table);

  // The demo tenant: its key is kept in .data/local-api-key; only its hash is in the table.
  const tenantId = opts.tenantId ?? 'local-demo';
  const keyFile = path.join(opts.dataDir, 'local-api-key');
  let apiKey = fs.existsSync(keyFile) ? fs.readFileSync(keyFile, 'utf8').trim() : '';
  if (!apiKey || !(await tenants.findByKeyHash(hashApiKey(apiKey)))) {
    apiKey = generateApiKey();
    await tenants.putKey(hashApiKey(apiKey), {
      tenantId,
      label: 'local demo key',
      createdAt: new Date().toISOString(),
    });
    fs.writeFileSync(keyFile, `${apiKey}\n`, { mode: 0o600 });
  }
  // One demo connection per ERP, wired to its simulator (kept if it exists: tokens may have rotated).
  for (const erp of Object.keys(sims) as ErpId[]) {
    const connectionId = `demo-${erp}`;
    if (!(await connections.getMetadata(tenantId, connectionId))) {
      await connections.put({
        tenantId,
        connectionId,
        erp,
        environment: 'sandbox',
        credentials: simulators[erp]?.demoCredentials,
      });
    }
  }

  const deps = apiDeps(config, log, connections);
  const api = createApiHandler(() => deps);
  const authorizer = createAuthorizer(() => tenants);
  // Built on the first request: the page's address (PUBLIC_BASE_URL) is known once the server listens.
  let pageDeps: ConnectDeps | undefined;
  const server = await startApiServer({
    api,
    authorizer,
    docs: createDocsHandler(docsAssetsFromDisk(), renderOpenApi()),
    connect: createConnectHandler(() => {
      pageDeps ??= connectDeps(loadConfig(), log, connections);
      return pageDeps;
    }),
    port: opts.apiPort ?? 3000,
  });
  // Session links and OAuth redirect URIs point here; the simulated ERPs know the redirect URIs as registered.
  process.env.PUBLIC_BASE_URL = opts.env?.PUBLIC_BASE_URL ?? server.url;
  for (const [erp, sim] of Object.entries(sims) as [ErpId, Simulator][]) {
    simulators[erp]?.registerRedirectUri?.(
      sim,
      `${process.env.PUBLIC_BASE_URL}/connect/oauth/${erp}/callback`,
    );
  }
  const notify = notifyDeps(loadConfig(), log, connections);

  const pollers = listAdapters().map((a) => {
    const q = queues[a.id] as { url: string; dlqUrl: string; arn: string };
    const wd = workerDeps(
      { ...config, ERP: a.id, JOB_QUEUE_URL: q.url, DEAD_LETTER_QUEUE_URL: q.dlqUrl },
      log,
      undefined,
      connections,
    );
    return startPoller({
      sqs,
      queueUrl: q.url,
      queueArn: q.arn,
      handler: createWorkerHandler(() => wd),
      batchSize: a.worker.batchSize,
      concurrency: Math.min(a.worker.maxConcurrency, 4),
      onError: (e) => log.error('poller error', { erp: a.id, error: (e as Error).message }),
    });
  });

  const webhookPoller = startPoller({
    sqs,
    queueUrl: webhookQueue.url,
    queueArn: webhookArn.Attributes?.QueueArn as string,
    handler: createWebhookHandler(() => webhookDispatchDeps(config, log)),
    batchSize: 10,
    concurrency: 2,
    onError: (e) => log.error('webhook poller error', { error: (e as Error).message }),
  });

  // fauxqs keeps nothing across restarts: every job that is not final is queued again at start.
  const sweepDeps = { jobs, queue: new SqsJobQueue(sqs, config.JOB_QUEUE_URLS), log };
  const erps = listAdapters().map((a) => a.id);
  const startup = await sweep(sweepDeps, erps, 0, { messagesLost: true });
  let sweeping = false;
  const timer = setInterval(
    async () => {
      if (sweeping) return;
      sweeping = true;
      await sweep(sweepDeps, erps, config.SWEEP_STUCK_AFTER_SECONDS * 1000).catch((e) =>
        log.error('sweep failed', { error: (e as Error).message }),
      );
      if (notify) {
        await sweepConnectionNotices(notify).catch((e) =>
          log.error('connection notices failed', { error: (e as Error).message }),
        );
      }
      sweeping = false;
    },
    (opts.sweepEverySeconds ?? 5) * 1000,
  );

  return {
    url: server.url,
    apiKey,
    tenantId,
    dataDir: opts.dataDir,
    simulators: sims,
    queues,
    webhookQueue,
    sqs,
    jobs,
    connections,
    tenants,
    requeuedAtStart: startup.requeued,
    async stop() {
      clearInterval(timer);
      await server.close();
      await Promise.all([...pollers, webhookPoller].map((p) => p.stop()));
      for (const s of Object.values(sims)) await s?.close();
      await sqsServer.close();
      await dynamo.close();
    },
  };
}

export type LocalStack = Awaited<ReturnType<typeof startLocalStack>>;
