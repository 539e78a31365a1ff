import type { UnifiedCustomer } from '../../customer/schema';
import { currencyByIdWarnings, foreignCityCodeWarnings } from '../geo-currency';
import type {
  AdapterContext,
  CreateOutcome,
  ErpAdapter,
  NativeRequest,
  RequestContext,
  VerifyOutcome,
} from '../types';
import { mergeWarnings } from '../warnings';
import {
  baseUrl,
  codeFor,
  companyUrl,
  connectionFailure,
  genericFailure,
  isFailure,
  sageCall,
  upstreamError,
} from './client';
import { type SageCredentials, sageCredentialsSchema, secretsOf } from './credentials';
import { issuesFromSageError, looksLikeDuplicate, parseSageError, redact } from './errors';
import { SAGE_CATALOG } from './fields';
import { customerIdOf, findByLookupKey } from './lookup';
import { LOOKUP_FIELD, lookupKeyOf } from './lookup-key';
import { toSageCustomer } from './mapper';
import { sageNotHeld } from './not-held';
import { sageRequirements } from './requirements';

const ERP = 'sage';

/** The create request and, per native field, the unified pointer it came from (to place Sage's messages). */
function prepare(customer: UnifiedCustomer, ctx: RequestContext<SageCredentials>) {
  const { body, sources } = toSageCustomer(customer, lookupKeyOf(customer, ctx.jobId));
  const request: NativeRequest = {
    method: 'POST',
    // Without `apikey`: it is a credential, added to the query only when sending (client.ts).
    url: companyUrl(ctx, 'Customer/Save'),
    headers: { 'Content-Type': 'application/json' },
    body,
  };
  return { request, sources };
}

async function create(
  customer: UnifiedCustomer,
  ctx: AdapterContext<SageCredentials>,
): Promise<CreateOutcome> {
  const c = ctx.connection.credentials;
  const { request, sources } = prepare(customer, ctx);
  const body = request.body as Record<string, unknown>;

  // Sage has no uniqueness rule; an externalId already stored in TextField1 is this customer, created before
  // (or, holding another tax reference, someone else's: a conflict, never a twin under the same key).
  if (customer.externalId) {
    const existing = await findByLookupKey(ctx, customer.externalId, body);
    if (existing.kind === 'found' || existing.kind === 'conflict') {
      const id = existing.kind === 'found' ? existing.erpCustomerId : existing.existingId;
      return {
        kind: 'duplicate',
        resolved: existing,
        upstream: {
          erp: ERP,
          code: 'external_id_exists',
          message: `Sage customer ${id} already has ${LOOKUP_FIELD} = externalId ${customer.externalId}`,
        },
      };
    }
    if (existing.kind !== 'not_found') return existing;
  }

  const res = await sageCall(ctx, request, true);
  if (isFailure(res)) return res;
  if (res.status >= 200 && res.status < 300) {
    const id = customerIdOf(res.json);
    if (id) return { kind: 'created', erpCustomerId: id };
    // Saved, presumably, but the ID is not readable: let the worker find it by its key.
    return {
      kind: 'unknown',
      upstream: {
        erp: ERP,
        status: res.status,
        code: 'no_id',
        message: 'Customer/Save answered without an ID',
      },
    };
  }
  if (res.status === 400) {
    const err = parseSageError(res.json, res.text);
    const message = redact(err.message, secretsOf(c)).slice(0, 1000);
    if (looksLikeDuplicate(message)) {
      return { kind: 'duplicate', upstream: { erp: ERP, status: 400, code: 'duplicate', message } };
    }
    const details = issuesFromSageError(err, sources).map((i) => ({
      ...i,
      message: redact(i.message, secretsOf(c)),
    }));
    return {
      kind: 'invalid',
      upstream: { erp: ERP, status: 400, code: codeFor(400), message },
      ...(details.length ? { details } : {}),
    };
  }
  return genericFailure(res, c, true);
}

/** Company/Get lists the companies this key + login may use; the connection's company must be among them. */
async function verify(ctx: AdapterContext<SageCredentials>): Promise<VerifyOutcome> {
  const c = ctx.connection.credentials;
  const res = await sageCall(ctx, { method: 'GET', url: `${baseUrl(ctx)}/Company/Get` }, false);
  if (isFailure(res)) return res;
  if (res.status < 200 || res.status >= 300) return genericFailure(res, c, false);
  const results = (res.json as { Results?: unknown } | undefined)?.Results;
  const company = Array.isArray(results)
    ? (results as Record<string, unknown>[]).find((r) => Number(r?.ID) === c.companyId)
    : undefined;
  if (!company) {
    const fake = {
      ...res,
      status: 404,
      json: { Message: 'the company is not among those this login can use' },
    };
    return (
      connectionFailure(fake, c) ?? { kind: 'auth', upstream: upstreamError(fake, 'company_not_found', c) }
    );
  }
  return { kind: 'ok', detail: `company ${c.companyId} (${String(company.Name ?? 'unnamed')})` };
}

export const sageAdapter: ErpAdapter<SageCredentials> = {
  id: 'sage',
  displayName: 'Sage Business Cloud Accounting (South Africa)',
  credentialsSchema: sageCredentialsSchema,
  // The connect page's form is rendered from the same schema the API checks.
  connect: { form: sageCredentialsSchema },
  companyOf: (c) => `${c.regionHost}/${c.companyId}`,
  schemaHints: {
    erpFields: SAGE_CATALOG,
    notes: { '/externalId': 'kept in TextField1, the OData look-up key' },
  },
  capabilities: {
    upstreamIdempotency: 'lookup',
    // TextField1 holds externalId, or a key derived from the job id when the caller gives none.
    lookupBy: ['externalId', 'jobId'],
    // Sage has no sandbox: a trial company stands in for one, on the same hosts.
    environments: ['sandbox', 'production'],
    inlineCredentials: false,
    rateLimit: {
      requests: 100,
      perSeconds: 60,
      scope: 'company',
      note:
        'Exceeding it blocks API key + company + user for 1 hour (calls while blocked extend it); ' +
        '5,000/day per company (not enforced); 20 failed logins/hour block the user for 24 hours',
    },
  },
  worker: {
    maxAttempts: 8,
    timeoutMs: 30_000,
    baseDelayMs: 5_000,
    maxDelayMs: 15 * 60_000,
    // 100 requests/min per company, and a blocked company stays blocked for an hour: go slowly.
    maxConcurrency: 2,
    batchSize: 1,
  },
  endpoints: {
    // `{host}` is the connection's regionHost; SAGE_BASE_URL replaces the whole base.
    api: {
      env: 'SAGE_BASE_URL',
      production: 'https://{host}/api/2.0.0',
      sandbox: 'https://{host}/api/2.0.0',
    },
  },
  requirements: sageRequirements,
  warnings: (c) =>
    mergeWarnings(currencyByIdWarnings(c, 'CurrencyId'), foreignCityCodeWarnings(c, 'Sage'), sageNotHeld(c)),
  buildCreateRequest: (customer, ctx) => prepare(customer, ctx).request,
  create,
  lookup: (customer, ctx) =>
    findByLookupKey(
      ctx,
      lookupKeyOf(customer, ctx.jobId),
      prepare(customer, ctx).request.body as Record<string, unknown>,
    ),
  verify,
};
