import { afterAll, describe, expect, it } from 'vitest';
import {
  call,
  type LocalProcess,
  startLocalProcess,
  tempDataDir,
  waitForFinal,
} from '../helpers/local-process';

/**
 * `npm start` as a user runs it: drive it over HTTP, kill it while jobs are in flight (some creates answered
 * late by the simulator), start it again on the same .data, and check every accepted job ends final, with
 * exactly one Siigo customer per succeeded job.
 */
let stack: LocalProcess | undefined;
afterAll(async () => {
  await stack?.kill();
  stack?.removeDataDir();
});

const customer = (i: number) => ({
  personType: 'company',
  name: { company: `E2E Company ${i}` },
  identification: { type: 'NIT', number: String(900_100_000 + i) },
  email: `e2e${i}@example.co`,
  billingAddress: { lines: [`Calle ${i} # 10-20`], cityCode: '11001', stateCode: '11', country: 'CO' },
  phones: [{ number: '3006003345' }],
});

describe('npm start, end to end', () => {
  it('creates customers in the Siigo simulator and survives a crash mid-flight', async () => {
    const dataDir = tempDataDir();
    stack = await startLocalProcess(dataDir);
    expect(stack.simulators.siigo).toMatch(/^http:/);

    // The README's first call works as printed.
    const first = await call(stack, 'POST', '/v1/customers', customer(0), {
      'x-erp': 'siigo',
      'x-connection': 'demo-siigo',
    });
    expect(first.status).toBe(202);
    const done = await waitForFinal(stack, [first.json.jobId]);
    expect(done.get(first.json.jobId)).toMatchObject({ status: 'succeeded' });
    expect(done.get(first.json.jobId)?.erpCustomerId).toMatch(/^[0-9a-f-]{36}$/);

    // Slow the simulator down so creates are in flight when the process dies.
    await fetch(`${stack.simulators.siigo}/__sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        faults: Array.from({ length: 4 }, () => ({
          type: 'delay',
          delayMs: 2500,
          match: { method: 'POST', path: '^/v1/customers$' },
        })),
      }),
    });
    const ids: string[] = [first.json.jobId];
    for (let i = 1; i <= 8; i++) {
      const r = await call(stack, 'POST', '/v1/customers', customer(i), {
        'x-erp': 'Siigo',
        'x-connection': 'demo-siigo',
        'idempotency-key': `e2e-${i}`,
      });
      expect(r.status).toBe(202);
      ids.push(r.json.jobId);
    }
    await new Promise((r) => setTimeout(r, 800));
    await stack.kill('SIGKILL');

    stack = await startLocalProcess(dataDir);
    // A replay after the restart names the same job.
    const replay = await call(stack, 'POST', '/v1/customers', customer(3), {
      'x-erp': 'siigo',
      'x-connection': 'demo-siigo',
      'idempotency-key': 'e2e-3',
    });
    expect(replay.json.jobId).toBe(ids[3]);

    // Siigo's sandbox is paced at 10 a minute: room for a slow machine's extra look-ups and one 60 s wait.
    const final = await waitForFinal(stack, ids, 150_000);
    expect([...final.keys()].sort()).toEqual([...ids].sort());
    for (const job of final.values()) expect(job.status).toBe('succeeded');

    const state = (await (await fetch(`${stack.simulators.siigo}/__sim/state`)).json()) as {
      customers: { id: string; identification: string }[];
    };
    const erpIds = [...final.values()].map((j) => j.erpCustomerId);
    expect(new Set(erpIds).size).toBe(ids.length);
    for (let i = 0; i <= 8; i++) {
      expect(state.customers.filter((c) => c.identification === String(900_100_000 + i))).toHaveLength(1);
    }
  }, 240_000);
});
