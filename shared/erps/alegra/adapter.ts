import type { UnifiedCustomer } from '../../customer/schema';
import type { CreateOutcome, ErpAdapter, NativeRequest, RequestContext, VerifyOutcome } from '../types';
import { mergeWarnings } from '../warnings';
import { send } from './client';
import { type AlegraCredentials, alegraCredentialsSchema, alegraFromInlineCredentials } from './credentials';
import { ALEGRA_ENDPOINTS, contactsUrl } from './endpoints';
import { classifyFailure } from './errors';
import { ALEGRA_CATALOG } from './fields';
import { lookupContact, resolveDuplicate } from './lookup';
import { toAlegraContact } from './mapper';
import { alegraNotHeld } from './not-held';
import { alegraRequirements } from './requirements';
import { alegraWarnings } from './warnings';

function buildCreateRequest(
  customer: UnifiedCustomer,
  ctx: RequestContext<AlegraCredentials>,
): NativeRequest {
  return {
    method: 'POST',
    url: contactsUrl(ctx.endpoint('base')),
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: toAlegraContact(customer),
  };
}

/** Alegra (Colombia and the rest of LatAm/Spain): `POST /contacts` with HTTP Basic, look-up before re-create. */
export const alegraAdapter: ErpAdapter<AlegraCredentials> = {
  id: 'alegra',
  displayName: 'Alegra',
  credentialsSchema: alegraCredentialsSchema,
  // The connect page's form is rendered from the same schema the API checks.
  connect: { form: alegraCredentialsSchema },
  fromInlineCredentials: alegraFromInlineCredentials,
  schemaHints: {
    erpFields: ALEGRA_CATALOG,
    notes: {
      '/identification': 'identification or email is required: they are how a lost create is found again',
    },
  },
  capabilities: {
    upstreamIdempotency: 'lookup',
    lookupBy: ['identification.number', 'email'],
    // No separate sandbox host: a trial company on the same API is the sandbox.
    environments: ['sandbox', 'production'],
    inlineCredentials: true,
    rateLimit: {
      requests: 150,
      perSeconds: 60,
      scope: 'user',
      note: 'X-Rate-Limit-Limit/Remaining/Reset headers; Reset is the seconds until the window resets',
    },
  },
  worker: {
    maxAttempts: 8,
    timeoutMs: 20_000,
    baseDelayMs: 2_000,
    // A full rate-limit window, with room for jitter.
    maxDelayMs: 120_000,
    // 150 requests/min per user is 2.5/s; two concurrent workers (each create may add look-ups) stay under it.
    maxConcurrency: 2,
    batchSize: 1,
  },
  endpoints: ALEGRA_ENDPOINTS,
  requirements: alegraRequirements,
  warnings: (c) => mergeWarnings(alegraWarnings(c), alegraNotHeld(c)),
  buildCreateRequest,

  async create(customer, ctx): Promise<CreateOutcome> {
    const req = buildCreateRequest(customer, ctx);
    const sent = await send(ctx, req);
    if (!sent.ok) return sent.outcome;
    const { res } = sent;
    if (res.status >= 200 && res.status < 300) {
      const id = (res.json as { id?: unknown } | undefined)?.id;
      if (typeof id === 'string' || typeof id === 'number')
        return { kind: 'created', erpCustomerId: String(id) };
      // Stored, but the id is not in the answer: the look-up before the next attempt finds it.
      return {
        kind: 'unknown',
        upstream: { erp: 'alegra', status: res.status, message: 'created without an id in the answer' },
      };
    }
    const failed = classifyFailure(res, {
      write: true,
      creds: ctx.connection.credentials,
      customer,
      now: ctx.now(),
    });
    if (failed.kind !== 'duplicate') return failed;
    // Whose contact holds the repeated value decides; unresolved, the worker looks up.
    const resolved = await resolveDuplicate(customer, ctx);
    return resolved ? { ...failed, resolved } : failed;
  },

  lookup: lookupContact,

  async verify(ctx): Promise<VerifyOutcome> {
    // Reading one contact proves the credentials and the permission the look-up needs. It proves exactly these
    // credentials: no retry with whatever else is stored.
    const sent = await send(
      ctx,
      { method: 'GET', url: `${contactsUrl(ctx.endpoint('base'))}?start=0&limit=1` },
      { reloadOn401: false },
    );
    if (!sent.ok) return sent.outcome;
    const { res } = sent;
    if (res.status >= 200 && res.status < 300) return { kind: 'ok', detail: 'contacts readable' };
    const failed = classifyFailure(res, { write: false, creds: ctx.connection.credentials, now: ctx.now() });
    return failed.kind === 'duplicate' ? { kind: 'invalid', upstream: failed.upstream } : failed;
  },
};
