import { randomUUID } from 'node:crypto';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createApiHandler } from '../functions/api/handler';
import { httpApiEvent, lambdaContext } from '../local/api-server';
import { loadConfig } from '../shared/config';
import { apiDeps } from '../shared/runtime/wiring';
import { withAwsWait } from './counters';
import { BENCH_TENANT, benchCustomer, benchSiigoConnection, type Emulators, quiet } from './env';
import { percentile, timeEach } from './stats';

const TENANT = BENCH_TENANT;

/**
 * POST /v1/customers through our API handler vs a bare handler doing the same I/O (parse, one conditional
 * put, one SendMessage), on the same emulators, called the same way, interleaved in rounds so drift in the
 * emulators hits both alike.
 */
export async function benchAccept(env: Emulators, opts: { rounds: number; perRound: number }) {
  const q = await env.queue('bench-accept');
  process.env.JOB_QUEUE_URLS = JSON.stringify({ siigo: q.url });
  const config = loadConfig();
  const connections = await benchSiigoConnection(env.dataDir, 'setup');
  const deps = apiDeps(config, quiet, connections);
  const ours = createApiHandler(() => deps);

  const bare = async (event: APIGatewayProxyEventV2) => {
    const customer = JSON.parse(event.body ?? '');
    const jobId = randomUUID();
    const tenantId = TENANT;
    await env.db.send(
      new PutCommand({
        TableName: env.table,
        Item: {
          pk: `T#${tenantId}`,
          sk: `JOB#${jobId}`,
          status: 'queued',
          customer: JSON.stringify(customer),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    await env.sqs.send(
      new SendMessageCommand({
        QueueUrl: q.url,
        MessageBody: JSON.stringify({ v: 1, tenantId, jobId, connectionId: 'bench-siigo', customer }),
        MessageGroupId: tenantId,
      }),
    );
    return { statusCode: 202, body: JSON.stringify({ jobId, status: 'queued' }) };
  };

  let n = 0;
  const event = () =>
    httpApiEvent({
      method: 'POST',
      url: new URL('http://bench/v1/customers'),
      headers: { 'content-type': 'application/json', 'x-erp': 'siigo', 'x-connection': 'bench-siigo' },
      body: JSON.stringify(benchCustomer(n++)),
      tenantId: TENANT,
    });
  const ctx = lambdaContext('api');
  const callOurs = async () => {
    const r = await ours(event(), ctx);
    if (r.statusCode !== 202) throw new Error(`our handler answered ${r.statusCode}: ${r.body}`);
  };
  const callBare = async () => {
    await bare(event());
  };

  // Warm both (JIT, connection pools), then alternate rounds.
  await timeEach(30, callOurs);
  await timeEach(30, callBare);
  const o: number[] = [];
  const b: number[] = [];
  const wait = { ours: { ms: 0, calls: 0 }, bare: { ms: 0, calls: 0 } };
  const timed = async (who: 'ours' | 'bare', f: () => Promise<void>, into: number[]) => {
    const r = await withAwsWait(() => timeEach(opts.perRound, f));
    into.push(...r.value);
    wait[who].ms += r.ms;
    wait[who].calls += r.calls;
  };
  for (let r = 0; r < opts.rounds; r++) {
    await timed('ours', callOurs, o);
    await timed('bare', callBare, b);
  }
  const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
  /** Per request: mean time waiting on AWS calls, and mean time outside them (the handler's own work). */
  const split = (xs: number[], w: { ms: number; calls: number }) => ({
    awsMs: w.ms / xs.length,
    awsCalls: w.calls / xs.length,
    ownMs: (sum(xs) - w.ms) / xs.length,
  });
  return {
    ours: { p50: percentile(o, 50), p99: percentile(o, 99), ...split(o, wait.ours) },
    bare: { p50: percentile(b, 50), p99: percentile(b, 99), ...split(b, wait.bare) },
    calls: o.length,
    ourHandler: ours,
    event,
  };
}
