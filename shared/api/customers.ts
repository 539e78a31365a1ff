import { createHash, randomUUID } from 'node:crypto';
import * as z from 'zod';
import { parsePrefer } from '../answers/prefer';
import { answerAccepted } from '../answers/respond';
import { connectionIdSchema } from '../connections/connection-id';
import { connectionFingerprint } from '../connections/refused-credentials';
import type { StoredConnection } from '../connections/store';
import { customerSchema, MAX_CUSTOMER_BYTES, type UnifiedCustomer } from '../customer/schema';
import { resolveEndpoint } from '../erps/endpoints';
import type { Environment, ErpAdapter, FieldWarning } from '../erps/types';
import { ApiError, type Issue, issuesFromZod, validationFailed } from '../errors';
import { jobIdForIdempotencyKey, stableHash } from '../jobs/ids';
import type { Job } from '../jobs/model';
import { takeBackSend } from '../jobs/take-back';
import type { JobMessage } from '../queue/message';
import { callbackUrlFromHeader } from '../webhooks/routes';
import type { ApiDeps } from './deps';
import { refuseMisspeltHeaders } from './header-typos';
import { type ApiRequest, type ApiResponse, headerError, json, parseJsonBody } from './http';
import { checkOptions } from './options';
import { parseQuery, queryFlag } from './query';

/** Resolves `x-erp` as Konvex spells it (case-insensitive). */
export function adapterFromHeader(req: ApiRequest, deps: ApiDeps): ErpAdapter<unknown> {
  const name = req.headers['x-erp'];
  if (!name)
    throw headerError('x-erp', 'required', 'the x-erp header names the target ERP, e.g. x-erp: siigo');
  const adapter = deps.adapters.get(name);
  if (!adapter) {
    const known = deps.adapters
      .list()
      .map((a) => a.id)
      .join(', ');
    throw headerError('x-erp', 'unsupported_erp', `unknown ERP "${name.slice(0, 50)}"; supported: ${known}`);
  }
  return adapter;
}

function environmentFromHeader(req: ApiRequest): Environment | undefined {
  const v = req.headers['x-testing'];
  if (v === undefined) return undefined;
  const t = v.trim().toLowerCase();
  if (t === 'true') return 'sandbox';
  if (t === 'false') return 'production';
  throw headerError('x-testing', 'invalid', 'x-testing is true (sandbox) or false (production)');
}

/**
 * Inline Konvex credentials get a stable connection id per ERP, environment and credential set (username and
 * API key), never containing either. The environment is part of it: the same user with `x-testing: false` is
 * another connection, never a sandbox connection re-pinned to production. The key is part of it: a request
 * with a mistyped key gets a connection of its own (which fails on its own), instead of overwriting the
 * stored good key under jobs already queued with it.
 */
function inlineConnectionId(erp: string, environment: Environment, username: string, apikey: string): string {
  const credentialSet = createHash('sha256').update(`${username}\n${apikey}`).digest('hex').slice(0, 16);
  return `inline-${erp}-${environment}-${credentialSet}`;
}

/** Credentials an ERP refused are not sent to it again (Siigo blocks API users whose error ratio passes 80 %). */
function refusedAgain(connectionId: string, since: string | undefined, pointer: string): ApiError {
  const message = `the ERP refused these credentials${since ? ` at ${since}` : ''}; they are not tried again — send new ones`;
  return new ApiError(409, 'connection_needs_reauth', `connection ${connectionId}: ${message}`, {
    details: [{ pointer, code: 'connection_needs_reauth', message }],
  });
}

/** Which credentials the request names, checked from its headers alone (no I/O). */
export type CredentialHeaders =
  | { kind: 'connection'; connectionId: string }
  | { kind: 'inline'; username: string; apikey: string };

function credentialHeaders(req: ApiRequest, adapter: ErpAdapter<unknown>): CredentialHeaders {
  const connHeader = req.headers['x-connection'];
  const username = req.headers.username;
  const apikey = req.headers.apikey;
  if (connHeader !== undefined && (username !== undefined || apikey !== undefined)) {
    throw headerError(
      'x-connection',
      'ambiguous_credentials',
      'send either x-connection or username + apikey, not both',
    );
  }
  if (connHeader !== undefined) {
    const id = connectionIdSchema.safeParse(connHeader);
    if (!id.success)
      throw headerError(
        'x-connection',
        'invalid',
        `not a valid connection id: ${id.error.issues[0]?.message ?? 'see PUT /v1/connections/{id}'}`,
      );
    return { kind: 'connection', connectionId: id.data };
  }
  if (username !== undefined || apikey !== undefined) {
    if (!adapter.fromInlineCredentials) {
      throw headerError(
        'username',
        'inline_credentials_not_supported',
        `${adapter.id} needs a stored connection: PUT /v1/connections/{id}, then send x-connection`,
      );
    }
    if (!username)
      throw headerError('username', 'required', 'inline credentials need both username and apikey');
    if (!apikey) throw headerError('apikey', 'required', 'inline credentials need both username and apikey');
    return { kind: 'inline', username, apikey };
  }
  throw headerError(
    'x-connection',
    'required',
    'send x-connection (a stored connection) or inline username + apikey',
  );
}

/** The 404 for a connection the tenant does not have; `demo-*` names get a pointer to where those live. */
function connectionNotFound(connectionId: string): ApiError {
  const hint = connectionId.startsWith('demo-')
    ? ': the demo-<erp> connections belong to the local demo tenant of `npm start` (its key is in ' +
      '.data/local-api-key); store your own with PUT /v1/connections/{id}'
    : '';
  return headerError(
    'x-connection',
    'connection_not_found',
    `connection ${connectionId} not found${hint}`,
    404,
  );
}

export interface ResolvedConnection {
  connectionId: string;
  environment: Environment;
  /** Credentials, when the route needed to read them (inline or dry run). */
  stored?: StoredConnection;
}

export async function resolveConnection(
  req: ApiRequest,
  tenantId: string,
  adapter: ErpAdapter<unknown>,
  deps: ApiDeps,
  named: CredentialHeaders,
  opts: { store: boolean; needCredentials: boolean },
): Promise<ResolvedConnection> {
  const requested = environmentFromHeader(req);
  if (named.kind === 'connection') {
    const { connectionId } = named;
    const meta = opts.needCredentials
      ? await deps.connections.get(tenantId, connectionId)
      : await deps.connections.getMetadata(tenantId, connectionId);
    if (!meta) {
      const refused = await deps.refusedInline?.get(tenantId, connectionId);
      if (refused) throw refusedAgain(connectionId, refused.refusedAt, '/headers/x-connection');
      throw connectionNotFound(connectionId);
    }
    if (meta.erp !== adapter.id) {
      throw headerError(
        'x-connection',
        'connection_erp_mismatch',
        `connection ${connectionId} is for ${meta.erp}, not ${adapter.id}`,
        422,
      );
    }
    if (meta.status === 'needs_reauth') {
      throw new ApiError(
        409,
        'connection_needs_reauth',
        `connection ${connectionId} needs new credentials: store it again`,
      );
    }
    if (requested && requested !== meta.environment) {
      throw new ApiError(
        409,
        'environment_conflict',
        `connection ${connectionId} is pinned to ${meta.environment}; x-testing asks for ${requested}`,
        {
          details: [
            {
              pointer: '/headers/x-testing',
              code: 'environment_conflict',
              message: `the connection is ${meta.environment}`,
            },
          ],
        },
      );
    }
    return {
      connectionId,
      environment: meta.environment,
      stored: opts.needCredentials ? (meta as StoredConnection) : undefined,
    };
  }
  // Inline Konvex credentials: stored as a connection of the tenant (once per credential set).
  {
    const { username, apikey } = named;
    const creds = adapter.credentialsSchema.safeParse(adapter.fromInlineCredentials?.(username, apikey));
    if (!creds.success)
      throw headerError('apikey', 'invalid', 'the inline credentials are not valid for this ERP');
    const environment = requested ?? 'sandbox';
    const connectionId = inlineConnectionId(adapter.id, environment, username, apikey);
    const now = new Date().toISOString();
    const stored: StoredConnection = {
      tenantId,
      connectionId,
      erp: adapter.id,
      environment,
      inline: true,
      status: 'active',
      credentials: creds.data,
      createdAt: now,
      updatedAt: now,
    };
    // Refused before: answered here, without another call upstream and without storing the secret again.
    const refused = await deps.refusedInline?.get(tenantId, connectionId);
    if (refused && refused.fingerprint === connectionFingerprint(stored, creds.data)) {
      throw refusedAgain(connectionId, refused.refusedAt, '/headers/apikey');
    }
    if (opts.store) {
      const existing = await deps.connections.get(tenantId, connectionId);
      const same = existing && stableHash(existing.credentials) === stableHash(creds.data);
      if (same && existing.status === 'needs_reauth')
        throw refusedAgain(connectionId, undefined, '/headers/apikey');
      if (!same) {
        await deps.connections.put({
          tenantId,
          connectionId,
          erp: adapter.id,
          environment,
          inline: true,
          credentials: creds.data,
        });
        deps.tokens.dropConnection(tenantId, connectionId);
      }
      // New credentials: the marker of the refused ones has done its work.
      if (refused) await deps.refusedInline?.delete(tenantId, connectionId);
    }
    return { connectionId, environment, stored };
  }
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** A body checked against the unified schema and one ERP's requirements: the customer, or every problem. */
export function validateCustomer(
  body: unknown,
  adapter: ErpAdapter<unknown>,
): { customer: UnifiedCustomer; warnings: FieldWarning[] } | { issues: Issue[]; message?: string } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return { issues: [{ pointer: '', code: 'invalid_type', message: 'the body must be a JSON object' }] };
  }
  const parsed = customerSchema.safeParse(body);
  if (!parsed.success) return { issues: issuesFromZod(parsed.error) };
  const erpIssues = adapter.requirements(parsed.data);
  if (erpIssues.length)
    return { issues: erpIssues, message: `the customer does not meet ${adapter.displayName}'s requirements` };
  // Fields this ERP cannot hold: named in the answer (and on the job), never dropped silently (issue 11 §4).
  return { customer: parsed.data, warnings: adapter.warnings?.(parsed.data) ?? [] };
}

/** A new API job for a validated customer (recorded by the caller with a conditional put). */
export function newApiJob(a: {
  adapter: ErpAdapter<unknown>;
  tenantId: string;
  conn: ResolvedConnection;
  customer: UnifiedCustomer;
  warnings?: FieldWarning[];
  idempotencyKey?: string;
  callbackUrl?: string;
  batch?: Job['batch'];
  now: Date;
}): Job {
  const requestHash = stableHash({
    erp: a.adapter.id,
    connectionId: a.conn.connectionId,
    environment: a.conn.environment,
    // The normalized customer, not the raw body: the same name sent composed and decomposed (or a CC with
    // and without dots) is the same request, so an Idempotency-Key replays instead of conflicting.
    body: a.customer,
    // Only when present, so requests without a callback keep the hash they always had.
    ...(a.callbackUrl ? { callbackUrl: a.callbackUrl } : {}),
  });
  const t = a.now.toISOString();
  return {
    jobId: a.idempotencyKey ? jobIdForIdempotencyKey(a.tenantId, a.idempotencyKey) : randomUUID(),
    tenantId: a.tenantId,
    erp: a.adapter.id,
    connectionId: a.conn.connectionId,
    environment: a.conn.environment,
    status: 'queued',
    customer: a.customer,
    requestHash,
    idempotencyKey: a.idempotencyKey,
    callbackUrl: a.callbackUrl,
    source: 'api',
    attempts: 0,
    maxAttempts: a.adapter.worker.maxAttempts,
    history: [{ at: t, event: 'accepted', status: 'queued', actor: 'api' }],
    ...(a.warnings?.length ? { warnings: a.warnings } : {}),
    createdAt: t,
    updatedAt: t,
    ...(a.batch ? { batch: a.batch } : {}),
  };
}

/** The queue message of a recorded job (never a credential). */
export function jobMessageOf(job: Job): JobMessage {
  return {
    version: 1,
    jobId: job.jobId,
    tenantId: job.tenantId,
    connectionId: job.connectionId,
    customer: job.customer as unknown as Record<string, unknown>,
    ...(job.idempotencyKey ? { idempotencyKey: job.idempotencyKey } : {}),
    ...(job.callbackUrl ? { callbackUrl: job.callbackUrl } : {}),
  };
}

/** The 409 of an Idempotency-Key first used for another request (`pointer`: where the key came from). */
export function idempotencyConflict(jobId: string, pointer = '/headers/idempotency-key'): ApiError {
  return new ApiError(409, 'idempotency_conflict', 'this Idempotency-Key was used with a different request', {
    details: [{ pointer, code: 'idempotency_conflict', message: `first used for job ${jobId}` }],
  });
}

/** `?dry_run=true` previews the native request; nothing else is accepted (a typo must not create a customer). */
export const createCustomerQuery = z.strictObject({ dry_run: queryFlag.optional() });

/**
 * The headers a create reads (a single customer or a batch), checked from the headers alone, before the body's
 * content: misspellings, the ERP, the credentials named, the environment and the Idempotency-Key.
 */
export function createHeaders(req: ApiRequest, deps: ApiDeps) {
  // A dropped `Idempotency_Key` would make a retried request a new job.
  refuseMisspeltHeaders(req.headers);
  const adapter = adapterFromHeader(req, deps);
  const named = credentialHeaders(req, adapter);
  environmentFromHeader(req);
  const idempotencyKey = req.headers['idempotency-key'];
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    throw headerError('idempotency-key', 'invalid', 'Idempotency-Key is 1-255 printable ASCII characters');
  }
  return { adapter, named, idempotencyKey };
}

/**
 * POST /v1/customers, and the dry run (POST /v1/customers/dry-run, or ?dry_run=true). Problems are reported in
 * the order a user fixes them: the body's transport (size, content type, JSON), then the headers, then the
 * customer against the schema and the ERP's rules, and only then anything that needs stored state.
 */
export async function createCustomer(
  req: ApiRequest,
  tenantId: string,
  deps: ApiDeps,
  opts: { dryRun?: boolean } = {},
): Promise<ApiResponse> {
  const now = deps.now?.() ?? new Date();
  const body = parseJsonBody(req, MAX_CUSTOMER_BYTES);
  const { adapter, named, idempotencyKey: idemKey } = createHeaders(req, deps);
  const dryRun = opts.dryRun === true || parseQuery(req, createCustomerQuery).dry_run === 'true';
  const prefer = parsePrefer(req.headers.prefer);

  const valid = validateCustomer(body, adapter);
  if ('issues' in valid) throw validationFailed(valid.issues, valid.message);
  const { customer, warnings } = valid;
  const callbackUrl = await callbackUrlFromHeader(req, tenantId, deps);

  const conn = await resolveConnection(req, tenantId, adapter, deps, named, {
    store: !dryRun,
    needCredentials: dryRun,
  });
  const optionProblems = await checkOptions(deps, tenantId, conn.connectionId, adapter, customer);
  if (optionProblems.length)
    throw validationFailed(optionProblems, "a value is not among the connection's options");

  if (dryRun) {
    const stored = conn.stored as StoredConnection;
    const creds = adapter.credentialsSchema.parse(stored.credentials);
    const request = adapter.buildCreateRequest(customer, {
      jobId: '00000000-0000-4000-8000-000000000000',
      endpoint: (name) => resolveEndpoint(adapter, name, conn.environment, deps.env),
      connection: {
        environment: conn.environment,
        credentials: creds,
        tenantId,
        connectionId: conn.connectionId,
      },
    });
    return json(200, {
      dryRun: true,
      erp: adapter.id,
      connectionId: conn.connectionId,
      environment: conn.environment,
      request,
      warnings,
    });
  }

  const job = newApiJob({
    adapter,
    tenantId,
    conn,
    customer,
    warnings,
    idempotencyKey: idemKey,
    callbackUrl,
    now,
  });
  // Recorded with the put (one write): the message is sent right after. A send that fails takes it back below,
  // so the sweeper sees a job never queued.
  job.enqueuedAt = job.createdAt;
  const { jobId, requestHash } = job;

  // The job is recorded before it is queued: a crash in between leaves a job the sweeper re-queues.
  const put = await deps.jobs.create(job);
  let current = put.job;
  const replay = !put.created;
  if (replay && current.requestHash !== requestHash) throw idempotencyConflict(current.jobId);
  // A replay sends again while no worker has taken the job: the first request may have died before its send
  // (its put already says enqueued). A spare copy finds the job busy or final and runs nothing.
  if (put.created || (current.status === 'queued' && !current.messageSeenAt)) {
    try {
      await deps.queue.send(adapter.id, jobMessageOf(current));
    } catch (e) {
      deps.log.error('queueing failed', { jobId, erp: adapter.id, error: (e as Error).name });
      // Taken back (keyed: the sweeper or the client's retry queues it; keyless: retired), unless a worker took
      // the job meanwhile: then the send reached SQS and its answer was lost, and the job is answered as sent.
      const taken = await takeBackSend(deps.jobs, current, new Date());
      if (!taken) {
        throw new ApiError(
          503,
          'queue_unavailable',
          'the job could not be queued; retry the request (with the same Idempotency-Key)',
          {
            retryable: true,
            retryAfterSeconds: 1,
          },
        );
      }
      current = taken;
    }
    if (!current.enqueuedAt) {
      current = (await deps.jobs.update(current, { enqueuedAt: new Date().toISOString() })) ?? current;
    }
  }
  return answerAccepted(
    req,
    current,
    prefer,
    deps,
    (j, h) => acceptedResponse(j, h, adapter),
    replay ? { 'idempotent-replayed': 'true' } : {},
  );
}

/** The 202 of an accepted job (also the answer when a `Prefer: wait` runs out). */
export function acceptedResponse(
  job: Job,
  headers: Record<string, string> = {},
  adapter?: ErpAdapter<unknown>,
): ApiResponse {
  return json(
    202,
    {
      jobId: job.jobId,
      status: job.status,
      erp: job.erp,
      connectionId: job.connectionId,
      environment: job.environment,
      // A replay answers with what the first request was told (the same customer gives the same warnings).
      warnings: job.warnings ?? adapter?.warnings?.(job.customer) ?? [],
      links: { self: `/v1/jobs/${job.jobId}` },
    },
    { location: `/v1/jobs/${job.jobId}`, ...headers },
  );
}
