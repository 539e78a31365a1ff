import dgram from 'node:dgram';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpApiEvent, lambdaContext } from '../../local/api-server';
import { LocalFileConnectionStore } from '../../shared/connections/local-file-store';
import { getAdapter, listAdapters } from '../../shared/erps/registry';
import { createTokenCache } from '../../shared/erps/token-cache';
import { createHttpClient } from '../../shared/http/upstream';
import { DynamoJobStore } from '../../shared/jobs/dynamo-store';
import { createMemoryLockService } from '../../shared/locks/memory-lock';
import { DynamoTenantStore } from '../../shared/tenants/dynamo-tenant-store';
import { dynamoForTest } from '../helpers/emulators';
import { tempDir } from '../helpers/temp';

/**
 * The API handler as Lambda runs it with active tracing: a local X-Ray daemon (UDP) receives what the Powertools
 * Tracer sends. The invocation, the AWS SDK call (DynamoDB) and the upstream ERP call (HTTP) are subsegments.
 */
interface Doc {
  name: string;
  namespace?: string;
  http?: { request?: { url?: string } };
  aws?: { operation?: string };
  metadata?: Record<string, unknown>;
  subsegments?: Doc[];
}
const docs: Doc[] = [];
const flatten = (d: Doc): Doc[] => [d, ...(d.subsegments ?? []).flatMap(flatten)];
const saved = { ...process.env };
let daemon: dgram.Socket;
let erp: http.Server;
let dynamo: Awaited<ReturnType<typeof dynamoForTest>>;
let dataDir: string;
let handler: (e: unknown, c: unknown) => Promise<{ statusCode: number; body?: string }>;

beforeAll(async () => {
  daemon = dgram.createSocket('udp4');
  daemon.on('message', (m) => docs.push(JSON.parse(m.toString().split('\n')[1]!)));
  await new Promise<void>((r) => daemon.bind(0, '127.0.0.1', r));
  erp = http.createServer((_q, s) => s.writeHead(401, { 'content-type': 'application/json' }).end('{}'));
  await new Promise<void>((r) => erp.listen(0, '127.0.0.1', r));
  Object.assign(process.env, {
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    LAMBDA_TASK_ROOT: '/var/task',
    _HANDLER: 'index.handler',
    AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${(daemon.address() as AddressInfo).port}`,
    _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
    SIIGO_BASE_URL: `http://127.0.0.1:${(erp.address() as AddressInfo).port}`,
  });
  // Imported now (and by nothing above): the handler module builds its tracer from the environment above.
  const { createApiHandler } = await import('../../functions/api/handler');
  dynamo = await dynamoForTest(); // built after the tracer: its client is captured
  dataDir = tempDir('tracing-');
  const deps = {
    jobs: new DynamoJobStore(dynamo.db, dynamo.table),
    tenants: new DynamoTenantStore(dynamo.db, dynamo.table),
    connections: LocalFileConnectionStore.open(dataDir),
    queue: { send: async () => undefined } as never,
    adapters: { get: getAdapter, list: listAdapters },
    http: createHttpClient(),
    tokens: createTokenCache(),
    locks: createMemoryLockService(),
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    tenantRateLimitPerMinute: 100,
  };
  handler = createApiHandler(() => deps) as unknown as typeof handler;
}, 60_000);

afterAll(async () => {
  process.env = { ...saved };
  daemon.close();
  erp.close();
  await dynamo.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('Powertools Tracer on the API handler', () => {
  it('sends the invocation with its DynamoDB and upstream HTTP calls as subsegments', async () => {
    const url = new URL('http://x/v1/connections/c1?verify=true');
    const body = JSON.stringify({
      erp: 'siigo',
      environment: 'sandbox',
      credentials: { username: 'api@example.co', accessKey: 'not-a-real-key' },
    });
    const event = httpApiEvent({
      method: 'PUT',
      url,
      headers: { 'content-type': 'application/json' },
      body,
      tenantId: 't1',
    });
    const res = await handler(event, lambdaContext('api'));
    // Siigo (the local stub) refused the credentials: the call was made.
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    // The segments come over UDP: read until the three below are in (a loaded machine may take a while).
    const names = () => new Set(docs.flatMap(flatten).map((d) => d.name));
    for (let i = 0; i < 100; i++) {
      const seen = names();
      if (seen.has('## index.handler') && seen.has('DynamoDB') && seen.has('127.0.0.1')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const all = docs.flatMap(flatten);
    const invocation = all.find((d) => d.name === '## index.handler');
    expect(invocation).toBeDefined();
    // Responses hold customer data and job records: traces keep timings and errors, never bodies.
    // (Powertools would add the handler's return value as metadata `index.handler response`.)
    expect(JSON.stringify(invocation?.metadata ?? {})).not.toMatch(/response/);
    expect(all.find((d) => d.name === 'DynamoDB')?.aws?.operation).toBe('UpdateItem');
    const upstream = all.find((d) => d.namespace === 'remote' && d.http?.request?.url?.includes('/auth'));
    // (The X-Ray SDK records the URL without the port.)
    expect(upstream?.http?.request?.url).toBe('http://127.0.0.1/auth');
  });
});
