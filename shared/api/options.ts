import * as z from 'zod';
import type { UnifiedCustomer } from '../customer/schema';
import { adapterContext } from '../erps/context';
import { UpstreamRedactor } from '../erps/redaction';
import type { ErpAdapter, OptionsOutcome } from '../erps/types';
import { ApiError, type Issue } from '../errors';
import { connectionOptions, type OptionsStore, optionIssues, setsAnyOf } from '../options/model';
import { passGate } from '../pacing/gate';
import { effectiveLimits, paceKey } from '../pacing/limits';
import type { Pacer } from '../pacing/pacer';
import { checkConnectionId, upstreamFailure } from './connections';
import type { ApiDeps } from './deps';
import { type ApiRequest, type ApiResponse, json, notFound } from './http';
import { parseQuery, queryFlag } from './query';

/** The options cache and the pacer its fetches go through (the workers' own, so the ERP sees one budget). */
export interface OptionsDeps {
  store: OptionsStore;
  pacer?: Pacer;
}

/** How long a fetch may wait inline for its pacing slot before answering 503 with Retry-After. */
const MAX_INLINE_PACE_MS = 8_000;

export const optionsQuery = z.strictObject({ refresh: queryFlag.optional() });

/**
 * Accept-time check for a single create or dry run: the cached options, read only when the customer sets one of the
 * adapter's option pointers, and never fetched here (a cold cache checks nothing).
 */
export async function checkOptions(
  deps: ApiDeps,
  tenantId: string,
  connectionId: string,
  adapter: ErpAdapter<unknown>,
  customer: UnifiedCustomer,
): Promise<Issue[]> {
  const spec = adapter.options;
  if (!spec || !deps.options || !setsAnyOf(customer, spec.pointers)) return [];
  return optionIssues(await deps.options.store.get(tenantId, connectionId), customer);
}

/** The same check for many customers of one connection (a batch): one cache read. */
export async function optionIssuesFor(
  deps: ApiDeps,
  tenantId: string,
  connectionId: string,
  adapter: ErpAdapter<unknown>,
): Promise<(customer: UnifiedCustomer) => Issue[]> {
  if (!adapter.options || !deps.options) return () => [];
  const cached = await deps.options.store.get(tenantId, connectionId);
  return (customer) => optionIssues(cached, customer);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * GET /v1/connections/{id}/options[?refresh=true] (issue 16 §2): per field pointer, the values the tenant's ERP
 * has (customer types, subsidiaries, sellers…), read with the connection's credentials through the pacer, cached
 * an hour. `ETag` + `If-None-Match` → 304.
 */
export async function getConnectionOptions(
  req: ApiRequest,
  rawId: string,
  tenantId: string,
  deps: ApiDeps,
): Promise<ApiResponse> {
  const connectionId = checkConnectionId(rawId);
  const q = parseQuery(req, optionsQuery);
  const store = deps.options?.store;
  if (!store)
    throw new ApiError(503, 'upstream_unavailable', 'options are not available here', { retryable: true });
  const conn = await deps.connections.get(tenantId, connectionId);
  if (!conn) throw notFound(`connection ${connectionId}`);
  if (conn.status === 'needs_reauth') {
    throw new ApiError(
      409,
      'connection_needs_reauth',
      `connection ${connectionId} needs new credentials: store it again`,
    );
  }
  const adapter = deps.adapters.get(conn.erp);
  if (!adapter) throw notFound(`connection ${connectionId}`);
  const now = deps.now?.() ?? new Date();
  let options = q.refresh === 'true' ? undefined : await store.get(tenantId, connectionId);
  if (options && Date.parse(options.expiresAt) <= now.getTime()) options = undefined;
  if (!options) {
    const fields = adapter.options ? await fetchOptions(adapter, conn, deps) : [];
    options = connectionOptions(adapter.id, connectionId, fields, now);
    await store.put(tenantId, options);
  }
  const maxAge = Math.max(0, Math.floor((Date.parse(options.expiresAt) - now.getTime()) / 1000));
  const headers = { etag: options.etag, 'cache-control': `private, max-age=${maxAge}` };
  // RFC 9110 §13.1.2: weak comparison, a list of tags, or *.
  const tags = (req.headers['if-none-match'] ?? '').split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (tags.includes(options.etag) || tags.includes('*')) {
    return { status: 304, headers, body: '' };
  }
  return json(200, options, headers);
}

/** One fetch: the connection's pacing slot (waited for inline up to 8 s), then the adapter's list calls. */
async function fetchOptions(
  adapter: ErpAdapter<unknown>,
  conn: NonNullable<Awaited<ReturnType<ApiDeps['connections']['get']>>>,
  deps: ApiDeps,
) {
  const spec = adapter.options as NonNullable<ErpAdapter<unknown>['options']>;
  const creds = adapter.credentialsSchema.safeParse(conn.credentials);
  if (!creds.success) {
    throw new ApiError(
      409,
      'connection_needs_reauth',
      `stored credentials of ${conn.connectionId} do not fit ${adapter.id}`,
    );
  }
  // The one redaction pass (shared/erps/redaction.ts) over what the ERP answers: its lists can name the API user
  // itself (Siigo's /v1/users holds the integration user, whose username is a credential) and its errors echo.
  const redactor = new UpstreamRedactor();
  const ctx = adapterContext(adapter, conn, creds.data, `options:${conn.connectionId}`, {
    http: deps.http,
    tokens: deps.tokens,
    locks: deps.locks,
    blocks: deps.blocks,
    connections: deps.connections,
    env: deps.env,
    redactor,
  });
  const pacer = deps.options?.pacer;
  let lease: { release(): Promise<void> } | undefined;
  if (pacer) {
    let held: number | undefined;
    for (let round = 0; ; round++) {
      const gate = await passGate({
        pacer,
        key: paceKey(adapter.id, conn.tenantId, conn.connectionId),
        limits: effectiveLimits(adapter.capabilities.rateLimit, conn.environment, conn.limits),
        cost: spec.requests,
        heldSlotMs: held,
        leaseTtlMs: 60_000,
        now: Date.now,
      });
      if (gate.kind === 'go') {
        lease = gate.lease;
        break;
      }
      const waitMs = gate.untilMs - Date.now();
      if (waitMs > MAX_INLINE_PACE_MS || round >= 3) {
        throw new ApiError(
          503,
          'upstream_unavailable',
          `the ERP's request budget for this connection is in use: ${gate.reason}`,
          {
            retryable: true,
            retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
          },
        );
      }
      held = gate.slotHeld ? gate.untilMs : undefined;
      await sleep(Math.max(0, waitMs));
    }
  }
  let outcome: OptionsOutcome;
  try {
    outcome = redactor.outcome(await spec.fetch(ctx));
  } catch (e) {
    // An adapter that throws must not carry a credential into the router's log either.
    throw new Error(redactor.text((e as Error).message ?? ''));
  } finally {
    await lease?.release().catch(() => undefined);
  }
  if (outcome.kind !== 'ok') throw upstreamFailure(outcome, 'read the options');
  // A value or label that was (or held) a credential is masked; a value masked so is not one to offer.
  return outcome.fields.map((f) => ({ ...f, values: f.values.filter((v) => !v.value.includes('***')) }));
}
