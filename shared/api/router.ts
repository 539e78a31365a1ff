import type * as z from 'zod';
import { ApiError } from '../errors';
import { deleteWebhook, getWebhook, putWebhook, rotateWebhookSecret } from '../webhooks/routes';
import { batchPageQuery, createCustomerBatch, getBatch } from './batches';
import { getConnectSession, postConnectSession } from './connect-sessions';
import {
  deleteConnection,
  getConnection,
  listConnections,
  putConnection,
  putConnectionQuery,
} from './connections';
import { createCustomer, createCustomerQuery } from './customers';
import type { ApiDeps } from './deps';
import { customerSchemaFor, listErps } from './erps';
import { type ApiRequest, type ApiResponse, errorResponse, internalError, json } from './http';
import { getJob, getJobQuery, listJobs, listJobsQuery, retryJob } from './jobs';
import { getConnectionOptions, optionsQuery } from './options';
import { noQuery, parseQuery } from './query';

/** Job and batch ids are UUIDs, which RFC 9562 reads case-insensitively; we store them in lower case. */
const uuidParam = (p: string | undefined) => (p ?? '').toLowerCase();

type Route = {
  method: string;
  pattern: RegExp;
  auth: boolean;
  /** The query parameters the route takes (strict); none when absent. */
  query?: z.ZodType;
  run: (
    req: ApiRequest,
    params: string[],
    tenantId: string,
    deps: ApiDeps,
  ) => Promise<ApiResponse> | ApiResponse;
};

const seg = '([^/]+)';
const routes: Route[] = [
  { method: 'GET', pattern: /^\/health$/, auth: false, run: () => json(200, { status: 'ok' }) },
  {
    method: 'POST',
    pattern: /^\/v1\/customers$/,
    auth: true,
    query: createCustomerQuery,
    run: (r, _p, t, d) => createCustomer(r, t, d),
  },
  {
    method: 'POST',
    pattern: /^\/v1\/customers\/dry-run$/,
    auth: true,
    run: (r, _p, t, d) => createCustomer(r, t, d, { dryRun: true }),
  },
  {
    method: 'POST',
    pattern: /^\/v1\/customers\/batch$/,
    auth: true,
    run: (r, _p, t, d) => createCustomerBatch(r, t, d),
  },
  {
    method: 'POST',
    pattern: /^\/v1\/customers\/batch\/dry-run$/,
    auth: true,
    run: (r, _p, t, d) => createCustomerBatch(r, t, d, { dryRun: true }),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/v1/batches/${seg}$`),
    auth: true,
    query: batchPageQuery,
    run: (r, p, t, d) => getBatch(r, uuidParam(p[0]), t, d),
  },
  {
    method: 'GET',
    pattern: /^\/v1\/jobs$/,
    auth: true,
    query: listJobsQuery,
    run: (r, _p, t, d) => listJobs(r, t, d),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/v1/jobs/${seg}$`),
    auth: true,
    query: getJobQuery,
    run: (r, p, t, d) => getJob(r, uuidParam(p[0]), t, d),
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/v1/jobs/${seg}/retry$`),
    auth: true,
    run: (_r, p, t, d) => retryJob(uuidParam(p[0]), t, d),
  },
  { method: 'GET', pattern: /^\/v1\/connections$/, auth: true, run: (_r, _p, t, d) => listConnections(t, d) },
  {
    method: 'PUT',
    pattern: new RegExp(`^/v1/connections/${seg}$`),
    auth: true,
    query: putConnectionQuery,
    run: (r, p, t, d) => putConnection(r, p[0] as string, t, d),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/v1/connections/${seg}$`),
    auth: true,
    run: (_r, p, t, d) => getConnection(p[0] as string, t, d),
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/v1/connections/${seg}$`),
    auth: true,
    run: (_r, p, t, d) => deleteConnection(p[0] as string, t, d),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/v1/connections/${seg}/options$`),
    auth: true,
    query: optionsQuery,
    run: (r, p, t, d) => getConnectionOptions(r, p[0] as string, t, d),
  },
  { method: 'GET', pattern: /^\/v1\/erps$/, auth: true, run: (_r, _p, _t, d) => listErps(d) },
  {
    method: 'GET',
    pattern: new RegExp(`^/v1/erps/${seg}/customer-schema$`),
    auth: true,
    run: (_r, p, _t, d) => customerSchemaFor(p[0] as string, d),
  },
  {
    method: 'POST',
    pattern: /^\/v1\/connect-sessions$/,
    auth: true,
    run: (r, _p, t, d) => postConnectSession(r, t, d),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/v1/connect-sessions/${seg}$`),
    auth: true,
    run: (_r, p, t, d) => getConnectSession(p[0] as string, t, d),
  },
  { method: 'PUT', pattern: /^\/v1\/webhook$/, auth: true, run: (r, _p, t, d) => putWebhook(r, t, d) },
  { method: 'GET', pattern: /^\/v1\/webhook$/, auth: true, run: (_r, _p, t, d) => getWebhook(t, d) },
  { method: 'DELETE', pattern: /^\/v1\/webhook$/, auth: true, run: (_r, _p, t, d) => deleteWebhook(t, d) },
  {
    method: 'POST',
    pattern: /^\/v1\/webhook\/secret$/,
    auth: true,
    run: (_r, _p, t, d) => rotateWebhookSecret(t, d),
  },
];

/** Every API route, one error envelope. Unexpected errors become a 500 without internals. */
export async function route(req: ApiRequest, deps: ApiDeps): Promise<ApiResponse> {
  try {
    const path = req.path.length > 1 ? req.path.replace(/\/+$/, '') : req.path;
    const candidates = routes.filter((r) => r.pattern.test(path));
    if (candidates.length === 0)
      throw new ApiError(404, 'not_found', `no route ${req.method} ${path.slice(0, 100)}`);
    const r = candidates.find((c) => c.method === req.method);
    if (!r) {
      throw new ApiError(405, 'method_not_allowed', `${req.method} is not allowed on ${path.slice(0, 100)}`);
    }
    const params = (r.pattern.exec(path) ?? []).slice(1).map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
    if (!r.auth) {
      parseQuery(req, r.query ?? noQuery);
      return await r.run(req, params, '', deps);
    }
    if (!req.tenantId) throw new ApiError(401, 'unauthorized', 'send Authorization: Bearer <tenant API key>');
    const wait = await deps.tenants.consumeRequest(
      req.tenantId,
      deps.tenantRateLimitPerMinute,
      deps.now?.() ?? new Date(),
    );
    if (wait > 0) {
      throw new ApiError(
        429,
        'throttled',
        `more than ${deps.tenantRateLimitPerMinute} requests this minute`,
        {
          retryAfterSeconds: wait,
        },
      );
    }
    parseQuery(req, r.query ?? noQuery);
    return await r.run(req, params, req.tenantId, deps);
  } catch (e) {
    if (e instanceof ApiError) return errorResponse(e, req.requestId);
    deps.log.error('unhandled error', {
      requestId: req.requestId,
      error: (e as Error).name,
      message: (e as Error).message,
    });
    return errorResponse(internalError(), req.requestId);
  }
}
