import { randomBytes, randomUUID } from 'node:crypto';
import type { ConnectionMetadata } from '../connections/store';
import type { ErpAdapter, ErpId } from '../erps/types';
import { ApiError, type Issue, validationFailed } from '../errors';
import { callbackUrlIssue, type UrlPolicy } from '../webhooks/url-policy';
import {
  type ConnectSession,
  type ConnectSessionStore,
  hashSecret,
  newSecret,
  type SessionReason,
} from './session';
import type { CreateSessionInput } from './session-body';

export interface CreateSessionDeps {
  sessions: ConnectSessionStore;
  connections: {
    getMetadata(tenantId: string, connectionId: string): Promise<ConnectionMetadata | undefined>;
  };
  adapters: { get(name: string): ErpAdapter<unknown> | undefined; list(): ErpAdapter<unknown>[] };
  /** The URL rules of webhooks, applied to `returnUrl` (no open redirect, no private host). */
  policy: UrlPolicy;
  now?: () => Date;
}

/** The page's address for a session: `<base>/connect/<id>?token=<token>` (the only place the token appears). */
export function sessionUrl(baseUrl: string, id: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/connect/${id}?token=${token}`;
}

/** A connection id for a new connection made on the page: `cs-` and 12 random URL-safe characters. */
const newConnectionId = () => `cs-${randomBytes(9).toString('base64url')}`;

const connectable = (a: ErpAdapter<unknown>) => !!(a.connect?.form || a.connect?.oauth);

/**
 * Validates a session request and stores the session. A reconnect (`connectionId`) must name one of the tenant's
 * connections; the page then offers only its ERP, in its environment. Answers the session and its link.
 */
export async function createConnectSession(
  deps: CreateSessionDeps,
  tenantId: string,
  input: CreateSessionInput,
  baseUrl: string,
  reason?: SessionReason,
): Promise<{ session: ConnectSession; url: string }> {
  const issues: Issue[] = [];
  if (input.returnUrl !== undefined) {
    const issue = callbackUrlIssue(input.returnUrl, deps.policy, '/returnUrl');
    if (issue) issues.push({ ...issue, code: 'invalid_return_url' });
  }
  for (const [i, erp] of (input.allowedErps ?? []).entries()) {
    const a = deps.adapters.get(erp);
    if (!a || !connectable(a)) {
      issues.push({
        pointer: `/allowedErps/${i}`,
        code: 'unsupported_erp',
        message: `${erp} cannot be connected here`,
      });
    }
  }
  let target: ConnectionMetadata | undefined;
  if (input.connectionId !== undefined) {
    target = await deps.connections.getMetadata(tenantId, input.connectionId);
    if (!target) {
      issues.push({
        pointer: '/connectionId',
        code: 'connection_not_found',
        message: `connection ${input.connectionId} does not exist; leave connectionId out to make a new one`,
      });
    } else {
      if (input.allowedErps && !input.allowedErps.includes(target.erp)) {
        issues.push({
          pointer: '/allowedErps',
          code: 'connection_erp_mismatch',
          message: `connection ${target.connectionId} is a ${target.erp} connection`,
        });
      }
      if (input.environment && input.environment !== target.environment) {
        issues.push({
          pointer: '/environment',
          code: 'environment_conflict',
          message: `connection ${target.connectionId} is ${target.environment}`,
        });
      }
    }
  }
  if (issues.length) throw validationFailed(issues, 'the connect session request is not valid');

  const now = deps.now?.() ?? new Date();
  const allowed: ErpId[] = target
    ? [target.erp]
    : [
        ...new Set(
          input.allowedErps ??
            deps.adapters
              .list()
              .filter(connectable)
              .map((a) => a.id),
        ),
      ];
  const token = newSecret();
  const session: ConnectSession = {
    id: randomUUID(),
    tenantId,
    status: 'pending',
    endUser: input.endUser,
    allowedErps: allowed,
    connectionId: target?.connectionId ?? newConnectionId(),
    reconnect: !!target,
    environment: target?.environment ?? input.environment ?? 'production',
    ...(input.returnUrl ? { returnUrl: input.returnUrl } : {}),
    ...(input.locale ? { locale: input.locale } : {}),
    ...(reason ? { reason } : {}),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + input.expiresIn * 1000).toISOString(),
    tokenHash: hashSecret(token),
    attempts: 0,
    version: 1,
  };
  await deps.sessions.create(session);
  return { session, url: sessionUrl(baseUrl, session.id, token) };
}

/** The sessions port, or a 503 where connect sessions are not wired (a stack without them). */
export function requireSessions<T>(value: T | undefined): T {
  if (!value) throw new ApiError(503, 'connect_unavailable', 'connect sessions are not configured here');
  return value;
}
