import { createApiHandler } from '../functions/api/handler';
import { createWorkerHandler } from '../functions/worker/handler';
import { httpApiEvent, lambdaContext } from '../local/api-server';
import { startPoller } from '../local/poller';
import type { Simulator } from '../local/simulators/kit';
import { QUICKBOOKS_DEMO_CREDENTIALS, startQuickBooksSimulator } from '../local/simulators/quickbooks';
import { SIIGO_DEMO_PRODUCTION_CREDENTIALS, startSiigoSimulator } from '../local/simulators/siigo';
import { loadConfig } from '../shared/config';
import { LocalFileConnectionStore } from '../shared/connections/local-file-store';
import { getAdapter } from '../shared/erps/registry';
import type { ErpAdapter, ErpId } from '../shared/erps/types';
import { apiDeps, workerDeps } from '../shared/runtime/wiring';
import { type Counts, countingConnections, snapshot, timedInvocation } from './counters';
import { benchCustomer, type Emulators, quiet } from './env';

export interface DrainResult {
  erp: ErpId;
  jobs: number;
  seconds: number;
  /** Creates per second the ERP allows this connection (documented). */
  documentedPerSecond: number;
  achievedPerSecond: number;
  throttled: number;
  succeeded: number;
}

/**
 * How the customers arrive. `backlog`: all accepted first, then drained at the ERP's documented limit (the worst
 * case: every job meets its pacing). `steady`: accepted at `share` of that limit while the workers run, as a
 * tenant syncing within its ERP's limit would (the common case the cost model is judged on).
 */
export type Arrival = { kind: 'backlog' } | { kind: 'steady'; share: number };

/**
 * `jobs` customers for one Siigo company (production: 100/min) and one QuickBooks realm (500/min, 10/s, 10
 * concurrent), accepted through the API and worked by the real worker handler with the ERP's own Lambda
 * concurrency and batch size, against simulators enforcing the documented limits. Both ERPs at once, as they
 * would run on AWS. `acceptCounts` are the counters after accepting (backlog only: in steady arrival accepting
 * and working overlap).
 */
export async function benchDrain(
  env: Emulators,
  jobs: number,
  arrival: Arrival = { kind: 'backlog' },
): Promise<{ results: DrainResult[]; acceptCounts: Counts }> {
  const tag = arrival.kind === 'backlog' ? 'drain' : 'steady';
  const siigoSim = await startSiigoSimulator({ port: 0 });
  const qboSim = await startQuickBooksSimulator({ port: 0 });
  process.env.SIIGO_BASE_URL = siigoSim.url;
  process.env.QUICKBOOKS_BASE_URL = qboSim.url;
  process.env.QUICKBOOKS_TOKEN_URL = `${qboSim.url}/oauth2/v1/tokens/bearer`;
  const queues = {
    siigo: await env.queue(`bench-${tag}-siigo`, 60),
    quickbooks: await env.queue(`bench-${tag}-qbo`, 60),
  };
  process.env.JOB_QUEUE_URLS = JSON.stringify({ siigo: queues.siigo.url, quickbooks: queues.quickbooks.url });
  const tenantId = `bench-${tag}`;
  const connections = LocalFileConnectionStore.open(env.dataDir);
  await connections.put({
    tenantId,
    connectionId: 'siigo-company',
    erp: 'siigo',
    environment: 'production',
    credentials: SIIGO_DEMO_PRODUCTION_CREDENTIALS,
  });
  await connections.put({
    tenantId,
    connectionId: 'qbo-realm',
    erp: 'quickbooks',
    environment: 'sandbox',
    credentials: QUICKBOOKS_DEMO_CREDENTIALS,
  });
  const config = loadConfig();
  // One container's deps, built once as the Lambda's are (its caches and budget blocks live across requests).
  const apiContainer = apiDeps(config, quiet, countingConnections(connections, 'api'));
  const api = timedInvocation(
    'api',
    createApiHandler(() => apiContainer),
  );
  const accept = async (erp: ErpId, connectionId: string, i: number) => {
    const r = await api(
      httpApiEvent({
        method: 'POST',
        url: new URL('http://bench/v1/customers'),
        headers: { 'content-type': 'application/json', 'x-erp': erp, 'x-connection': connectionId },
        body: JSON.stringify(benchCustomer(i)),
        tenantId,
      }),
      lambdaContext('api'),
    );
    if (r.statusCode !== 202) throw new Error(`accept ${erp} answered ${r.statusCode}: ${r.body}`);
  };
  const sims = {
    siigo: {
      sim: siigoSim as Simulator,
      connectionId: 'siigo-company',
      created: () => siigoSim.state().customers.length,
    },
    quickbooks: {
      sim: qboSim as Simulator,
      connectionId: 'qbo-realm',
      created: () => qboSim.customers(QUICKBOOKS_DEMO_CREDENTIALS.realmId).length,
    },
  };
  const erps = Object.keys(sims) as (keyof typeof sims)[];

  if (arrival.kind === 'backlog') {
    for (let i = 0; i < jobs; i++) for (const erp of erps) await accept(erp, sims[erp].connectionId, i);
  }
  // What accepting cost, apart from what working the jobs costs.
  const acceptCounts = snapshot();

  const work = async (erp: keyof typeof sims): Promise<DrainResult> => {
    const adapter = getAdapter(erp) as ErpAdapter<unknown>;
    const q = queues[erp];
    const wd = workerDeps(
      { ...config, ERP: erp, JOB_QUEUE_URL: q.url, DEAD_LETTER_QUEUE_URL: q.dlqUrl },
      quiet,
      undefined,
      countingConnections(connections, 'worker'),
    );
    const handler = timedInvocation(
      'worker',
      createWorkerHandler(() => wd),
    );
    const t = performance.now();
    const poller = startPoller({
      sqs: env.sqs,
      queueUrl: q.url,
      queueArn: q.arn,
      handler,
      batchSize: adapter.worker.batchSize,
      concurrency: adapter.worker.maxConcurrency,
    });
    const rate = rateOf(adapter);
    if (arrival.kind === 'steady') {
      // Arrivals on a fixed schedule at `share` of the documented rate, while the workers run.
      const gapMs = 1000 / (rate * arrival.share);
      for (let i = 0; i < jobs; i++) {
        const at = t + i * gapMs;
        const wait = at - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        await accept(erp, sims[erp].connectionId, i);
      }
    }
    // Done when the ERP holds every customer (a stall would show as a timeout, not a wrong number).
    const { created, sim } = sims[erp];
    const deadline = Date.now() + (jobs / (rate * 0.5)) * 1000 + 120_000;
    while (created() < jobs && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const seconds = (performance.now() - t) / 1000;
    await poller.stop();
    return {
      erp,
      jobs,
      seconds,
      documentedPerSecond: rate,
      achievedPerSecond: created() / seconds,
      throttled: sim.calls.filter((c) => c.status === 429).length,
      succeeded: created(),
    };
  };
  const results = await Promise.all(erps.map(work));
  await siigoSim.close();
  await qboSim.close();
  return { results, acceptCounts };
}

/** The documented production rate, requests per second. */
function rateOf(a: ErpAdapter<unknown>): number {
  return a.capabilities.rateLimit.requests / a.capabilities.rateLimit.perSeconds;
}
