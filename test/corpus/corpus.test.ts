import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulators } from '../../local/simulators';
import { startAlegraSimulator } from '../../local/simulators/alegra';
import { startChargeOverSimulator } from '../../local/simulators/chargeover';
import type { Simulator } from '../../local/simulators/kit';
import { startNetSuiteSimulator } from '../../local/simulators/netsuite';
import { startNextSimulator } from '../../local/simulators/next';
import { startQuickBooksSimulator } from '../../local/simulators/quickbooks';
import { startSageSimulator } from '../../local/simulators/sage';
import { startSiigoSimulator } from '../../local/simulators/siigo';
import type { UnifiedCustomer } from '../../shared/customer/schema';
import { listAdapters } from '../../shared/erps/registry';
import type { ErpAdapter, ErpId } from '../../shared/erps/types';
import { adapterContext } from '../helpers/adapter-context';
import { accept, dryRun, leaves, setAt, valueAt, warnedAbout } from '../helpers/field-coverage';

/**
 * Issue 11, "Done means": realistic customers (test/corpus/customers.json: 65 across CO, MX, CL, PE, ES, SE,
 * ZA, US, CA, GB, BR — accents, apostrophes, backslashes, long names, IDN e-mails, odd phones and addresses)
 * run through every ERP's dry run and simulator. Each either succeeds or is refused at accept time with a
 * pointer: no late failure (an accepted customer the simulator refuses), no duplicate (one record per customer),
 * no silent drop (every field it sent is in the native request, or named in `warnings`).
 * Simulators run in this process with their rate limits lifted: the corpus tests content, not pacing.
 */
interface Entry {
  id: string;
  about: string;
  customer: Record<string, unknown>;
}
const CORPUS: Entry[] = JSON.parse(
  fs.readFileSync(path.join(import.meta.dirname, 'customers.json'), 'utf8'),
).customers;

/** What a caller adds for each ERP (NEXT needs the database's customer type id). */
const EXTRA: Partial<Record<ErpId, Record<string, unknown>>> = { next: { erpFields: { customertypeid: 1 } } };

interface Sim {
  sims: Simulator[];
  /** The simulated company an entry goes to (Alegra: a Spanish company for Spanish customers). */
  pick(entry: Entry): { sim: Simulator; credentials: unknown };
  count(): number;
}
const one = (sim: Simulator, credentials: unknown, count: () => number): Sim => ({
  sims: [sim],
  pick: () => ({ sim, credentials }),
  count,
});

const NO_LIMIT = 1_000_000;
const START: Record<ErpId, () => Promise<Sim>> = {
  siigo: async () => {
    const sim = await startSiigoSimulator(undefined, {
      requestsPerMinute: NO_LIMIT,
      testRequestsPerMinute: NO_LIMIT,
    });
    return one(sim, simulators.siigo?.demoCredentials, () => sim.state().customers.length);
  },
  alegra: async () => {
    // The country is the Alegra company's (its catalogues): Spanish customers go to a Spanish company.
    const co = await startAlegraSimulator(undefined, { ratePerMinute: NO_LIMIT });
    const es = await startAlegraSimulator(undefined, { ratePerMinute: NO_LIMIT, country: 'ES' });
    const credentials = simulators.alegra?.demoCredentials;
    return {
      sims: [co, es],
      pick: (e) => ({ sim: e.id.startsWith('es-') ? es : co, credentials }),
      count: () => co.state().customers.length + es.state().customers.length,
    };
  },
  quickbooks: async () => {
    const sim = await startQuickBooksSimulator(undefined, { perMinute: NO_LIMIT, perSecond: NO_LIMIT });
    const grant = sim.authorize();
    return one(sim, grant, () => sim.customers(grant.realmId).length);
  },
  netsuite: async () => {
    const sim = await startNetSuiteSimulator();
    return one(sim, simulators.netsuite?.demoCredentials, () => sim.customers().length);
  },
  chargeover: async () => {
    const sim = await startChargeOverSimulator({}, { rateLimit: false });
    return one(sim, simulators.chargeover?.demoCredentials, () => sim.customers().length);
  },
  next: async () => {
    const sim = await startNextSimulator(undefined, { rateLimitPerSecond: NO_LIMIT });
    return one(sim, simulators.next?.demoCredentials, () => sim.customers().length);
  },
  sage: async () => {
    const sim = await startSageSimulator(undefined, { requestsPerMinute: false });
    return one(sim, simulators.sage?.demoCredentials, () => sim.customers().length);
  },
};

/** Fields whose values are codes or choices: the table test (test/unit/field-coverage.test.ts) tries them. */
const CODES =
  /^\/(type|personType|currency|language|branchOffice)$|\/(country|kind|stateCode|cityCode)$|^\/identification\/(type|checkDigit)$|^\/tax\//;

/** Another valid-looking value of the same kind, to see whether the field reaches the request. */
function perturb(pointer: string, value: unknown): unknown {
  if (typeof value === 'boolean') return !value;
  if (typeof value !== 'string' || CODES.test(pointer)) return undefined;
  if (pointer.endsWith('/email')) return `x${value}`;
  if (pointer === '/website') return `${value}x`;
  // Change the last letter or digit into another of its kind (length and shape stay).
  const chars = Array.from(value);
  for (let i = chars.length - 1; i >= 0; i--) {
    const ch = chars[i] as string;
    if (/\d/.test(ch)) chars[i] = String((Number(ch) + 1) % 10);
    else if (/[a-y]/i.test(ch)) chars[i] = String.fromCharCode(ch.charCodeAt(0) + 1);
    else if (/z/i.test(ch)) chars[i] = ch === 'z' ? 'a' : 'A';
    else continue;
    return chars.join('');
  }
  return undefined;
}

const request = (adapter: ErpAdapter<unknown>, c: UnifiedCustomer) => {
  const r = dryRun(adapter, c);
  return JSON.stringify({ url: r.url, body: r.body });
};

/** Leaves of the body that change nothing in the request when changed, without a warning: silent drops. */
function silentDrops(adapter: ErpAdapter<unknown>, body: Record<string, unknown>, sent: string): string[] {
  const out: string[] = [];
  for (const leaf of leaves(body)) {
    const changed = perturb(leaf, valueAt(body, leaf));
    if (changed === undefined) continue;
    const copy = structuredClone(body);
    setAt(copy, leaf, changed);
    const a = accept(adapter, copy);
    if (a.kind === 'rejected' || warnedAbout(a.warnings, leaf)) continue;
    if (request(adapter, a.customer) === sent) out.push(leaf);
  }
  return out;
}

it('the corpus: at least 60 customers from the eleven countries, ids unique', () => {
  expect(CORPUS.length).toBeGreaterThanOrEqual(60);
  expect(new Set(CORPUS.map((e) => e.id)).size).toBe(CORPUS.length);
  const countries = new Set(CORPUS.map((e) => e.id.slice(0, 2).toUpperCase()));
  expect([...countries].sort()).toEqual(['BR', 'CA', 'CL', 'CO', 'ES', 'GB', 'MX', 'PE', 'SE', 'US', 'ZA']);
});

describe.each(listAdapters().map((a) => [a.id, a] as const))('corpus through %s', (erp, adapter) => {
  let s: Sim;
  beforeAll(async () => {
    s = await START[erp]();
  });
  afterAll(async () => {
    for (const sim of s?.sims ?? []) await sim.close();
  });

  it('each customer succeeds in the simulator or is refused at accept with a pointer; one record each; nothing dropped silently', async () => {
    const endpointsOf = (sim: Simulator) =>
      Object.fromEntries(
        Object.entries(adapter.endpoints).map(([name, spec]) => [
          name,
          (simulators[erp]?.env[spec.env] ?? '{url}').replace('{url}', sim.url),
        ]),
      );
    const ids: string[] = [];
    const problems: string[] = [];
    let refused = 0;
    for (const entry of CORPUS) {
      const body = { ...structuredClone(entry.customer), ...EXTRA[erp] };
      const a = accept(adapter, body);
      if (a.kind === 'rejected') {
        refused++;
        for (const i of a.issues) {
          if (!/^\/\S/.test(i.pointer))
            problems.push(`${entry.id}: refused without a pointer: ${JSON.stringify(i)}`);
        }
        continue;
      }
      const sent = request(adapter, a.customer);
      for (const leaf of silentDrops(adapter, body, sent)) {
        problems.push(`${entry.id}: ${leaf} is dropped silently (neither in the request nor in warnings)`);
      }
      const target = s.pick(entry);
      const ctx = adapterContext(adapter, {
        credentials: adapter.credentialsSchema.parse(target.credentials),
        endpoints: endpointsOf(target.sim),
        timeoutMs: 5000,
      });
      const out = await adapter.create(a.customer, ctx);
      // Ids are per company (Alegra runs two).
      if (out.kind === 'created') ids.push(`${target.sim.url} ${out.erpCustomerId}`);
      else
        problems.push(
          `${entry.id}: late failure ${out.kind}: ${JSON.stringify('upstream' in out ? out.upstream : out)}`,
        );
    }
    expect(problems).toEqual([]);
    // No duplicates: one record per accepted customer, each with its own id.
    expect(new Set(ids).size).toBe(ids.length);
    expect(s.count()).toBe(ids.length);
    // Not a vacuous run: most of the corpus reaches every ERP (Siigo needs Colombian DANE codes).
    expect(ids.length, `${erp}: ${ids.length} created, ${refused} refused`).toBeGreaterThanOrEqual(
      erp === 'siigo' ? 5 : 30,
    );
  });
});
