import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHandler } from '../../functions/api/handler';
import { httpApiEvent, lambdaContext } from '../../local/api-server';
import { CachedConnectionStore } from '../../shared/connections/cached-store';
import type { ConnectionStore } from '../../shared/connections/store';
import { stark, startPipeline } from '../helpers/pipeline';

/**
 * Issue 14 §1: an API container keeps a connection's metadata for CONNECTION_METADATA_TTL_SECONDS, so accepting
 * a job costs no Secrets Manager call. What another container changes meanwhile (deleted, re-pointed, refused)
 * is accepted by the stale container at most, and never reaches the ERP: the worker reads the connection again.
 */
let p: Awaited<ReturnType<typeof startPipeline>>;
const A = 'tenant-cache';
let describes = 0;
let now = 0;

/** An API container with its own metadata cache, over the shared store; counts the store's metadata reads. */
function container() {
  const inner: ConnectionStore = p.connections;
  const counted = new Proxy(inner, {
    get(t, prop, r) {
      if (prop === 'getMetadata') {
        return (tenantId: string, id: string) => {
          describes++;
          return t.getMetadata(tenantId, id);
        };
      }
      return Reflect.get(t, prop, r);
    },
  });
  const connections = new CachedConnectionStore(counted, 0, () => now, 30_000);
  const handler = createApiHandler(() => ({ ...p.deps, connections }));
  return async (method: string, path: string, body: unknown, headers: Record<string, string> = {}) => {
    const r = await handler(
      httpApiEvent({
        method,
        url: new URL(path, 'http://x'),
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
        tenantId: A,
      }),
      lambdaContext('api'),
    );
    return { status: r.statusCode as number, json: r.body ? JSON.parse(r.body) : undefined };
  };
}

const conn = (environment: string, accessKey = 'k') => ({
  erp: 'siigo',
  environment,
  credentials: { username: 'u', accessKey },
});
const post = (id: string, nit: string) => ({
  body: { ...stark, identification: { type: 'NIT', number: nit } },
  headers: { 'x-erp': 'siigo', 'x-connection': id },
});

beforeAll(async () => {
  p = await startPipeline();
});
afterAll(() => p.close());

describe('connection metadata cached per API container', () => {
  it('reads the metadata once per TTL, and again at once after a PUT or DELETE through the same container', async () => {
    const a = container();
    expect((await a('PUT', '/v1/connections/one', conn('sandbox'))).status).toBeLessThan(300);
    describes = 0;
    for (const nit of ['900373921', '900373922', '900373923']) {
      const r = post('one', nit);
      expect((await a('POST', '/v1/customers', r.body, r.headers)).status).toBe(202);
    }
    expect(describes).toBe(1);
    // Re-pointed through this container: the next request sees it (x-testing: true now contradicts it).
    expect((await a('PUT', '/v1/connections/one', conn('production'))).status).toBeLessThan(300);
    const r = post('one', '900373924');
    const conflict = await a('POST', '/v1/customers', r.body, { ...r.headers, 'x-testing': 'true' });
    expect(conflict.json.error?.code).toBe('environment_conflict');
    expect((await a('DELETE', '/v1/connections/one', undefined)).status).toBe(204);
    expect((await a('POST', '/v1/customers', r.body, r.headers)).json.error?.code).toBe(
      'connection_not_found',
    );
    now += 30_001;
  });

  it('a change through another container never reaches the ERP: the worker fails the job it accepted', async () => {
    describes = 0;
    const a = container();
    const b = container();
    expect((await a('PUT', '/v1/connections/two', conn('sandbox'))).status).toBeLessThan(300);
    const warm = post('two', '900373931');
    expect((await a('POST', '/v1/customers', warm.body, warm.headers)).status).toBe(202);

    // Re-pointed to production through container b: a still accepts for sandbox within its TTL...
    expect((await b('PUT', '/v1/connections/two', conn('production', 'k2'))).status).toBeLessThan(300);
    const stale = post('two', '900373932');
    const accepted = await a('POST', '/v1/customers', stale.body, stale.headers);
    expect(accepted.status).toBe(202);
    expect(accepted.json.environment).toBe('sandbox');
    // ...and the worker, reading the connection itself, never creates a sandbox job in production.
    const job = await p.runUntilFinal(A, accepted.json.jobId);
    expect(job?.error?.code).toBe('environment_conflict');
    expect(p.erp.creates).not.toContain(accepted.json.jobId);

    // Deleted through b: a's accepted job fails connection_not_found without an upstream call.
    expect((await b('DELETE', '/v1/connections/two', undefined)).status).toBe(204);
    const gone = post('two', '900373933');
    const late = await a('POST', '/v1/customers', gone.body, gone.headers);
    expect(late.status).toBe(202);
    // (The worker's own credentials cache may still hold the re-pointed connection: then it is that conflict.)
    const lateJob = await p.runUntilFinal(A, late.json.jobId);
    expect(['connection_not_found', 'environment_conflict']).toContain(lateJob?.error?.code);
    expect(p.erp.creates).not.toContain(late.json.jobId);

    // Past the TTL, a reads again and answers as the store does.
    now += 30_001;
    expect((await a('POST', '/v1/customers', gone.body, gone.headers)).json.error?.code).toBe(
      'connection_not_found',
    );
  });
});
