import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALEGRA_DEMO_CREDENTIALS, startAlegraSimulator } from '../../local/simulators/alegra';
import { CHARGEOVER_DEMO_CREDENTIALS, startChargeOverSimulator } from '../../local/simulators/chargeover';
import type { Simulator } from '../../local/simulators/kit';
import { NETSUITE_DEMO_CREDENTIALS, startNetSuiteSimulator } from '../../local/simulators/netsuite';
import { NEXT_DEMO_CREDENTIALS, startNextSimulator } from '../../local/simulators/next';
import { startQuickBooksSimulator } from '../../local/simulators/quickbooks';
import { SAGE_DEMO_CREDENTIALS, startSageSimulator } from '../../local/simulators/sage';
import { SIIGO_DEMO_CREDENTIALS, startSiigoSimulator } from '../../local/simulators/siigo';
import {
  customerSchema,
  type UnifiedCustomer,
  type UnifiedCustomerInput,
} from '../../shared/customer/schema';
import { alegraAdapter } from '../../shared/erps/alegra';
import { chargeoverAdapter } from '../../shared/erps/chargeover';
import { netsuiteAdapter } from '../../shared/erps/netsuite';
import { nextAdapter } from '../../shared/erps/next';
import { quickbooksAdapter } from '../../shared/erps/quickbooks';
import { sageAdapter } from '../../shared/erps/sage';
import { siigoAdapter } from '../../shared/erps/siigo';
import type { ErpAdapter } from '../../shared/erps/types';
import { adapterContext } from '../helpers/adapter-context';

/**
 * Issue 11 §2: every query or filter language a look-up builds from the customer's own values — QuickBooks'
 * query (DisplayName), NetSuite's q (entityId), Sage's OData $filter (TextField1), NEXT's filter_str, ChargeOver's
 * where, Alegra's and Siigo's query parameters — over hostile values: quotes, backslashes, %, +, #, &, newlines,
 * commas, colons, non-ASCII. Each simulator parses the request as strictly as its vendor's grammar; a value
 * escaped wrongly is not found (or is an upstream parse error), and a near value must not match. For each
 * value: create the customer, then its look-up must find exactly that record, and a value one character longer
 * must find nothing.
 */

const HOSTILE = [
  `'`,
  `"`,
  '\\',
  '%',
  '+',
  '#',
  '&',
  '\n',
  ',',
  ':',
  '=',
  '?',
  '/',
  '*',
  '(',
  ')',
  '!',
  ' ',
  ';',
];
const WORD = ['a', 'Z', '7', 'é', 'ñ', 'Ü', '漢', '😀', '\u0301'];
const hostile = (chars: string[], maxLength = 12) =>
  fc.string({ unit: fc.constantFrom(...chars), minLength: 1, maxLength });
/** Printable ASCII without spaces: what /externalId allows. */
const ASCII_HOSTILE = [...HOSTILE.filter((c) => c !== ' ' && c !== '\n'), 'a', 'Z', '7', '-', '_', '.'];
const RUNS = 25;

let n = 0;
const unique = () => `${++n}${Math.random().toString(36).slice(2, 6)}`;
const parse = (c: UnifiedCustomerInput) => customerSchema.safeParse(c);

/** Accepted by the schema and the ERP's own requirements, else the property does not apply (fc.pre). */
function acceptable(adapter: ErpAdapter<unknown>, c: UnifiedCustomerInput): UnifiedCustomer {
  const r = parse(c);
  fc.pre(r.success && adapter.requirements(r.data).length === 0);
  return (r as { data: UnifiedCustomer }).data;
}

const sims: Simulator[] = [];
afterAll(async () => {
  for (const s of sims) await s.close();
});
async function started<S extends Simulator>(s: Promise<S>): Promise<S> {
  const sim = await s;
  sims.push(sim);
  return sim;
}

describe('look-up literals and query parameters survive hostile values (property)', () => {
  let qb: Awaited<ReturnType<typeof startQuickBooksSimulator>>;
  let ns: Simulator;
  let sage: Simulator;
  let next: Simulator;
  let co: Simulator;
  let alegra: Simulator;
  let siigo: Simulator;
  beforeAll(async () => {
    qb = await started(startQuickBooksSimulator({}, { perSecond: 100_000, perMinute: 1_000_000 }));
    ns = await started(startNetSuiteSimulator());
    sage = await started(startSageSimulator(undefined, { requestsPerMinute: false }));
    next = await started(startNextSimulator({}, { rateLimitPerSecond: 100_000 }));
    co = await started(startChargeOverSimulator({}, { rateLimit: false }));
    alegra = await started(startAlegraSimulator({}, { ratePerMinute: 1_000_000 }));
    siigo = await started(startSiigoSimulator({}, { testRequestsPerMinute: 1_000_000 }));
  });

  it("QuickBooks: DisplayName in the query language (\\ before ')", async () => {
    const grant = qb.authorize();
    const endpoints = { base: qb.url, token: `${qb.url}/oauth2/v1/tokens/bearer` };
    const ctx = () => adapterContext(quickbooksAdapter, { credentials: grant, endpoints });
    await fc.assert(
      fc.asyncProperty(hostile([...HOSTILE, ...WORD]), async (name) => {
        const company = (n: string) =>
          acceptable(quickbooksAdapter, {
            personType: 'company',
            name: { company: `${unique()} ${n}` },
            email: 'ap@example.com',
          });
        const c = company(name);
        const created = await quickbooksAdapter.create(c, ctx());
        expect(created.kind, JSON.stringify(created)).toBe('created');
        const found = await quickbooksAdapter.lookup(c, ctx());
        expect(found).toMatchObject({
          kind: 'found',
          erpCustomerId: created.kind === 'created' ? created.erpCustomerId : '',
        });
        const near = { ...c, name: { company: `${c.name.company}\\` } };
        expect(await quickbooksAdapter.lookup(near, ctx())).toEqual({ kind: 'not_found' });
      }),
      { numRuns: RUNS },
    );
  });

  it('NetSuite: entityId in q (IS "…", \\ before ")', async () => {
    const ctx = () =>
      adapterContext(netsuiteAdapter, {
        credentials: NETSUITE_DEMO_CREDENTIALS,
        endpoints: { base: `${ns.url}/{accountId}` },
      });
    await fc.assert(
      fc.asyncProperty(hostile([...HOSTILE, ...WORD]), async (entity) => {
        const entityId = `${unique()}${entity}`;
        const customer = (externalId: string, e = entityId) =>
          acceptable(netsuiteAdapter, {
            personType: 'company',
            name: { company: 'Acme' },
            externalId,
            erpFields: { entityId: e },
          });
        const holder = await netsuiteAdapter.create(customer(`A-${unique()}`), ctx());
        expect(holder.kind, JSON.stringify(holder)).toBe('created');
        // Another customer with the same entityId: the q look-up must reach exactly the holder.
        expect(await netsuiteAdapter.lookup(customer(`B-${unique()}`), ctx())).toMatchObject({
          kind: 'conflict',
          existingId: holder.kind === 'created' ? holder.erpCustomerId : '',
        });
        expect(await netsuiteAdapter.lookup(customer(`C-${unique()}`, `${entityId}\\`), ctx())).toEqual({
          kind: 'not_found',
        });
      }),
      { numRuns: RUNS },
    );
  });

  /** ERPs whose look-up key is the caller's externalId (printable ASCII): create, find it, not a near one. */
  const byExternalId: [
    string,
    () => ErpAdapter<unknown>,
    () => Parameters<typeof adapterContext>[1],
    object,
  ][] = [
    [
      'Sage: TextField1 in OData $filter (quotes doubled)',
      () => sageAdapter as ErpAdapter<unknown>,
      () => ({ credentials: SAGE_DEMO_CREDENTIALS, endpoints: { api: `${sage.url}/api/2.0.0` } }),
      { billingAddress: { lines: ['1 Main Road'], city: 'Cape Town', postalCode: '8001', country: 'ZA' } },
    ],
    [
      'NEXT: customerno in filter_str (JSON)',
      () => nextAdapter as ErpAdapter<unknown>,
      () => ({ credentials: { ...NEXT_DEMO_CREDENTIALS }, endpoints: { api: `${next.url}/v1` } }),
      { erpFields: { customertypeid: 1 } },
    ],
    [
      'ChargeOver: external_key in where (commas escaped)',
      () => chargeoverAdapter as ErpAdapter<unknown>,
      () => ({ credentials: CHARGEOVER_DEMO_CREDENTIALS, endpoints: { api: `${co.url}/api/v3` } }),
      {},
    ],
  ];
  for (const [title, adapterOf, ctxOpts, extra] of byExternalId) {
    it(title, async () => {
      const adapter = adapterOf();
      await fc.assert(
        fc.asyncProperty(hostile(ASCII_HOSTILE, 20), async (key) => {
          const customer = (externalId: string) =>
            acceptable(adapter, {
              personType: 'company',
              name: { company: 'Karoo Trading' },
              externalId,
              ...extra,
            });
          const c = customer(`${unique()}${key}`);
          const ctx = adapterContext(adapter, ctxOpts() as Parameters<typeof adapterContext>[1]);
          const created = await adapter.create(c, ctx);
          expect(created.kind, JSON.stringify(created)).toBe('created');
          expect(await adapter.lookup(c, ctx)).toMatchObject({
            kind: 'found',
            erpCustomerId: created.kind === 'created' ? created.erpCustomerId : '',
          });
          const near = customer(`${c.externalId}\\`);
          expect(await adapter.lookup(near, adapterContext(adapter, ctxOpts() as never))).toEqual({
            kind: 'not_found',
          });
        }),
        { numRuns: RUNS },
      );
    });
  }

  it("Alegra: e-mail and identification as query parameters (+, ', %)", async () => {
    const ctx = () =>
      adapterContext(alegraAdapter, {
        credentials: ALEGRA_DEMO_CREDENTIALS,
        endpoints: { base: `${alegra.url}/api/v1` },
      });
    const local = fc.string({ unit: fc.constantFrom('a', 'b', '7', '+', "'", '-', '_', '.'), maxLength: 10 });
    await fc.assert(
      fc.asyncProperty(local, fc.constantFrom('+', '-', '%', '&'), async (part, sep) => {
        const id = `${unique()}`;
        const customer = (email: string, number = `X${sep}${id}`) =>
          acceptable(alegraAdapter, {
            personType: 'company',
            name: { company: 'Andes SAS' },
            identification: { type: 'TAX_ID', number },
            email,
          });
        const c = customer(`z${part}${id}@example.co`);
        const created = await alegraAdapter.create(c, ctx());
        expect(created.kind, JSON.stringify(created)).toBe('created');
        expect(await alegraAdapter.lookup(c, ctx())).toMatchObject({
          kind: 'found',
          erpCustomerId: created.kind === 'created' ? created.erpCustomerId : '',
        });
        const near = customer(`zz${part}${id}@example.co`, `Y${sep}${id}`);
        expect(await alegraAdapter.lookup(near, ctx())).toEqual({ kind: 'not_found' });
      }),
      { numRuns: RUNS },
    );
  });

  it('Siigo: identification and branch_office as query parameters', async () => {
    const ctx = () =>
      adapterContext(siigoAdapter, { credentials: SIIGO_DEMO_CREDENTIALS, endpoints: { base: siigo.url } });
    await fc.assert(
      fc.asyncProperty(hostile(['A', 'b', '7', '-', '_'], 10), async (tail) => {
        const customer = (number: string) =>
          acceptable(siigoAdapter, {
            personType: 'person',
            name: { first: 'Ana', last: 'Gómez' },
            identification: { type: 'PP', number },
            billingAddress: { lines: ['Calle 1'], cityCode: '11001', stateCode: '11', country: 'CO' },
            phones: [{ number: '3006003345' }],
          });
        const c = customer(`P${unique()}${tail}9`);
        const created = await siigoAdapter.create(c, ctx());
        expect(created.kind, JSON.stringify(created)).toBe('created');
        expect(await siigoAdapter.lookup(c, ctx())).toMatchObject({ kind: 'found' });
        const near = customer(`${c.identification?.number}0`);
        expect(await siigoAdapter.lookup(near, ctx())).toEqual({ kind: 'not_found' });
      }),
      { numRuns: RUNS },
    );
  });
});
