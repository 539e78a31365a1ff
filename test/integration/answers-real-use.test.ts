import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoBatchStore } from '../../shared/batches/dynamo-store';
import { batchJobEvents } from '../../shared/batches/progress';
import { silentLog, stark, startPipeline } from '../helpers/pipeline';

/**
 * Issue 16 under the conditions of real use: hostile and decomposed text in a batch, two workers on the same
 * messages at once, another tenant's batches, jobs and connections, and an ERP whose option lists and errors
 * carry the connection's own credentials. Every answer here goes through the leak guard (test/setup).
 */
let p: Awaited<ReturnType<typeof startPipeline>>;
const A = 'tenant-answers-a';
const B = 'tenant-answers-b';
const siigo = { 'x-erp': 'siigo', 'x-connection': 'main' };
const USERNAME = 'integracion@empresa-a.co';
const ACCESS_KEY = 'sk-live-7f3a9c1e5b2d4f60';
const company = (n: number, name = `Real Use ${n} SAS`) => ({
  ...stark,
  name: { company: name },
  identification: { type: 'NIT', number: String(900_300_000 + n) },
});

beforeAll(async () => {
  p = await startPipeline();
  for (const [tenant, key] of [
    [A, ACCESS_KEY],
    [B, 'sk-live-other-tenant-91'],
  ] as const) {
    const put = await p.api('PUT', '/v1/connections/main', {
      tenantId: tenant,
      body: { erp: 'siigo', environment: 'sandbox', credentials: { username: USERNAME, accessKey: key } },
    });
    expect(put.status).toBe(201);
  }
});
afterAll(() => p.close());

async function settle(tenantId: string, batchId: string) {
  const end = Date.now() + 20_000;
  for (;;) {
    const got = await p.api('GET', `/v1/batches/${batchId}`, { tenantId });
    if (got.json.counts.pending === 0 || Date.now() > end) return got;
    await p.pump(undefined, undefined, 0);
  }
}

describe('a batch with hostile and decomposed text', () => {
  it('keeps the good items, refuses each bad one on its own, and stores names in NFC', async () => {
    const res = await p.api('POST', '/v1/customers/batch', {
      tenantId: A,
      headers: { ...siigo, 'idempotency-key': 'hostile-1' },
      // Raw JSON text: a lone surrogate cannot be written from a JS object with JSON.stringify.
      body: JSON.stringify({
        items: [
          { itemId: 'nfd', customer: company(1, 'Jose\u0301 Nin\u0303o Ltda.') },
          { itemId: 'nul', customer: company(2, 'Bad\u0000Null') },
          { itemId: 'e\u0301', customer: company(3) },
          { itemId: 'ok', customer: company(4, 'Ærøskøbing ApS — “Quotes” & <b>tags</b>') },
          { itemId: 'lone', customer: company(5, 'LONE') },
        ],
      }).replace('"LONE"', '"\\ud800 lone"'),
    });
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ accepted: 2, rejected: 3 });
    const [nfd, nul, itemId, ok, lone] = res.json.items;
    expect(nfd.status).toBe('queued');
    expect(ok.status).toBe('queued');
    expect(nul.error.details[0].pointer).toMatch(/^\/items\/1\/customer\/name/);
    // A non-ASCII itemId rejects that item only (it was the whole batch before).
    expect(itemId).toMatchObject({ status: 'rejected', itemId: 'e\u0301' });
    expect(itemId.error.details[0]).toMatchObject({ pointer: '/items/2/itemId', code: 'invalid_format' });
    expect(lone.error.details[0].pointer).toMatch(/^\/items\/4\/customer\/name/);

    const stored = await p.deps.jobs.get(A, nfd.jobId);
    expect(stored?.customer.name).toEqual({ company: 'José Niño Ltda.'.normalize('NFC') });
    expect(JSON.stringify(stored?.customer.name)).not.toContain('\u0301');

    // The same batch sent again with the names composed is the same batch (its hash is over the normalized
    // customers, as a single create's is): a replay with the same jobs, not a 409.
    const replay = await p.api('POST', '/v1/customers/batch', {
      tenantId: A,
      headers: { ...siigo, 'idempotency-key': 'hostile-1' },
      body: JSON.stringify({
        items: [
          { itemId: 'nfd', customer: company(1, 'José Niño Ltda.') },
          { itemId: 'nul', customer: company(2, 'Bad\u0000Null') },
          { itemId: 'e\u0301', customer: company(3) },
          { itemId: 'ok', customer: company(4, 'Ærøskøbing ApS — “Quotes” & <b>tags</b>') },
          { itemId: 'lone', customer: company(5, 'LONE') },
        ],
      }).replace('"LONE"', '"\\ud800 lone"'),
    });
    expect(replay.status, JSON.stringify(replay.json)).toBe(202);
    expect(replay.json.batchId).toBe(res.json.batchId);
    expect(replay.json.items[0].jobId).toBe(nfd.jobId);
    await settle(A, res.json.batchId);
  });
});

describe('two workers at once', () => {
  it('each item is created once and batch.finished is sent once, with every message delivered twice', async () => {
    const sent: string[] = [];
    const events = p.workerDeps.events;
    p.workerDeps.events = batchJobEvents({
      batches: p.deps.batches?.store as DynamoBatchStore,
      sink: { send: async (b) => void sent.push(b.batchId) },
      log: silentLog,
    });
    try {
      const res = await p.api('POST', '/v1/customers/batch', {
        tenantId: A,
        headers: siigo,
        body: {
          items: Array.from({ length: 8 }, (_, i) => ({ itemId: `w${i}`, customer: company(20 + i) })),
        },
      });
      expect(res.json.accepted).toBe(8);
      // SQS delivers at least once: every message a second time, to another worker.
      for (const [i, it] of (res.json.items as { jobId: string }[]).entries()) {
        await p.sendRaw({
          version: 1,
          jobId: it.jobId,
          tenantId: A,
          connectionId: 'main',
          customer: company(20 + i),
        });
      }
      const end = Date.now() + 30_000;
      let done = await p.api('GET', `/v1/batches/${res.json.batchId}`, { tenantId: A });
      while (done.json.counts.pending > 0 && Date.now() < end) {
        await Promise.all([p.pump(undefined, undefined, 0), p.pump(undefined, undefined, 0)]);
        done = await p.api('GET', `/v1/batches/${res.json.batchId}`, { tenantId: A });
      }
      expect(done.json.counts).toMatchObject({ succeeded: 8, pending: 0 });
      // Each of the batch's jobs reached the ERP once.
      const ids = (res.json.items as { jobId: string }[]).map((i) => i.jobId);
      expect(p.erp.creates.filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
      // Drain what is left (the duplicates) so late hooks run too, then count the events.
      while ((await p.pump(undefined, undefined, 0)) > 0);
      expect(sent.filter((id) => id === res.json.batchId)).toHaveLength(1);
    } finally {
      p.workerDeps.events = events;
    }
  });
});

describe("another tenant's batches, jobs and connections", () => {
  it('are not found, are not waited on, and a batch key is per tenant', async () => {
    const res = await p.api('POST', '/v1/customers/batch', {
      tenantId: A,
      headers: { ...siigo, 'idempotency-key': 'shared-key-2025' },
      body: { items: [{ itemId: 'a1', customer: company(40) }] },
    });
    expect(res.status).toBe(202);
    const jobId = res.json.items[0].jobId;
    expect((await p.api('GET', `/v1/batches/${res.json.batchId}`, { tenantId: B })).status).toBe(404);
    // Not found at once: the wait never starts on a job the tenant cannot see.
    const t = Date.now();
    const waited = await p.api('GET', `/v1/jobs/${jobId}?wait=10`, { tenantId: B });
    expect(waited.status).toBe(404);
    // The bug would wait out the 10 s; a loaded machine's slowest answer is far under that.
    expect(Date.now() - t).toBeLessThan(8_000);
    const preferred = await p.api('GET', `/v1/jobs/${jobId}`, {
      tenantId: B,
      headers: { prefer: 'wait=10' },
    });
    expect(preferred.status).toBe(404);
    // B's own batch under the same Idempotency-Key is B's: another batch, no 409, no sight of A's.
    const bBatch = await p.api('POST', '/v1/customers/batch', {
      tenantId: B,
      headers: { ...siigo, 'idempotency-key': 'shared-key-2025' },
      body: { items: [{ itemId: 'b1', customer: company(41) }] },
    });
    expect(bBatch.status).toBe(202);
    expect(bBatch.json.batchId).not.toBe(res.json.batchId);
    expect(bBatch.json.items[0].jobId).not.toBe(jobId);
    // Each tenant's "main" is its own connection: B's options never come from (or land in) A's cache.
    p.erp.optionsScript.push({
      kind: 'ok',
      fields: [
        {
          pointer: '/erpFields/seller_id',
          label: 'Seller',
          required: false,
          values: [{ value: '900', label: 'Only in A' }],
        },
      ],
    });
    const aOptions = await p.api('GET', '/v1/connections/main/options?refresh=true', { tenantId: A });
    const bOptions = await p.api('GET', '/v1/connections/main/options?refresh=true', { tenantId: B });
    expect(aOptions.json.fields[0].values).toEqual([{ value: '900', label: 'Only in A' }]);
    expect(bOptions.json.fields[0].values.map((v: { value: string }) => v.value)).toEqual(['625', '629']);
    expect((await p.api('GET', '/v1/connections/nope/options', { tenantId: B })).status).toBe(404);
    await settle(A, res.json.batchId);
    await settle(B, bBatch.json.batchId);
  });
});

describe('credentials never reach an options answer', () => {
  it('an option list that names the API user, or an error that echoes the key, is masked', async () => {
    p.erp.optionsScript.push({
      kind: 'ok',
      fields: [
        {
          pointer: '/erpFields/seller_id',
          label: 'Seller',
          required: false,
          values: [
            { value: '625', label: 'Lucía Ramírez' },
            // Siigo's /v1/users lists the integration user itself; a user without a name is labelled so.
            { value: '700', label: USERNAME },
            { value: USERNAME, label: 'the API user by its username' },
          ],
        },
      ],
    });
    const got = await p.api('GET', '/v1/connections/main/options?refresh=true', { tenantId: A });
    expect(got.status).toBe(200);
    expect(JSON.stringify(got.json)).not.toContain(USERNAME);
    expect(got.json.fields[0].values).toEqual([
      { value: '625', label: 'Lucía Ramírez' },
      { value: '700', label: '***' },
    ]);
    p.erp.optionsScript.push({
      kind: 'auth',
      upstream: { erp: 'siigo', status: 401, message: `invalid access_key ${ACCESS_KEY} for ${USERNAME}` },
    });
    const refused = await p.api('GET', '/v1/connections/main/options?refresh=true', { tenantId: A });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.json)).not.toContain(ACCESS_KEY);
    expect(JSON.stringify(refused.json)).not.toContain(USERNAME);
  });
});

describe('a misspelt header on a batch', () => {
  it('is a 400 naming the header meant, and nothing is queued (a retried batch would otherwise repeat keyless items)', async () => {
    const r = await p.api('POST', '/v1/customers/batch', {
      tenantId: A,
      headers: { ...siigo, idempotency_key: 'typo-batch-1' },
      body: { items: [{ itemId: 'x1', customer: company(60) }] },
    });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('unknown_header');
    expect(r.json.error.message).toMatch(/idempotency-key/i);
  });
});
