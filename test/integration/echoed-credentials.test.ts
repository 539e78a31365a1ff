import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulators } from '../../local/simulators';
import type { Fault, Simulator } from '../../local/simulators/kit';
import { SecretsManagerConnectionStore } from '../../shared/connections/secrets-manager-store';
import { resolveEndpoint } from '../../shared/erps/endpoints';
import { getAdapter, listAdapters } from '../../shared/erps/registry';
import type { ErpId } from '../../shared/erps/types';
import type { Job } from '../../shared/jobs/model';
import { deliveryFor } from '../../shared/webhooks/delivery';
import type { Log, WorkerDeps } from '../../shared/worker/deps';
import { startErpHarness } from '../helpers/erp-harness';
import { fakeSecretsManager } from '../helpers/fake-secrets-manager';
import { capture, findLeaks, NOT_SECRET, registerSecrets } from '../helpers/leak-guard';

/**
 * Issue 12 §3, the leak harness extended: every ERP's simulator answers with errors that echo the request
 * (headers with the Authorization value, URL with its query, body) and every credential of the connection,
 * in 400, 500 and 401 answers, to credential checks and to creates. Nothing observable may hold a credential:
 * API responses, job records and `GET /v1/jobs`, log lines, queue and DLQ messages, webhook bodies, and the
 * Secrets Manager tags (connection status and its reason). The harness (`test/setup/leak-guard.ts`) checks
 * every captured text against every registered credential, token and Basic form.
 */

const ERPS = listAdapters().map((a) => a.id);
const T = 'tenant-echo';
const ECHO = '{{request}}';

/** Each ERP's own error body, carrying `message` where the ERP puts its words. */
const ERROR_BODY: Record<ErpId, (status: number, message: string) => unknown> = {
  siigo: (status, message) => ({
    Status: status,
    Errors: [{ Code: 'invalid_request', Message: message, Params: [], Detail: message }],
  }),
  alegra: (status, message) => ({ message, code: status }),
  quickbooks: (status, message) => ({
    // The token endpoint answers in OAuth's shape, the API in Intuit's Fault: a 401 may come from either.
    ...(status === 401 ? { error: 'invalid_client', error_description: message } : {}),
    Fault: {
      Error: [{ Message: message, Detail: message, code: status === 401 ? '3200' : '2010', element: '' }],
      type: status === 401 ? 'AUTHENTICATION' : status >= 500 ? 'SystemFault' : 'ValidationFault',
    },
    time: '2024-05-01T10:00:00.000-07:00',
  }),
  netsuite: (status, message) => ({
    type: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15',
    title: 'Error',
    status,
    'o:errorDetails': [{ detail: message, 'o:errorCode': status === 401 ? 'INVALID_LOGIN' : 'USER_ERROR' }],
  }),
  chargeover: (status, message) => ({ code: status, status: 'Error', message, details: {}, response: false }),
  next: (_status, message) => ({ detail: message }),
  sage: (_status, message) => ({ Message: message, MessageDetail: message }),
};

const demo = (erp: ErpId) => simulators[erp]?.demoCredentials as Record<string, unknown>;

/** The request echo, then every credential value and every HTTP Basic pair of them. */
function echoMessage(credentials: Record<string, unknown>): string {
  const entries = Object.entries(credentials).filter((e): e is [string, string] => typeof e[1] === 'string');
  const values = entries.map(([, v]) => v);
  const basics = entries.flatMap(([ka, a]) =>
    entries
      .filter(([kb, b]) => b !== a && !(NOT_SECRET.has(ka) && NOT_SECRET.has(kb)))
      .map(([, b]) => Buffer.from(`${a}:${b}`).toString('base64')),
  );
  // An account id is not a secret, but paired with one in a Basic value it carries that secret.
  registerSecrets(basics);
  return [ECHO, ...values, ...basics].join(' | ');
}

/** Every fault that answered: the tokens in the Authorization it echoed are credentials too. */
const answered: Fault[] = [];
function echoFault(
  erp: ErpId,
  status: number,
  credentials: Record<string, unknown>,
  match?: { method: string; path: string },
): Fault {
  const f: Fault = { type: 'status', status, body: ERROR_BODY[erp](status, echoMessage(credentials)), match };
  answered.push(f);
  return f;
}
function registerEchoedTokens() {
  for (const f of answered) {
    const echoed = f.type === 'status' ? f.echoed : undefined;
    for (const m of echoed?.matchAll(/^authorization: (?:Bearer|Basic) (\S+)$/gim) ?? [])
      registerSecrets(m[1]);
  }
}

const lines: string[] = [];
const log: Log = {
  info: (msg, attrs) => lines.push(JSON.stringify({ msg, ...attrs })),
  warn: (msg, attrs) => lines.push(JSON.stringify({ msg, ...attrs })),
  error: (msg, attrs) => lines.push(JSON.stringify({ msg, ...attrs })),
};

let h: Awaited<ReturnType<typeof startErpHarness>>;
let sm: ReturnType<typeof fakeSecretsManager>;
const PREFIX = 'erp-bridge/test/';

beforeAll(async () => {
  sm = fakeSecretsManager();
  h = await startErpHarness({
    erps: ERPS,
    connections: new SecretsManagerConnectionStore(sm.client, PREFIX),
    log,
    events: {
      finished: async (job: Job) => {
        capture('webhook body', JSON.stringify(deliveryFor(job, 'https://hooks.example.com/erp').job));
      },
    },
  });
  for (const erp of ERPS) registerSecrets(demo(erp));
});
afterAll(async () => {
  sm?.restore();
  await h?.close();
});

let seq = 0;
function customerFor(erp: ErpId): Record<string, unknown> {
  const n = ++seq;
  const tag = `echo${n}x${Date.now().toString(36)}`;
  const company = { personType: 'company', name: { company: `Echo ${tag}` }, externalId: `EC-${tag}` };
  const bodies: Record<ErpId, Record<string, unknown>> = {
    siigo: {
      personType: 'company',
      name: { company: `Echo ${tag}` },
      identification: { type: 'NIT', number: String(800_000_000 + n * 7919) },
      billingAddress: { lines: ['Cra. 18 #79A - 42'], cityCode: '11001', stateCode: '11', country: 'CO' },
    },
    alegra: {
      personType: 'person',
      name: { first: 'Echo', last: tag },
      identification: { type: 'CC', number: String(10_000_000 + n * 7919) },
      billingAddress: { lines: ['Calle 10 # 5-51'], city: 'Medellín', state: 'Antioquia', country: 'CO' },
    },
    quickbooks: { personType: 'company', name: { company: `Echo ${tag}` } },
    netsuite: { ...company, billingAddress: { lines: ['Cra. 18'], city: 'Bogotá', country: 'CO' } },
    chargeover: company,
    next: {
      ...company,
      billingAddress: { lines: ['Storgata 1'], country: 'NO' },
      erpFields: { customertypeid: 1 },
    },
    sage: company,
  };
  return bodies[erp];
}

/** The create request of this job (its method and path), to aim a fault at it and nothing else. */
function createMatch(erp: ErpId, job: Job, connectionId: string) {
  const adapter = getAdapter(erp) as WorkerDeps['adapter'];
  const req = adapter.buildCreateRequest(job.customer, {
    jobId: job.jobId,
    endpoint: (name) => resolveEndpoint(adapter, name, 'sandbox', h.env),
    connection: {
      environment: 'sandbox',
      credentials: adapter.credentialsSchema.parse(demo(erp)),
      tenantId: T,
      connectionId,
    },
  });
  return {
    method: req.method,
    path: `^${new URL(req.url).pathname.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
  };
}

async function storeConnection(erp: ErpId, id: string) {
  const r = await h.call(T, 'PUT', `/v1/connections/${id}`, {
    body: { erp, environment: 'sandbox', credentials: demo(erp) },
  });
  expect(r.status, JSON.stringify(r.json)).toBeLessThan(300);
}

/** Accepts a customer on `connectionId`, aims `statuses` echo faults at its create, and runs it to the end. */
async function runWithEchoes(erp: ErpId, connectionId: string, statuses: number[]) {
  const accepted = await h.call(T, 'POST', '/v1/customers', {
    headers: { 'x-erp': erp, 'x-connection': connectionId },
    body: customerFor(erp),
  });
  expect(accepted.status, JSON.stringify(accepted.json)).toBe(202);
  const jobId = accepted.json.jobId as string;
  const match = createMatch(erp, await h.job(T, jobId), connectionId);
  // The credentials as stored now (QuickBooks rotates its refresh token): what the ERP would have been sent.
  const current = (await h.connections.get(T, connectionId))?.credentials as Record<string, unknown>;
  registerSecrets(current);
  (h.sims[erp] as Simulator).addFaults(...statuses.map((s) => echoFault(erp, s, current, match)));
  const done = await h.runToFinal(erp, T, jobId);
  const seen = await h.call(T, 'GET', `/v1/jobs/${jobId}`);
  await h.call(T, 'GET', '/v1/jobs?limit=100');
  return { done, seen: JSON.stringify(seen.json) };
}

describe.each(ERPS)('an ERP that echoes credentials in its errors: %s', (erp) => {
  it('PUT /v1/connections?verify=true answered with a 401 echo: the refusal is shown redacted', async () => {
    // Several: an adapter may try again on a 401 (NetSuite re-signs INVALID_LOGIN up to three more times).
    const sim = h.sims[erp] as Simulator;
    sim.addFaults(...Array.from({ length: 4 }, () => echoFault(erp, 401, demo(erp))));
    const r = await h.call(T, 'PUT', `/v1/connections/verify-${erp}?verify=true`, {
      body: { erp, environment: 'sandbox', credentials: demo(erp) },
    });
    expect([422, 503]).toContain(r.status);
    expect(JSON.stringify(r.json)).toContain('***');
    (h.sims[erp] as Simulator).clearFaults();
  });

  it('a create answered 400 with the echo: failed, the ERP message kept and redacted', async () => {
    await storeConnection(erp, `demo-${erp}`);
    const { done, seen } = await runWithEchoes(erp, `demo-${erp}`, [400]);
    expect(done.status).toBe('failed');
    expect(seen).toContain('***');
  });

  it('a create answered 500 with the echo: retried, the history keeps the redacted message', async () => {
    const { done, seen } = await runWithEchoes(erp, `demo-${erp}`, [500]);
    expect(['succeeded', 'retry_scheduled', 'outcome_unknown']).toContain(done.status);
    expect(seen).toContain('***');
  });

  it('401 echoes on the create and the re-authentication: the status reason tag is redacted', async () => {
    await storeConnection(erp, `auth-${erp}`);
    await runWithEchoes(erp, `auth-${erp}`, [401, 401]);
    (h.sims[erp] as Simulator).clearFaults();
    const meta = await h.call(T, 'GET', `/v1/connections/auth-${erp}`);
    const reason = sm.tags(`${PREFIX}${T}/auth-${erp}`)['erp-bridge:status-reason'];
    if (meta.json.status === 'needs_reauth') expect(reason).toContain('***');
  });
});

it('nothing observable holds a credential: responses, records, logs, messages, webhook bodies, tags', async () => {
  registerEchoedTokens();
  // Credentials the workers rotated or obtained (QuickBooks' refresh and access tokens) are secrets too.
  for (const erp of ERPS) {
    for (const id of [`demo-${erp}`, `auth-${erp}`]) {
      registerSecrets((await h.connections.get(T, id))?.credentials);
    }
  }
  for (const l of lines) capture('log', l);
  // The status reason path was taken (Siigo marks a refused login needs_reauth), and redacted.
  const reasons = ERPS.map((e) => sm.tags(`${PREFIX}${T}/auth-${e}`)['erp-bridge:status-reason'] ?? '');
  expect(reasons.filter((r) => r.includes('***')).length).toBeGreaterThanOrEqual(1);
  expect(answered.filter((f) => f.type === 'status' && f.echoed).length).toBeGreaterThanOrEqual(
    ERPS.length * 3,
  );
  expect(findLeaks()).toEqual([]);
});
