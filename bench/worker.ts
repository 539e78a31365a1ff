import { randomUUID } from 'node:crypto';
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createApiHandler } from '../functions/api/handler';
import { createWorkerHandler } from '../functions/worker/handler';
import { httpApiEvent, lambdaContext } from '../local/api-server';
import { pollOnce, startPoller } from '../local/poller';
import { SIIGO_DEMO_PRODUCTION_CREDENTIALS, startSiigoSimulator } from '../local/simulators/siigo';
import { loadConfig } from '../shared/config';
import { customerSchema } from '../shared/customer/schema';
import { getAdapter } from '../shared/erps/registry';
import { siigoPartnerId } from '../shared/erps/siigo/credentials';
import type { ErpAdapter } from '../shared/erps/types';
import { apiDeps, workerDeps } from '../shared/runtime/wiring';
import { timedInvocation, withAwsWait } from './counters';
import { BENCH_TENANT, benchCustomer, benchSiigoConnection, type Emulators, quiet } from './env';

const TENANT = BENCH_TENANT;

/**
 * One worker process: our worker handler per job (claim, pace, look up connection, create, save, delete)
 * vs a bare loop doing the same I/O and the same upstream call (receive, read the job, POST the native body,
 * write the result, delete), both against a Siigo simulator with no latency and no limit.
 */
export async function benchWorker(env: Emulators, opts: { jobs: number }) {
  const sim = await startSiigoSimulator({ port: 0 }, { requestsPerMinute: 1e9 });
  process.env.SIIGO_BASE_URL = sim.url;
  const ours = await env.queue('bench-worker-ours');
  const bare = await env.queue('bench-worker-bare');
  const adapter = getAdapter('siigo') as ErpAdapter<unknown>;
  process.env.JOB_QUEUE_URLS = JSON.stringify({ siigo: ours.url });
  // The pacer runs (its UpdateItem is part of the cost) but never makes this bench wait.
  const connections = await benchSiigoConnection(env.dataDir, 'setup', { requests: 100_000, perSeconds: 1 });
  const config = loadConfig({
    ...process.env,
    ERP: 'siigo',
    JOB_QUEUE_URL: ours.url,
    DEAD_LETTER_QUEUE_URL: ours.dlqUrl,
  });
  const wd = workerDeps(config, quiet, undefined, connections);
  const handler = timedInvocation(
    'worker',
    createWorkerHandler(() => wd),
  );
  const apiContainer = apiDeps(config, quiet, connections);
  const api = createApiHandler(() => apiContainer);
  const accept = async (i: number) => {
    const r = await api(
      httpApiEvent({
        method: 'POST',
        url: new URL('http://bench/v1/customers'),
        headers: { 'content-type': 'application/json', 'x-erp': 'siigo', 'x-connection': 'bench-siigo' },
        body: JSON.stringify(benchCustomer(i)),
        tenantId: TENANT,
      }),
      lambdaContext('api'),
    );
    if (r.statusCode !== 202) throw new Error(`accept answered ${r.statusCode}: ${r.body}`);
  };
  const src = { sqs: env.sqs, queueUrl: ours.url, queueArn: ours.arn, handler, batchSize: 1 };

  // The bare loop's token, fetched once like our token cache does.
  const auth = await fetch(`${sim.url}/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'Partner-Id': siigoPartnerId() },
    body: JSON.stringify({
      username: SIIGO_DEMO_PRODUCTION_CREDENTIALS.username,
      access_key: SIIGO_DEMO_PRODUCTION_CREDENTIALS.accessKey,
    }),
  });
  const token = ((await auth.json()) as { access_token: string }).access_token;
  const reqCtx = {
    jobId: 'bare',
    endpoint: () => sim.url,
    connection: {
      environment: 'production' as const,
      credentials: SIIGO_DEMO_PRODUCTION_CREDENTIALS,
      tenantId: TENANT,
      connectionId: 'bench-siigo',
    },
  };
  let bareN = 1_000_000;
  const enqueueBare = async () => {
    const customer = benchCustomer(bareN++);
    const jobId = randomUUID();
    await env.db.send(
      new PutCommand({
        TableName: env.table,
        Item: { pk: `T#${TENANT}`, sk: `JOB#${jobId}`, status: 'queued', customer: JSON.stringify(customer) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    await env.sqs.send(
      new SendMessageCommand({
        QueueUrl: bare.url,
        MessageBody: JSON.stringify({ jobId, tenantId: TENANT }),
      }),
    );
  };
  const bareOnce = async (): Promise<number> => {
    const r = await env.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: bare.url, MaxNumberOfMessages: 1, WaitTimeSeconds: 1 }),
    );
    for (const m of r.Messages ?? []) {
      const { jobId, tenantId } = JSON.parse(m.Body ?? '{}');
      const key = { pk: `T#${tenantId}`, sk: `JOB#${jobId}` };
      const job = await env.db.send(new GetCommand({ TableName: env.table, Key: key, ConsistentRead: true }));
      const customer = customerSchema.parse(JSON.parse(job.Item?.customer as string));
      const native = adapter.buildCreateRequest(customer, reqCtx);
      const res = await fetch(native.url, {
        method: native.method,
        headers: { ...native.headers, 'Partner-Id': siigoPartnerId(), authorization: `Bearer ${token}` },
        body: JSON.stringify(native.body),
      });
      const created = (await res.json()) as { id?: string };
      if (!created.id) throw new Error(`bare create failed: ${res.status}`);
      await env.db.send(
        new UpdateCommand({
          TableName: env.table,
          Key: key,
          UpdateExpression: 'SET #s = :s, erpCustomerId = :id',
          ConditionExpression: '#s = :q',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':s': 'succeeded', ':q': 'queued', ':id': created.id },
        }),
      );
      await env.sqs.send(new DeleteMessageCommand({ QueueUrl: bare.url, ReceiptHandle: m.ReceiptHandle }));
    }
    return r.Messages?.length ?? 0;
  };

  const drainSerially = async (once: () => Promise<number>, n: number) => {
    const t = performance.now();
    let done = 0;
    while (done < n) done += await once();
    return (performance.now() - t) / n;
  };

  const warm = 20;
  for (let i = 0; i < warm; i++) await accept(i);
  for (let i = 0; i < warm; i++) await enqueueBare();
  await drainSerially(async () => (await pollOnce(src)).length, warm);
  await drainSerially(bareOnce, warm);

  // Timed: one job at a time (per-job cost), fill first so only the worker is measured.
  for (let i = 0; i < opts.jobs; i++) await accept(warm + i);
  const oursRun = await withAwsWait(() => drainSerially(async () => (await pollOnce(src)).length, opts.jobs));
  for (let i = 0; i < opts.jobs; i++) await enqueueBare();
  const bareRun = await withAwsWait(() => drainSerially(bareOnce, opts.jobs));
  const oursMs = oursRun.value;
  const bareMs = bareRun.value;
  /** Per job: time waiting on AWS calls (receive and delete included) and the rest (handler work, ERP call). */
  const split = (r: typeof oursRun) => ({
    awsMs: r.ms / opts.jobs,
    awsCalls: r.calls / opts.jobs,
    ownMs: r.value - r.ms / opts.jobs,
  });

  // Throughput of one process with several concurrent loops (Lambda runs one batch per instance; a
  // process here stands for the machine's worth of instances).
  const parallelJobs = opts.jobs;
  for (let i = 0; i < parallelJobs; i++) await accept(warm + opts.jobs + i);
  const t = performance.now();
  const before = sim.state().customers.length;
  const poller = startPoller({ ...src, concurrency: 8 });
  while (sim.state().customers.length - before < parallelJobs) await new Promise((r) => setTimeout(r, 20));
  const parallelJobsPerSecond = parallelJobs / ((performance.now() - t) / 1000);
  await poller.stop();
  await sim.close();
  return {
    oursMs,
    bareMs,
    ours: split(oursRun),
    bare: split(bareRun),
    parallelJobsPerSecond,
    concurrency: 8,
  };
}
