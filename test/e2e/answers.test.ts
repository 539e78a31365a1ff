import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { mappingSchema } from '../../scripts/import/mapping';
import { importCsv } from '../../scripts/import/run';
import { connectionOptionsSchema } from '../../shared/api/openapi-schemas';
import type { ErpId } from '../../shared/erps/types';
import { EVENT_TYPE_HEADER } from '../../shared/webhooks/signature';
import { capture, registerSecrets } from '../helpers/leak-guard';
import { tempDir } from '../helpers/temp';

/**
 * Issue 16 on the in-process local stack (the real handlers, emulators and ERP simulators): synchronous answers,
 * each ERP's options read from its simulator's list endpoints and checked at accept, and a batch that ends in
 * `batch.finished` at the tenant's webhook.
 */
let stack: LocalStack;
let hook: http.Server;
const received: { event: string; body: Record<string, unknown> }[] = [];

beforeAll(async () => {
  stack = await startLocalStack({
    dataDir: tempDir('answers-'),
    apiPort: 0,
    dynamoPort: 0,
    sqsPort: 0,
    randomPorts: true,
  });
  registerSecrets(stack.apiKey);
  hook = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ event: String(req.headers[EVENT_TYPE_HEADER]), body: JSON.parse(body) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
}, 60_000);
afterAll(async () => {
  await new Promise((r) => hook?.close(r));
  await stack?.stop();
});

async function call(method: string, p: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.url}${p}`, {
    method,
    headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  // The answer that creates the webhook signing secret is the one place it is shown (docs/webhooks.md).
  if (p !== '/v1/webhook') capture('response', text);
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

const nordbygg = (n: number, typeId: number) => ({
  personType: 'company',
  name: { company: `Nordbygg ${n} AS` },
  externalId: `CRM-ANS-${n}`,
  email: `post${n}@nordbygg.no`,
  billingAddress: { lines: ['Storgata 1'], city: 'Oslo', postalCode: '0155', country: 'NO' },
  erpFields: { customertypeid: typeId },
});
const next = { 'x-erp': 'next', 'x-connection': 'demo-next' };
const optionCalls = () =>
  stack.simulators.next?.calls.filter((c) => c.path.startsWith('/v1/customertype')).length ?? 0;

describe('Prefer: wait against a simulated ERP', () => {
  it('answers 201 with the ERP id in one request', async () => {
    const res = await call('POST', '/v1/customers', nordbygg(1, 1), { ...next, prefer: 'wait=20' });
    expect(res.status).toBe(201);
    expect(res.headers.get('preference-applied')).toBe('wait=20');
    expect(res.json).toMatchObject({ status: 'succeeded', erp: 'next' });
    expect(res.json.erpCustomerId).toBeTruthy();
  });
});

describe('GET /v1/connections/{id}/options', () => {
  const expected: Record<ErpId, [string, string[], string[]]> = {
    // pointer, values that must be offered, values that must not (inactive upstream)
    siigo: ['/erpFields/related_users/seller_id', ['625', '629'], ['631']],
    alegra: ['/erpFields/priceList/id', ['1', '2'], ['3']],
    quickbooks: ['/currency', ['USD', 'CAD', 'EUR'], []],
    netsuite: ['/erpFields/subsidiary/id', ['1'], []],
    chargeover: ['/erpFields/language_id', ['1', '2'], []],
    next: ['/erpFields/customertypeid', ['1', '2', '3'], []],
    sage: ['/erpFields/SalesRepresentativeId', ['11', '12'], ['13']],
  };
  it.each(Object.keys(expected) as ErpId[])(
    '%s: live from the simulator, cached, with an ETag',
    async (erp) => {
      const [pointer, offered, hidden] = expected[erp];
      const res = await call('GET', `/v1/connections/demo-${erp}/options`);
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      expect(res.json).toMatchObject({ erp, connectionId: `demo-${erp}` });
      expect(connectionOptionsSchema.safeParse(res.json).error).toBeUndefined();
      const field = res.json.fields.find((f: { pointer: string }) => f.pointer === pointer);
      const values = field.values.map((v: { value: string }) => v.value);
      for (const v of offered) expect(values).toContain(v);
      for (const v of hidden) expect(values).not.toContain(v);
      const etag = res.headers.get('etag');
      expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
      const again = await call('GET', `/v1/connections/demo-${erp}/options`, undefined, {
        'if-none-match': etag as string,
      });
      expect(again.status).toBe(304);
    },
  );

  it('served from the cache until ?refresh=true; a typo in the query is a 400', async () => {
    await call('GET', '/v1/connections/demo-next/options');
    const before = optionCalls();
    const cached = await call('GET', '/v1/connections/demo-next/options');
    expect(optionCalls()).toBe(before);
    const refreshed = await call('GET', '/v1/connections/demo-next/options?refresh=true');
    expect(optionCalls()).toBe(before + 1);
    expect(Date.parse(refreshed.json.fetchedAt)).toBeGreaterThan(Date.parse(cached.json.fetchedAt));
    expect(refreshed.json.etag).toBe(cached.json.etag);
    const typo = await call('GET', '/v1/connections/demo-next/options?refesh=true');
    expect(typo.status).toBe(400);
    expect(typo.json.error.details[0]).toMatchObject({
      pointer: '/query/refesh',
      code: 'unknown_query_parameter',
    });
  });
});

describe('options at accept time', () => {
  it('an unknown customertypeid is a 422 naming the valid ones, without an upstream call', async () => {
    await call('GET', '/v1/connections/demo-next/options');
    const before = optionCalls();
    const res = await call('POST', '/v1/customers', nordbygg(2, 99), next);
    expect(res.status).toBe(422);
    expect(res.json.error.details[0]).toMatchObject({
      pointer: '/erpFields/customertypeid',
      code: 'not_an_option',
    });
    expect(res.json.error.details[0].message).toContain('1 (Company)');
    const dry = await call('POST', '/v1/customers/dry-run', nordbygg(2, 99), next);
    expect(dry.status).toBe(422);
    expect(optionCalls()).toBe(before);
    expect((await call('POST', '/v1/customers', nordbygg(3, 2), next)).status).toBe(202);
  });

  it('with a cold cache the accept path never calls the ERP (the worker meets the ERP’s own refusal)', async () => {
    const id = 'next-cold';
    const put = await call('PUT', `/v1/connections/${id}`, {
      erp: 'next',
      environment: 'sandbox',
      credentials: (await stack.connections.get(stack.tenantId, 'demo-next'))?.credentials,
    });
    expect(put.status).toBe(201);
    const before = optionCalls();
    const res = await call('POST', '/v1/customers', nordbygg(4, 99), {
      'x-erp': 'next',
      'x-connection': id,
      prefer: 'wait=20',
    });
    expect(optionCalls()).toBe(before);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'failed', error: { code: 'upstream_rejected' } });
  });
});

describe('a batch to NEXT ends in batch.finished at the tenant webhook', () => {
  it('good and bad items; every accepted item final; one batch.finished', async () => {
    const put = await call('PUT', '/v1/webhook', {
      url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`,
    });
    expect(put.status).toBe(201);
    registerSecrets(put.json.secret);
    const res = await call(
      'POST',
      '/v1/customers/batch',
      {
        items: [
          { itemId: '1', customer: nordbygg(10, 1) },
          { itemId: '2', customer: nordbygg(11, 42) },
          { itemId: '3', customer: nordbygg(12, 3) },
        ],
      },
      { ...next, 'idempotency-key': 'answers-batch-1' },
    );
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ accepted: 2, rejected: 1 });
    expect(res.json.items[1].error.details[0].pointer).toBe('/items/1/customer/erpFields/customertypeid');
    const end = Date.now() + 30_000;
    while (!received.some((r) => r.event === 'batch.finished') && Date.now() < end)
      await new Promise((r) => setTimeout(r, 200));
    const finished = received.filter((r) => r.event === 'batch.finished');
    expect(finished).toHaveLength(1);
    expect(finished[0]?.body).toMatchObject({
      batchId: res.json.batchId,
      event: 'batch.finished',
      counts: { accepted: 2, rejected: 1, succeeded: 2, pending: 0 },
    });
    expect(received.filter((r) => r.event === 'job.finished').length).toBeGreaterThanOrEqual(2);
  }, 40_000);
});

describe('npm run import (scripts/import): CSV → batches', () => {
  const mappingOf = (erp: string) => {
    const file = path.join('examples/csv', `${erp}.mapping.json`);
    return fs.existsSync(file)
      ? mappingSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')))
      : mappingSchema.parse({});
  };
  const run = (file: string, erp: string, extra: Partial<Parameters<typeof importCsv>[0]> = {}) =>
    importCsv({
      file,
      erp,
      connection: `demo-${erp}`,
      mapping: mappingOf(erp),
      url: stack.url,
      apiKey: stack.apiKey,
      ...extra,
    });
  const copy = (name: string) => {
    const dir = tempDir('import-');
    const file = path.join(dir, path.basename(name));
    fs.copyFileSync(name, file);
    return file;
  };

  it.each(['siigo', 'alegra', 'quickbooks', 'netsuite', 'chargeover', 'next', 'sage'])(
    'examples/csv/%s.csv passes a dry run (Siigo’s third row lacks its NIT on purpose)',
    async (erp) => {
      const s = await run(copy(`examples/csv/${erp}.csv`), erp, { dryRun: true });
      expect(s.total).toBeGreaterThanOrEqual(2);
      expect(s.rejected).toBe(erp === 'siigo' ? 1 : 0);
      expect(s.accepted).toBe(s.total - s.rejected);
    },
  );

  it('a Spanish-locale export: BOM, `;`, a quoted newline and accents; rejected rows go to <file>.errors.csv', async () => {
    const file = copy('examples/csv/siigo.csv');
    const s = await run(file, 'siigo');
    expect(s).toMatchObject({ total: 3, accepted: 2, rejected: 1, skipped: 0 });
    const jobs = await call('GET', '/v1/jobs?erp=siigo&limit=100');
    const nunez = jobs.json.items.find(
      (j: { idempotencyKey?: string }) => j.idempotencyKey === 'csv-id-CLI-001',
    );
    const job = await stack.jobs.get(stack.tenantId, nunez.jobId);
    expect(job?.customer).toMatchObject({
      name: { company: 'Ferretería Núñez S.A.S.' },
      billingAddress: { lines: ['Cra. 18 #79A - 42\nOficina 301'] },
      tax: { fiscalResponsibilities: ['O-13', 'O-15'] },
      erpFields: { related_users: { seller_id: 625 } },
    });
    const errors = fs.readFileSync(s.errorsFile as string, 'utf8');
    expect(errors.charCodeAt(0)).toBe(0xfeff);
    const [header, row] = errors.slice(1).split('\r\n');
    expect(header?.startsWith('line;field;message;Código;')).toBe(true);
    // Its row starts on line 5: the first row's quoted address spans two lines.
    expect(row).toMatch(/^5;NIT;is required;CLI-003;/);
    // Rerun: the accepted rows are skipped, the rejected one is tried again.
    const again = await run(file, 'siigo');
    expect(again).toMatchObject({ skipped: 2, rejected: 1, accepted: 0 });
  });

  it('resumed after a crash mid-import: no row becomes two jobs', async () => {
    const dir = tempDir('import-crash-');
    const file = path.join(dir, 'nordics.csv');
    const rows = Array.from({ length: 7 }, (_, i) => `CRM-IMP-${i};company;Importert ${i} AS;1`);
    fs.writeFileSync(
      file,
      `externalId;personType;name.company;erpFields.customertypeid:number\n${rows.join('\n')}\n`,
    );
    let calls = 0;
    // The process dies after the server accepted the second batch, before the importer recorded it.
    const crashing: typeof fetch = async (url, init) => {
      const res = await fetch(url, init);
      if (++calls === 2) throw new Error('connection lost');
      return res;
    };
    await expect(
      run(file, 'next', {
        batchSize: 3,
        fetch: crashing,
        sleep: async () => {
          throw new Error('process killed');
        },
      }),
    ).rejects.toThrow('process killed');
    const resumed = await run(file, 'next', { batchSize: 3 });
    expect(resumed).toMatchObject({ total: 7, skipped: 3, accepted: 4, rejected: 0 });
    const list = await call('GET', '/v1/jobs?erp=next&limit=100');
    const keys = list.json.items
      .map((j: { idempotencyKey?: string }) => j.idempotencyKey)
      .filter((k: string | undefined) => k?.startsWith('csv-row-'));
    expect(keys).toHaveLength(7);
    expect(new Set(keys).size).toBe(7);
    // Two imports against a paced ERP: ~25 s alone on a loaded 2-core machine.
  }, 90_000);
});
