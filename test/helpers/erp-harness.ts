import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { createApiHandler } from '../../functions/api/handler';
import { createWorkerHandler } from '../../functions/worker/handler';
import { httpApiEvent, lambdaContext } from '../../local/api-server';
import { toSqsRecord } from '../../local/poller';
import { simulators } from '../../local/simulators';
import type { Simulator } from '../../local/simulators/kit';
import type { ApiDeps } from '../../shared/api/deps';
import { CachedConnectionStore } from '../../shared/connections/cached-store';
import { DynamoRefusedInlineStore } from '../../shared/connections/dynamo-refused-inline';
import { LocalFileConnectionStore } from '../../shared/connections/local-file-store';
import type { ConnectionStore } from '../../shared/connections/store';
import { getAdapter, listAdapters } from '../../shared/erps/registry';
import { createTokenCache } from '../../shared/erps/token-cache';
import type { ErpId } from '../../shared/erps/types';
import { createHttpClient } from '../../shared/http/upstream';
import { DynamoJobStore } from '../../shared/jobs/dynamo-store';
import { isFinal, type Job } from '../../shared/jobs/model';
import { createMemoryLockService } from '../../shared/locks/memory-lock';
import { asciiJson } from '../../shared/queue/ascii-json';
import type { JobMessage } from '../../shared/queue/message';
import { DynamoTenantStore } from '../../shared/tenants/dynamo-tenant-store';
import type { JobEvents, Log, WorkerDeps } from '../../shared/worker/deps';
import { dynamoForTest } from './emulators';
import { capture, registerSecrets } from './leak-guard';
import { silentLog } from './pipeline';
import { tempDir } from './temp';

/**
 * The API's ports on dynalite with the real adapters, and a queue held in memory: each message the API queues is
 * kept by job id (what SQS would deliver), for a test to hand to a worker when it chooses.
 */
export function memoryQueueApiDeps(
  o: Pick<ApiDeps, 'jobs' | 'connections' | 'http' | 'env' | 'refusedInline'> & {
    dynamo: { db: DynamoDBDocumentClient; table: string };
    log?: Log;
  },
  queued: Map<string, string>,
): ApiDeps {
  return {
    jobs: o.jobs,
    connections: o.connections,
    refusedInline: o.refusedInline,
    queue: {
      send: async (_erp, m: JobMessage) => {
        queued.set(m.jobId as string, asciiJson(m));
      },
    },
    tenants: new DynamoTenantStore(o.dynamo.db, o.dynamo.table),
    adapters: { get: getAdapter, list: listAdapters },
    http: o.http,
    tokens: createTokenCache(),
    locks: createMemoryLockService(),
    log: o.log ?? silentLog,
    tenantRateLimitPerMinute: 100_000,
    env: o.env,
  };
}

/** One message of an ERP's jobs queue as Lambda's event source mapping hands it over (a fresh receipt). */
export function sqsDelivery(body: string, erp: ErpId): SQSEvent {
  return {
    Records: [
      toSqsRecord(
        { MessageId: randomUUID(), ReceiptHandle: randomUUID(), Body: body },
        `arn:aws:sqs:us-east-1:000000000000:${erp}`,
      ),
    ],
  };
}

export interface ErpHarnessOptions {
  erps: ErpId[];
  /** Starts an ERP's simulator; default: its registry entry on a free port. */
  simulator?: Partial<Record<ErpId, () => Promise<Simulator>>>;
  /** Default: the encrypted local file store in a temp dir. */
  connections?: ConnectionStore;
  /** The workers' credentials cache (CREDENTIALS_CACHE_TTL_SECONDS); the default is the deployed 300 s. */
  credentialsCacheMs?: number;
  log?: Log;
  events?: JobEvents;
  timeoutMs?: number;
}

/**
 * The real API handler and each ERP's real worker handler against its simulator, on DynamoDB (dynalite), with
 * the queue modelled in memory so each delivery is explicit, and a worker clock tests can move forward (retry
 * waits and the credentials cache). What the system emits is captured for the leak guard.
 */
export async function startErpHarness(o: ErpHarnessOptions) {
  const dynamo = await dynamoForTest();
  const dir = tempDir('erp-harness-');
  const connections = o.connections ?? LocalFileConnectionStore.open(dir);
  const jobs = new DynamoJobStore(dynamo.db, dynamo.table);
  let skippedMs = 0;
  const now = () => new Date(Date.now() + skippedMs);

  const sims: Partial<Record<ErpId, Simulator>> = {};
  const env: Record<string, string> = {};
  for (const erp of o.erps) {
    const entry = simulators[erp];
    if (!entry) throw new Error(`no simulator for ${erp}`);
    const sim = await (o.simulator?.[erp]?.() ?? entry.start({ port: 0 }));
    sims[erp] = sim;
    for (const [k, v] of Object.entries(entry.env)) env[k] = v.replace('{url}', sim.url);
  }

  const queued = new Map<string, string>();
  const deadLettered: { erp: ErpId; reason: string; body: string }[] = [];
  const http = createHttpClient({ defaultTimeoutMs: o.timeoutMs ?? 2000 });
  const log = o.log ?? silentLog;
  const refusedInline = new DynamoRefusedInlineStore(dynamo.db, dynamo.table);
  const deps = memoryQueueApiDeps({ dynamo, jobs, connections, http, env, log, refusedInline }, queued);
  const api = createApiHandler(() => deps);
  const cached = new CachedConnectionStore(connections, o.credentialsCacheMs ?? 300_000, () =>
    now().getTime(),
  );
  const locks = createMemoryLockService();
  const tokens = createTokenCache(() => now().getTime());
  const workers = new Map<ErpId, ReturnType<typeof createWorkerHandler>>();
  for (const erp of o.erps) {
    const wd: WorkerDeps = {
      adapter: getAdapter(erp) as WorkerDeps['adapter'],
      jobs,
      connections: cached,
      refusedInline,
      control: {
        retryLater: async () => undefined,
        resend: async () => undefined,
        deadLetter: async (body, reason) => {
          capture('dlq message', body);
          deadLettered.push({ erp, reason, body });
        },
      },
      http,
      tokens,
      locks,
      leaseMs: 5_000,
      env,
      log,
      events: o.events,
      now,
      random: () => 0,
    };
    workers.set(
      erp,
      createWorkerHandler(() => wd),
    );
  }

  /** Calls the API handler as API Gateway does, for `tenantId`; credentials in the request are registered. */
  async function call(
    tenantId: string,
    method: string,
    pathAndQuery: string,
    r: { headers?: Record<string, string>; body?: unknown } = {},
  ) {
    const body = r.body === undefined ? undefined : JSON.stringify(r.body);
    const headers: Record<string, string> = {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    };
    if (r.body && typeof r.body === 'object' && 'credentials' in r.body) registerSecrets(r.body.credentials);
    if (headers.apikey) registerSecrets([headers.apikey, headers.username ?? '']);
    const event = httpApiEvent({
      method,
      url: new URL(pathAndQuery, 'http://x'),
      headers,
      body,
      tenantId,
    });
    const res = await api(event, lambdaContext('api'));
    capture('response', res.body ?? '');
    return { status: res.statusCode as number, json: res.body ? JSON.parse(res.body) : undefined };
  }

  async function job(tenantId: string, jobId: string): Promise<Job> {
    const j = (await jobs.get(tenantId, jobId)) as Job;
    capture('record', JSON.stringify(j));
    return j;
  }

  /** Delivers the job's queued message to its ERP's worker, once, as SQS does. */
  async function deliver(erp: ErpId, jobId: string): Promise<void> {
    const body = queued.get(jobId);
    if (!body) throw new Error(`nothing queued for job ${jobId}`);
    capture('queue message', body);
    await (workers.get(erp) as ReturnType<typeof createWorkerHandler>)(
      sqsDelivery(body, erp),
      lambdaContext('worker'),
    );
  }

  /** Redelivers until the job is final, each time when SQS would (its retry is due or its lease ran out). */
  async function runToFinal(erp: ErpId, tenantId: string, jobId: string): Promise<Job> {
    for (let i = 0; i < 12; i++) {
      const j = await job(tenantId, jobId);
      if (isFinal(j.status)) return j;
      const due = Date.parse((j.status === 'in_progress' ? j.leaseUntil : j.nextAttemptAt) ?? '');
      if (due > now().getTime()) skippedMs += due - now().getTime() + 1;
      await deliver(erp, jobId);
    }
    return job(tenantId, jobId);
  }

  return {
    deps,
    sims,
    env,
    connections,
    jobs,
    deadLettered,
    call,
    job,
    deliver,
    runToFinal,
    /** Moves the workers' clock forward (credentials cache, retry waits). */
    advance(ms: number) {
      skippedMs += ms;
    },
    /** Upstream calls that reached an ERP's simulator. */
    calls: (erp: ErpId) => (sims[erp] as Simulator).calls.length,
    async close() {
      for (const s of Object.values(sims)) await s?.close();
      await dynamo.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
