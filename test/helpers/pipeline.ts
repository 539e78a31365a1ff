import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { createApiHandler } from '../../functions/api/handler';
import { createWorkerHandler } from '../../functions/worker/handler';
import { httpApiEvent, lambdaContext } from '../../local/api-server';
import { ensureQueuePair } from '../../local/emulators';
import { pollOnce } from '../../local/poller';
import type { ApiDeps } from '../../shared/api/deps';
import { DynamoBatchStore } from '../../shared/batches/dynamo-store';
import { batchJobEvents } from '../../shared/batches/progress';
import { CachedConnectionStore } from '../../shared/connections/cached-store';
import { DynamoRefusedInlineStore } from '../../shared/connections/dynamo-refused-inline';
import { LocalFileConnectionStore } from '../../shared/connections/local-file-store';
import type { UnifiedCustomer } from '../../shared/customer/schema';
import { createTokenCache } from '../../shared/erps/token-cache';
import type { CreateOutcome, ErpAdapter, LookupOutcome, OptionsOutcome } from '../../shared/erps/types';
import { createHttpClient } from '../../shared/http/upstream';
import { DynamoJobStore } from '../../shared/jobs/dynamo-store';
import { createMemoryLockService } from '../../shared/locks/memory-lock';
import { DynamoOptionsStore } from '../../shared/options/dynamo-store';
import type { JobQueue } from '../../shared/queue/queue';
import { SqsJobQueue, SqsMessageControl } from '../../shared/queue/sqs-queue';
import { generateApiKey, hashApiKey } from '../../shared/tenants/api-keys';
import { DynamoTenantStore } from '../../shared/tenants/dynamo-tenant-store';
import type { Log, WorkerDeps } from '../../shared/worker/deps';
import { dynamoForTest, sqsForTest } from './emulators';
import { capture, registerSecrets } from './leak-guard';
import { tempDir } from './temp';

export const silentLog: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * A scripted ERP for pipeline tests: each create/look-up takes the next scripted outcome (default: created /
 * not_found) and is recorded, so tests assert what the worker did, not what an ERP did.
 */
export function scriptedErp() {
  const creates: string[] = [];
  const lookups: string[] = [];
  const createScript: CreateOutcome[] = [];
  const lookupScript: LookupOutcome[] = [];
  /** What the next options fetches answer (default: two sellers). */
  const optionsScript: OptionsOutcome[] = [];
  const adapter: ErpAdapter<{ username: string; accessKey: string }> = {
    id: 'siigo',
    displayName: 'Scripted ERP',
    credentialsSchema: z.strictObject({ username: z.string().min(1), accessKey: z.string().min(1) }),
    fromInlineCredentials: (username, apikey) => ({ username, accessKey: apikey }),
    capabilities: {
      upstreamIdempotency: 'lookup',
      lookupBy: ['identification.number'],
      environments: ['sandbox', 'production'],
      inlineCredentials: true,
      rateLimit: { requests: 100, perSeconds: 60, scope: 'company' },
    },
    worker: {
      maxAttempts: 3,
      timeoutMs: 1000,
      baseDelayMs: 10,
      maxDelayMs: 20,
      maxConcurrency: 2,
      batchSize: 10,
    },
    endpoints: {
      base: {
        env: 'SCRIPTED_BASE_URL',
        production: 'https://erp.example',
        sandbox: 'https://sandbox.erp.example',
      },
    },
    requirements: (c: UnifiedCustomer) =>
      c.identification
        ? []
        : [{ pointer: '/identification', code: 'required', message: 'the ERP needs an identification' }],
    // Like a real ERP without a website field: the field is named, not dropped silently.
    warnings: (c: UnifiedCustomer) =>
      c.website
        ? [
            {
              pointer: '/website',
              code: 'not_supported_by_erp',
              message: 'the scripted ERP has no website field',
            },
          ]
        : [],
    buildCreateRequest: (c, ctx) => ({
      method: 'POST',
      url: `${ctx.endpoint('base')}/customers`,
      headers: { 'content-type': 'application/json' },
      body: { name: c.name, ident: c.identification?.number },
    }),
    async create(_c, ctx) {
      creates.push(ctx.jobId);
      // The key "bad" is refused by this ERP whatever the script says, as verify refuses it.
      if (ctx.connection.credentials.accessKey === 'bad') {
        return {
          kind: 'auth',
          reauthorize: true,
          upstream: { erp: 'siigo', status: 401, message: 'bad credentials' },
        };
      }
      return createScript.shift() ?? { kind: 'created', erpCustomerId: `erp-${creates.length}` };
    },
    async lookup(_c, ctx) {
      lookups.push(ctx.jobId);
      return lookupScript.shift() ?? { kind: 'not_found' };
    },
    options: {
      pointers: ['/erpFields/seller_id'],
      requests: 1,
      fetch: async () =>
        optionsScript.shift() ?? {
          kind: 'ok',
          fields: [
            {
              pointer: '/erpFields/seller_id',
              label: 'Seller',
              required: false,
              values: [
                { value: '625', label: 'Lucía Ramírez' },
                { value: '629', label: 'Andrés Peña' },
              ],
            },
          ],
        },
    },
    async verify(ctx) {
      return ctx.connection.credentials.accessKey === 'bad'
        ? { kind: 'auth', upstream: { erp: 'siigo', status: 401, message: 'bad credentials' } }
        : { kind: 'ok' };
    },
  };
  return {
    adapter: adapter as unknown as ErpAdapter<unknown>,
    creates,
    lookups,
    createScript,
    lookupScript,
    optionsScript,
  };
}

/** API handler + worker handler + sweeper inputs wired to dynalite and fauxqs, with a scripted ERP. */
export async function startPipeline(
  opts: {
    tenantRateLimitPerMinute?: number;
    queue?: (q: JobQueue) => JobQueue;
    /** The API's clock (the tenant budget counts per clock minute). */
    now?: () => Date;
  } = {},
) {
  const dynamo = await dynamoForTest();
  const sqsEnv = await sqsForTest();
  const erp = scriptedErp();
  const pair = await ensureQueuePair(sqsEnv.sqs, `test-${Math.random().toString(36).slice(2, 8)}`, {
    visibilityTimeoutSeconds: 30,
    maxReceiveCount: 6,
  });
  const dir = tempDir('pipeline-');
  const connections = LocalFileConnectionStore.open(dir);
  const jobs = new DynamoJobStore(dynamo.db, dynamo.table);
  const tenants = new DynamoTenantStore(dynamo.db, dynamo.table);
  const realQueue = new SqsJobQueue(sqsEnv.sqs, { siigo: pair.url });
  const refusedInline = new DynamoRefusedInlineStore(dynamo.db, dynamo.table);
  const deps: ApiDeps = {
    jobs,
    connections,
    refusedInline,
    queue: opts.queue ? opts.queue(realQueue) : realQueue,
    tenants,
    adapters: {
      get: (n) => (n.toLowerCase() === 'siigo' ? erp.adapter : undefined),
      list: () => [erp.adapter],
    },
    http: createHttpClient(),
    tokens: createTokenCache(),
    locks: createMemoryLockService(),
    log: silentLog,
    tenantRateLimitPerMinute: opts.tenantRateLimitPerMinute ?? 10_000,
    now: opts.now,
    batches: { store: new DynamoBatchStore(dynamo.db, dynamo.table) },
    options: { store: new DynamoOptionsStore(dynamo.db, dynamo.table) },
  };
  const workerDeps: WorkerDeps = {
    adapter: erp.adapter,
    jobs,
    connections: new CachedConnectionStore(connections, 60_000),
    refusedInline,
    control: new SqsMessageControl(sqsEnv.sqs, pair.url, pair.dlqUrl),
    http: deps.http,
    tokens: deps.tokens,
    locks: deps.locks,
    leaseMs: 30_000,
    log: silentLog,
    events: batchJobEvents({ batches: new DynamoBatchStore(dynamo.db, dynamo.table), log: silentLog }),
  };
  const apiHandler = createApiHandler(() => deps);
  const workerHandler = createWorkerHandler(() => workerDeps);

  async function tenant(id: string) {
    const key = generateApiKey();
    await tenants.putKey(hashApiKey(key), { tenantId: id, createdAt: new Date().toISOString() });
    return key;
  }

  /** Calls the API handler the way API Gateway does (the authorizer's tenant in the request context). */
  async function api(
    method: string,
    pathAndQuery: string,
    o: { tenantId?: string; headers?: Record<string, string>; body?: unknown } = {},
  ) {
    const url = new URL(pathAndQuery, 'http://x');
    // A string or Buffer is sent as it is (bytes a client really sent); anything else as JSON.
    const body =
      o.body === undefined
        ? undefined
        : typeof o.body === 'string' || Buffer.isBuffer(o.body)
          ? o.body
          : JSON.stringify(o.body);
    const headers: Record<string, string> = {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...Object.fromEntries(Object.entries(o.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    };
    const event = httpApiEvent({ method, url, headers, body, tenantId: o.tenantId });
    if (o.body && typeof o.body === 'object' && 'credentials' in (o.body as object)) {
      registerSecrets((o.body as { credentials: unknown }).credentials);
    }
    if (headers.apikey) registerSecrets(headers.apikey);
    const r = await apiHandler(event, lambdaContext('api'));
    capture('response', r.body ?? '');
    return {
      status: r.statusCode as number,
      headers: (r.headers ?? {}) as Record<string, string>,
      json: r.body ? JSON.parse(r.body) : undefined,
    };
  }

  /** Receives from a queue once (up to 10) and runs the worker handler like the event source mapping. */
  async function pump(sqs: SQSClient = sqsEnv.sqs, url = pair.url, waitSeconds = 1) {
    const messages = await pollOnce(
      {
        sqs,
        queueUrl: url,
        queueArn: 'arn:aws:sqs:us-east-1:000000000000:q',
        handler: workerHandler,
        batchSize: 10,
      },
      waitSeconds,
    );
    for (const m of messages) capture('queue message', m.Body ?? '');
    return messages.length;
  }

  /** What a producer outside the API sends: a JSON value, or a raw string as the body. */
  async function sendRaw(body: unknown) {
    await sqsEnv.sqs.send(
      new SendMessageCommand({
        QueueUrl: pair.url,
        MessageBody: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    );
  }

  /** Messages in the jobs queue, visible or in flight. */
  async function queueDepth() {
    const r = await sqsEnv.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: pair.url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return (
      Number(r.Attributes?.ApproximateNumberOfMessages ?? 0) +
      Number(r.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
    );
  }

  /** Pumps until the job is final (or the deadline passes). */
  async function runUntilFinal(tenantId: string, jobId: string, deadlineMs = 15_000) {
    const end = Date.now() + deadlineMs;
    while (Date.now() < end) {
      const j = await jobs.get(tenantId, jobId);
      if (j && ['succeeded', 'failed', 'dead_lettered'].includes(j.status)) return j;
      await pump();
    }
    return jobs.get(tenantId, jobId);
  }

  async function dlqBodies() {
    const r = await sqsEnv.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: pair.dlqUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 0,
      }),
    );
    const bodies = (r.Messages ?? []).map((m) => m.Body ?? '');
    for (const b of bodies) capture('dlq message', b);
    return bodies;
  }

  /** Every item in the table (jobs, keys, counters), captured for the leak check. */
  async function captureRecords() {
    const { ScanCommand } = await import('@aws-sdk/lib-dynamodb');
    const all = await dynamo.db.send(new ScanCommand({ TableName: dynamo.table }));
    for (const item of all.Items ?? []) capture('record', JSON.stringify(item));
    return all.Items?.length ?? 0;
  }

  return {
    deps,
    workerDeps,
    workerHandler,
    erp,
    jobs,
    connections,
    sqs: sqsEnv.sqs,
    queueUrl: pair.url,
    dlqUrl: pair.dlqUrl,
    tenant,
    api,
    pump,
    sendRaw,
    queueDepth,
    runUntilFinal,
    dlqBodies,
    captureRecords,
    async close() {
      await captureRecords();
      await sqsEnv.close();
      await dynamo.close();
    },
  };
}

export const stark = {
  personType: 'company',
  name: { company: 'Stark Industries' },
  identification: { type: 'NIT', number: '900373913' },
  email: 'billing@stark.co',
  billingAddress: { lines: ['Cra. 18 #79A - 42'], cityCode: '11001', stateCode: '11', country: 'CO' },
};
