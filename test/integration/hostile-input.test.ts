import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stark, startPipeline } from '../helpers/pipeline';

/**
 * Hostile input, property-based: whatever arrives, the answer is the error envelope with a 4xx (or a 202 for
 * a body that really is valid), never a 5xx, and nothing is recorded or queued for invalid input.
 */
let p: Awaited<ReturnType<typeof startPipeline>>;
const A = 'tenant-hostile';

beforeAll(async () => {
  p = await startPipeline();
  await p.api('PUT', '/v1/connections/main', {
    tenantId: A,
    body: { erp: 'siigo', environment: 'sandbox', credentials: { username: 'u', accessKey: 'k' } },
  });
});
afterAll(() => p.close());

async function jobCount() {
  let n = 0;
  let cursor: string | undefined;
  do {
    const page = await p.jobs.list(A, { limit: 100, cursor });
    n += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  return n;
}

type Res = Awaited<ReturnType<typeof p.api>>;
function assertEnvelopeOr202(res: Res) {
  expect(res.status).toBeLessThan(500);
  if (res.status === 202) return true;
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.json?.error).toMatchObject({
    code: expect.any(String),
    message: expect.any(String),
    requestId: expect.any(String),
  });
  return false;
}

const baseHeaders = { 'x-erp': 'siigo', 'x-connection': 'main' };

describe('hostile input', () => {
  it('random JSON values as the body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 6 }), async (value) => {
        const before = await jobCount();
        const res = await p.api('POST', '/v1/customers', {
          tenantId: A,
          headers: baseHeaders,
          body: JSON.stringify(value),
        });
        const accepted = assertEnvelopeOr202(res);
        expect(await jobCount()).toBe(before + (accepted ? 1 : 0));
      }),
      { numRuns: 60 },
    );
  });

  it('mutations of a valid customer: wrong types, unknown keys, control characters, huge strings', async () => {
    const field = fc.constantFrom(
      'personType',
      'name',
      'identification',
      'email',
      'billingAddress',
      'phones',
      'erpFields',
      'notes',
      'zzz',
    );
    const junk = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 50 }),
      fc.string({ unit: fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c)), maxLength: 20 }),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 5 }),
      fc.constant('x'.repeat(5000)),
      fc.object({ maxDepth: 2 }),
    );
    await fc.assert(
      fc.asyncProperty(field, junk, async (key, value) => {
        const before = await jobCount();
        const res = await p.api('POST', '/v1/customers', {
          tenantId: A,
          headers: baseHeaders,
          body: { ...stark, [key]: value },
        });
        const accepted = assertEnvelopeOr202(res);
        if (!accepted) expect(res.status).not.toBe(404);
        expect(await jobCount()).toBe(before + (accepted ? 1 : 0));
      }),
      { numRuns: 80 },
    );
  });

  it('random and broken headers', async () => {
    const headerValue = fc.string({ maxLength: 300 });
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          'x-erp': fc.oneof(headerValue, fc.constantFrom('siigo', 'SIIGO', ' siigo ', 'sap')),
          'x-connection': fc.oneof(headerValue, fc.constant('main'), fc.constant('../../etc/passwd')),
          'x-testing': fc.oneof(headerValue, fc.constantFrom('true', 'false', 'TRUE', 'yes')),
          'idempotency-key': fc.oneof(headerValue, fc.constant('k'.repeat(300))),
          'content-type': fc.oneof(
            headerValue,
            fc.constantFrom(
              'application/json',
              'text/plain',
              'application/xml',
              'application/json; charset=latin1',
            ),
          ),
        }),
        async (headers) => {
          const res = await p.api('POST', '/v1/customers', {
            tenantId: A,
            headers,
            body: JSON.stringify(stark),
          });
          assertEnvelopeOr202(res);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('random bytes, wrong encodings and truncated JSON', async () => {
    const valid = JSON.stringify(stark);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
          fc.nat({ max: valid.length - 1 }).map((n) => valid.slice(0, n)),
          fc.constant(Buffer.from(valid, 'utf16le').toString('latin1')),
          fc.constant(`\uFEFF${valid}`),
        ),
        async (body) => {
          const before = await jobCount();
          const res = await p.api('POST', '/v1/customers', { tenantId: A, headers: baseHeaders, body });
          expect(assertEnvelopeOr202(res)).toBe(false);
          expect(await jobCount()).toBe(before);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('deep nesting and huge bodies', async () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const deepObj = { ...stark, erpFields: JSON.parse(`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`) };
    for (const body of [
      deep,
      JSON.stringify(deepObj),
      JSON.stringify({ ...stark, notes: 'n'.repeat(2_000_000) }),
    ]) {
      const res = await p.api('POST', '/v1/customers', { tenantId: A, headers: baseHeaders, body });
      expect(assertEnvelopeOr202(res)).toBe(false);
      expect([400, 413]).toContain(res.status);
    }
  });

  it('hostile path and query parameters on every route', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
        fc.constantFrom(
          '/v1/jobs/',
          '/v1/connections/',
          '/v1/erps/',
          '/v1/jobs?cursor=',
          '/v1/jobs?limit=',
          '/v1/jobs?status=',
        ),
        fc.string({ maxLength: 80 }).map(encodeURIComponent),
        async (method, prefix, tail) => {
          const res = await p.api(method, prefix + tail, {
            tenantId: A,
            body: method === 'PUT' ? '{}' : undefined,
          });
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) expect(res.json.error.code).toEqual(expect.any(String));
        },
      ),
      { numRuns: 80 },
    );
  });
});
