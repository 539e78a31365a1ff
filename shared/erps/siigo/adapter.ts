import { ID_TYPES } from '../../customer/codes';
import type { UnifiedCustomer } from '../../customer/schema';
import { currencyNotHeldWarnings, secondAddressWarnings } from '../geo-currency';
import { judgeHit } from '../identity';
import type { ErpAdapter, LookupOutcome, NativeRequest, RequestContext } from '../types';
import { mergeWarnings } from '../warnings';
import { baseUrl, freshToken, siigoCall, siigoHeaders } from './client';
import { siigoBranchOffice, siigoIdentification, siigoIdType } from './codes';
import {
  partnerIdProblem,
  type SiigoCredentials,
  siigoCredentialsSchema,
  siigoFromInlineCredentials,
} from './credentials';
import { ERP, failureFromResponse, isAlreadyExists, parseSiigoErrors, upstreamError } from './errors';
import { SIIGO_CATALOG } from './fields';
import { toSiigoCustomer } from './mapper';
import { siigoNotHeld } from './not-held';
import { siigoRequirements } from './requirements';
import { SIIGO_LIMITS } from './rules';

function buildCreateRequest(customer: UnifiedCustomer, ctx: RequestContext<SiigoCredentials>): NativeRequest {
  return {
    method: 'POST',
    url: `${baseUrl(ctx)}/v1/customers`,
    headers: siigoHeaders(),
    body: toSiigoCustomer(customer),
  };
}

interface CustomerOut {
  id?: unknown;
  identification?: unknown;
  branch_office?: unknown;
  contacts?: { email?: unknown }[];
}

export const siigoAdapter: ErpAdapter<SiigoCredentials> = {
  id: 'siigo',
  displayName: 'Siigo Nube',
  credentialsSchema: siigoCredentialsSchema,
  // The connect page's form is rendered from the same schema the API checks.
  connect: { form: siigoCredentialsSchema },
  fromInlineCredentials: siigoFromInlineCredentials,
  schemaHints: {
    erpFields: SIIGO_CATALOG,
    // stateCode is taken from the DANE cityCode when absent, so only the city code is required.
    required: ['/identification', '/billingAddress/cityCode'],
    maxLength: {
      '/name/company': SIIGO_LIMITS.name,
      '/name/first': SIIGO_LIMITS.name,
      '/email': SIIGO_LIMITS.contactEmail,
    },
    codes: {
      '/identification/type': Object.fromEntries(
        ID_TYPES.map((t) => [t, siigoIdType({ type: t, number: '0' }, 'company')]),
      ),
    },
    notes: {
      '/billingAddress/cityCode':
        'DANE municipality code (5 digits), within /billingAddress/stateCode (taken from the city when absent)',
      '/billingAddress/stateCode':
        'Colombia: DANE department code (2 digits); outside Colombia send Siigo’s own codes as erpFields.address',
      '/name/company': 'letters, digits, spaces and .@-%_;()[]#?¡/:{}*+,$" only (no & or \')',
    },
  },
  capabilities: {
    // No Idempotency-Key for customers: (identification, branch_office) is unique, so look up before re-creating.
    upstreamIdempotency: 'lookup',
    lookupBy: ['identification.number', 'branchOffice'],
    environments: ['sandbox', 'production'],
    inlineCredentials: true,
    rateLimit: {
      requests: 100,
      perSeconds: 60,
      sandboxRequests: 10,
      scope: 'company',
      note: 'The test company (sandbox) allows 10 requests per minute; /auth counts too.',
    },
  },
  worker: {
    maxAttempts: 8,
    // Siigo advises waiting 120 s, mostly for invoices; a customer create averages under 2 s. A timed-out
    // create is not lost (outcome_unknown → look-up first), so 30 s keeps Lambdas short and retries cheap.
    timeoutMs: 30_000,
    baseDelayMs: 2_000,
    // The limit window is one minute: backing off past two minutes buys nothing.
    maxDelayMs: 120_000,
    // 100 requests/min per company: two concurrent workers cannot outrun it with ~2 s calls.
    maxConcurrency: 2,
    batchSize: 5,
  },
  endpoints: {
    // No separate sandbox host: test-company credentials against the same host are the sandbox.
    base: { env: 'SIIGO_BASE_URL', production: 'https://api.siigo.com', sandbox: 'https://api.siigo.com' },
  },
  settings: {
    partnerId: {
      env: 'SIIGO_PARTNER_ID',
      description:
        "The Partner-Id header on every Siigo call: your integration's name as registered with Siigo (Alianzas)",
      // The built-in default names no real partner; Siigo blocks API users that send made-up ids.
      requiredOnDurableStages: true,
      check: partnerIdProblem,
    },
  },

  requirements: siigoRequirements,
  warnings: (c) =>
    mergeWarnings(currencyNotHeldWarnings(c, 'Siigo'), secondAddressWarnings(c, 'Siigo'), siigoNotHeld(c)),
  buildCreateRequest,

  async create(customer, ctx) {
    const req = buildCreateRequest(customer, ctx);
    const r = await siigoCall(ctx, req, true);
    if ('failure' in r) return r.failure;
    const { res } = r;
    const errors = parseSiigoErrors(res.json);
    if (res.status >= 200 && res.status < 300) {
      const id = (res.json as CustomerOut | undefined)?.id;
      if (typeof id === 'string' && id) return { kind: 'created', erpCustomerId: id };
      // Accepted but no id to keep: it may well exist now, so find it by look-up rather than create again.
      return {
        kind: 'unknown',
        upstream: {
          erp: ERP,
          status: res.status,
          code: 'missing_id',
          message: 'Siigo answered without a customer id',
        },
      };
    }
    // Whatever the status (400 in practice, 409 possible), already_exists means (identification, branch_office) is taken.
    if (isAlreadyExists(errors)) return { kind: 'duplicate', upstream: upstreamError(res, errors) };
    return failureFromResponse(res, { write: true, customer });
  },

  async lookup(customer, ctx): Promise<LookupOutcome> {
    const identification = siigoIdentification(customer);
    if (!identification) return { kind: 'not_found' };
    const branch = siigoBranchOffice(customer);
    const query = new URLSearchParams({ identification, branch_office: String(branch) });
    const r = await siigoCall(
      ctx,
      { method: 'GET', url: `${baseUrl(ctx)}/v1/customers?${query}`, headers: siigoHeaders() },
      false,
    );
    if ('failure' in r) return r.failure;
    const { res } = r;
    if (res.status !== 200) return failureFromResponse(res, { write: false });
    const results = (res.json as { results?: unknown } | undefined)?.results;
    if (!Array.isArray(results)) {
      return {
        kind: 'transient',
        upstream: {
          erp: ERP,
          status: res.status,
          code: 'unexpected_body',
          message: 'Siigo answered the look-up without results',
        },
      };
    }
    // Match exactly: the filter is Siigo's, and a looser match (another branch) would attach the wrong customer.
    const hit = (results as CustomerOut[]).find(
      (c) =>
        String(c.identification) === identification &&
        Number(c.branch_office ?? 0) === branch &&
        typeof c.id === 'string',
    );
    if (!hit) return { kind: 'not_found' };
    // The identification is Siigo's key and the party's DIAN identity at once: the same number at the same
    // branch is the same taxpayer (docs/erps/siigo.md "Identity of a look-up hit"). Judged like every ERP.
    return judgeHit(
      { erp: 'Siigo', id: hit.id as string, pointer: '/identification/number', keyField: 'identification' },
      [
        { kind: 'identification', field: 'identification', sent: identification, stored: hit.identification },
        {
          kind: 'email',
          field: 'contacts.email',
          sent: customer.email,
          stored: (hit.contacts ?? []).map((k) => k?.email),
        },
      ],
    );
  },

  async verify(ctx) {
    // A fresh /auth proves the user and key; a one-row read proves the user may use customers.
    const failed = await freshToken(ctx);
    if (failed) return failed;
    const r = await siigoCall(
      ctx,
      { method: 'GET', url: `${baseUrl(ctx)}/v1/customers?page=1&page_size=1`, headers: siigoHeaders() },
      false,
    );
    if ('failure' in r) return r.failure;
    if (r.res.status !== 200) return failureFromResponse(r.res, { write: false });
    return { kind: 'ok', detail: `authenticated as ${ctx.connection.credentials.username}` };
  },
};
