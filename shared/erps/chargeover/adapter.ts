import type { UnifiedCustomer } from '../../customer/schema';
import { currencyByIdWarnings, foreignCityCodeWarnings } from '../geo-currency';
import { outcomeFromNetworkError } from '../outcome';
import type { AdapterContext, ErpAdapter, NativeRequest, RequestContext } from '../types';
import { mergeWarnings } from '../warnings';
import { baseUrl, send } from './client';
import { type ChargeOverCredentials, chargeoverCredentialsSchema } from './credentials';
import { CHARGEOVER_ENDPOINTS } from './endpoints';
import { externalKeyFor } from './external-key';
import { CHARGEOVER_CATALOG } from './fields';
import { toChargeOverCustomer } from './mapper';
import { chargeoverNotHeld } from './not-held';
import { createOutcome, failureFromResponse, lookupOutcome } from './outcomes';
import { chargeoverRequirements } from './requirements';
import { ERP } from './responses';

/** `where` values separate conditions with commas; a literal comma is escaped as `\,` (as the official SDK does). */
function whereEquals(field: string, value: string): string {
  return `${field}:EQUALS:${value.replace(/,/g, '\\,')}`;
}

/** Reads never create anything, so a lost answer is simply worth retrying. */
function readFailure(err: unknown) {
  const o = outcomeFromNetworkError(ERP, err);
  return o.kind === 'unknown' ? { ...o, kind: 'transient' as const } : o;
}

function buildCreateRequest(
  customer: UnifiedCustomer,
  ctx: RequestContext<ChargeOverCredentials>,
): NativeRequest {
  return {
    method: 'POST',
    url: `${baseUrl(ctx, ctx.connection.credentials)}/customer`,
    headers: { 'Content-Type': 'application/json' },
    body: toChargeOverCustomer(customer, externalKeyFor(customer, ctx.jobId)),
  };
}

export const chargeoverAdapter: ErpAdapter<ChargeOverCredentials> = {
  id: 'chargeover',
  displayName: 'ChargeOver',
  credentialsSchema: chargeoverCredentialsSchema,
  // The connect page's form is rendered from the same schema the API checks.
  connect: { form: chargeoverCredentialsSchema },
  companyOf: (c) => c.instance,
  schemaHints: {
    erpFields: CHARGEOVER_CATALOG,
    notes: { '/externalId': 'sent as external_key, the look-up key' },
  },
  capabilities: {
    upstreamIdempotency: 'external_key',
    // externalId, or `erpb-<jobId>` when the caller gives none.
    lookupBy: ['externalId'],
    environments: ['sandbox', 'production'],
    inlineCredentials: false,
    rateLimit: {
      requests: 60,
      perSeconds: 60,
      scope: 'instance',
      note: 'UNVERIFIED: ChargeOver documents 429 Too Many Requests but publishes no numbers; 60/min is a conservative assumption',
    },
  },
  worker: {
    maxAttempts: 8,
    timeoutMs: 20_000,
    baseDelayMs: 2_000,
    maxDelayMs: 300_000,
    // An unpublished per-instance limit: keep the pressure low.
    maxConcurrency: 2,
    batchSize: 1,
  },
  endpoints: CHARGEOVER_ENDPOINTS,
  requirements: chargeoverRequirements,
  warnings: (c) =>
    mergeWarnings(
      currencyByIdWarnings(c, 'currency_id'),
      foreignCityCodeWarnings(c, 'ChargeOver'),
      chargeoverNotHeld(c),
    ),
  buildCreateRequest,

  async create(customer, ctx) {
    try {
      // Exactly the dry-run request, with the credentials of this send (they may have been reloaded after a 401).
      const res = await send(ctx, (creds) =>
        buildCreateRequest(customer, { ...ctx, connection: { ...ctx.connection, credentials: creds } }),
      );
      return createOutcome(res, customer, ctx.now());
    } catch (err) {
      return outcomeFromNetworkError(ERP, err);
    }
  },

  async lookup(customer, ctx) {
    const key = externalKeyFor(customer, ctx.jobId);
    const sent = toChargeOverCustomer(customer, key);
    const query = new URLSearchParams({ where: whereEquals('external_key', key) });
    try {
      const res = await send(ctx, (creds) => ({
        method: 'GET',
        url: `${baseUrl(ctx, creds)}/customer?${query}`,
      }));
      return lookupOutcome(res, sent, ctx.now());
    } catch (err) {
      return readFailure(err);
    }
  },

  async verify(ctx: AdapterContext<ChargeOverCredentials>) {
    try {
      const res = await send(ctx, (creds) => ({
        method: 'GET',
        url: `${baseUrl(ctx, creds)}/customer?limit=1`,
      }));
      if (res.status === 200) {
        return {
          kind: 'ok',
          detail: `REST API reachable on instance ${ctx.connection.credentials.instance}`,
        };
      }
      return failureFromResponse(res, false, ctx.now());
    } catch (err) {
      return readFailure(err);
    }
  },
};
