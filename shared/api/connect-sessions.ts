import * as z from 'zod';
import { createConnectSession, requireSessions } from '../connect/create';
import { publicSession } from '../connect/session';
import { createSessionBody } from '../connect/session-body';
import { issuesFromZod, validationFailed } from '../errors';
import type { ApiDeps } from './deps';
import { type ApiRequest, type ApiResponse, json, notFound, parseJsonBody } from './http';

export const sessionIdSchema = z.uuid();

/**
 * Where the connect page is served: PUBLIC_BASE_URL (the stage's public domain, the local stack's address), else
 * the host this request came to (API Gateway answers on https only).
 */
export function publicBaseUrl(req: ApiRequest, env: Record<string, string | undefined> | undefined): string {
  const configured = env?.PUBLIC_BASE_URL?.trim();
  if (configured) return configured.replace(/\/+$/, '');
  return `https://${req.headers.host ?? 'localhost'}`;
}

/** POST /v1/connect-sessions → 201 {id, url, expiresAt}: the only answer that carries the link's token. */
export async function postConnectSession(
  req: ApiRequest,
  tenantId: string,
  deps: ApiDeps,
): Promise<ApiResponse> {
  const sessions = requireSessions(deps.connectSessions);
  const body = createSessionBody.safeParse(parseJsonBody(req, 8 * 1024));
  if (!body.success) throw validationFailed(issuesFromZod(body.error));
  const { session, url } = await createConnectSession(
    {
      sessions,
      connections: deps.connections,
      adapters: deps.adapters,
      policy: deps.webhooks?.policy ?? { allowLoopback: false },
      now: deps.now,
    },
    tenantId,
    body.data,
    publicBaseUrl(req, deps.env ?? process.env),
  );
  deps.log.info('connect session created', { tenantId, sessionId: session.id, reconnect: session.reconnect });
  return json(
    201,
    { id: session.id, url, expiresAt: session.expiresAt, status: 'pending' },
    { location: `/v1/connect-sessions/${session.id}` },
  );
}

/** GET /v1/connect-sessions/{id}: another tenant's session is not found, like everything else. */
export async function getConnectSession(
  rawId: string,
  tenantId: string,
  deps: ApiDeps,
): Promise<ApiResponse> {
  const sessions = requireSessions(deps.connectSessions);
  const s = sessionIdSchema.safeParse(rawId).success ? await sessions.get(rawId) : undefined;
  if (!s || s.tenantId !== tenantId) throw notFound(`connect session ${rawId.slice(0, 64)}`);
  return json(200, publicSession(s, deps.now?.() ?? new Date()));
}
