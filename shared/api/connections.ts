import * as z from 'zod';
import { connectionIdSchema } from '../connections/connection-id';
import { storeConnection } from '../connections/store-verified';
import { ERP_IDS, type FailureOutcome } from '../erps/types';
import { ApiError, issuesFromZod, toPointer, validationFailed } from '../errors';
import { CONNECTION_LIMITS_MAX, CONNECTION_LIMITS_MIN_PER_SECONDS } from '../pacing/limits';
import type { ApiDeps } from './deps';
import { type ApiRequest, type ApiResponse, json, notFound, parseJsonBody } from './http';
import { parseQuery, queryFlag } from './query';

/** A connection's own limits (shared/pacing/limits.ts; the sweeper checks them back with isConnectionLimits). */
export const connectionLimitsBody = z.strictObject({
  requests: z.number().int().positive().max(CONNECTION_LIMITS_MAX.requests),
  perSeconds: z.number().min(CONNECTION_LIMITS_MIN_PER_SECONDS).max(CONNECTION_LIMITS_MAX.perSeconds),
  concurrency: z.number().int().positive().max(CONNECTION_LIMITS_MAX.concurrency).optional(),
});

export const putBody = z.strictObject({
  erp: z
    .string()
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.enum(ERP_IDS)),
  environment: z.enum(['sandbox', 'production']),
  credentials: z.record(z.string(), z.unknown()),
  /** Overrides the ERP's documented limits for this connection (e.g. a plan with a higher quota). */
  limits: connectionLimitsBody.optional(),
});

/** `?verify=true` proves the credentials upstream before storing them. */
export const putConnectionQuery = z.strictObject({ verify: queryFlag.optional() });

export function checkConnectionId(id: string): string {
  const r = connectionIdSchema.safeParse(id);
  if (!r.success)
    throw validationFailed([
      { pointer: '/path/connectionId', code: 'invalid', message: r.error.issues[0]?.message ?? 'invalid' },
    ]);
  return r.data;
}

/** An upstream refusal while storing a connection (or reading its options), as the error envelope. */
export function upstreamFailure(outcome: FailureOutcome, what = 'verify the credentials'): ApiError {
  if (outcome.kind === 'transient' || outcome.kind === 'unknown' || outcome.kind === 'rate_limited') {
    return new ApiError(503, 'upstream_unavailable', `the ERP could not be reached to ${what}; try again`, {
      upstream: outcome.upstream,
      retryable: true,
      retryAfterSeconds: outcome.retryAfterMs ? Math.ceil(outcome.retryAfterMs / 1000) : 5,
    });
  }
  return new ApiError(422, 'credentials_rejected', 'the ERP did not accept these credentials', {
    upstream: outcome.upstream,
    details: [{ pointer: '/credentials', code: 'rejected', message: outcome.upstream.message }],
  });
}

/** PUT /v1/connections/{id}[?verify=true] */
export async function putConnection(
  req: ApiRequest,
  rawId: string,
  tenantId: string,
  deps: ApiDeps,
): Promise<ApiResponse> {
  const connectionId = checkConnectionId(rawId);
  const body = putBody.safeParse(parseJsonBody(req, 16 * 1024));
  if (!body.success) throw validationFailed(issuesFromZod(body.error));
  const adapter = deps.adapters.get(body.data.erp);
  if (!adapter) {
    throw validationFailed([
      { pointer: '/erp', code: 'unsupported_erp', message: `${body.data.erp} is not available yet` },
    ]);
  }
  if (!adapter.capabilities.environments.includes(body.data.environment)) {
    throw validationFailed([
      {
        pointer: '/environment',
        code: 'unsupported',
        message: `${adapter.id} has no ${body.data.environment} environment`,
      },
    ]);
  }
  const creds = adapter.credentialsSchema.safeParse(body.data.credentials);
  if (!creds.success)
    throw validationFailed(
      issuesFromZod(creds.error, toPointer(['credentials'])),
      'the credentials are not valid',
    );
  const verify = parseQuery(req, putConnectionQuery).verify === 'true';

  const stored = await storeConnection(
    {
      http: deps.http,
      tokens: deps.tokens,
      locks: deps.locks,
      blocks: deps.blocks,
      env: deps.env,
      apps: deps.apps,
      connections: deps.connections,
      options: deps.options?.store,
    },
    {
      tenantId,
      connectionId,
      adapter,
      environment: body.data.environment,
      credentials: creds.data,
      limits: body.data.limits,
      verify,
    },
  );
  if (stored.kind === 'refused') throw upstreamFailure(stored.outcome);
  return json(
    stored.existed ? 200 : 201,
    { ...stored.meta, verified: stored.verified },
    { location: `/v1/connections/${connectionId}` },
  );
}

export async function getConnection(rawId: string, tenantId: string, deps: ApiDeps): Promise<ApiResponse> {
  const meta = await deps.connections.getMetadata(tenantId, checkConnectionId(rawId));
  if (!meta) throw notFound(`connection ${rawId}`);
  return json(200, meta);
}

export async function listConnections(tenantId: string, deps: ApiDeps): Promise<ApiResponse> {
  return json(200, { items: await deps.connections.list(tenantId) });
}

export async function deleteConnection(rawId: string, tenantId: string, deps: ApiDeps): Promise<ApiResponse> {
  const id = checkConnectionId(rawId);
  if (!(await deps.connections.getMetadata(tenantId, id))) throw notFound(`connection ${rawId}`);
  await deps.connections.delete(tenantId, id);
  await deps.options?.store.delete(tenantId, id);
  deps.tokens.dropConnection(tenantId, id);
  return { status: 204, headers: {}, body: '' };
}
