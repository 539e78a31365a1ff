import fs from 'node:fs';

/**
 * A tiny ERP Bridge client for the examples: create a customer, then poll the job until it is final.
 * Against `npm start` by default; set ERP_BRIDGE_URL and ERP_BRIDGE_API_KEY for another stack.
 */
const url = process.env.ERP_BRIDGE_URL ?? 'http://127.0.0.1:3000';
const apiKey = process.env.ERP_BRIDGE_API_KEY ?? fs.readFileSync('.data/local-api-key', 'utf8').trim();

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url + path, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export async function createCustomer(
  erp: string,
  connection: string,
  customer: unknown,
  idempotencyKey?: string,
) {
  const accepted = await call('POST', '/v1/customers', customer, {
    'x-erp': erp,
    'x-connection': connection,
    ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
  });
  console.log(`accepted: job ${accepted.jobId} (${accepted.status})`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const job = await call('GET', `/v1/jobs/${accepted.jobId}`);
    if (['succeeded', 'failed', 'dead_lettered'].includes(job.status as string)) {
      console.log(
        JSON.stringify({
          jobId: job.jobId,
          status: job.status,
          erpCustomerId: job.erpCustomerId,
          error: job.error,
        }),
      );
      if (job.status !== 'succeeded') process.exitCode = 1;
      return job;
    }
    if (Date.now() > deadline) throw new Error(`job ${accepted.jobId} still ${job.status}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
