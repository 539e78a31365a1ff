import { CachedConnectionStore } from '../../shared/connections/cached-store';
import type { ConnectionStore } from '../../shared/connections/store';
import { createTokenCache } from '../../shared/erps/token-cache';
import type { ErpAdapter } from '../../shared/erps/types';
import { createHttpClient, type HttpClient } from '../../shared/http/upstream';
import { DynamoJobStore } from '../../shared/jobs/dynamo-store';
import { createMemoryLockService } from '../../shared/locks/memory-lock';
import { DynamoPacer } from '../../shared/pacing/dynamo-pacer';
import type { WorkerDeps } from '../../shared/worker/deps';
import type { dynamoForTest } from './emulators';
import { silentLog } from './pipeline';

/**
 * One worker container for tests that call processMessage themselves: jobs and pacing in the shared table (its
 * own DynamoPacer object, so two calls are two Lambdas sharing only the table), credentials cached, in-memory
 * locks and tokens, and a message control that does nothing (a wait or retry stays in the job's record).
 */
export function pacedWorkerDeps(o: {
  adapter: ErpAdapter<unknown>;
  dynamo: Awaited<ReturnType<typeof dynamoForTest>>;
  connections: ConnectionStore;
  env: Record<string, string>;
  http?: HttpClient;
}): WorkerDeps {
  return {
    adapter: o.adapter as WorkerDeps['adapter'],
    jobs: new DynamoJobStore(o.dynamo.db, o.dynamo.table),
    connections: new CachedConnectionStore(o.connections, 60_000),
    control: {
      retryLater: async () => undefined,
      resend: async () => undefined,
      deadLetter: async () => undefined,
    },
    http: o.http ?? createHttpClient({ defaultTimeoutMs: 2_000 }),
    tokens: createTokenCache(),
    locks: createMemoryLockService(),
    pacer: new DynamoPacer(o.dynamo.db, o.dynamo.table),
    leaseMs: 30_000,
    env: o.env,
    log: silentLog,
  };
}
