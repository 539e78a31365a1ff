import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stark, startPipeline } from '../helpers/pipeline';

/**
 * Issue 13 §3 on a real queue (fauxqs, redrive after 6 receives): a wait that is not a failure — a rate limit
 * here — re-sends a delayed copy of the message and deletes the one received, so no number of waits reaches
 * maxReceiveCount; it stays a net for workers that crash.
 */
let p: Awaited<ReturnType<typeof startPipeline>>;
const A = 'tenant-receives';

beforeAll(async () => {
  p = await startPipeline();
  await p.api('PUT', '/v1/connections/main', {
    tenantId: A,
    body: { erp: 'siigo', environment: 'sandbox', credentials: { username: 'u', accessKey: 'k-receives' } },
  });
});
afterAll(() => p.close());

describe('waits do not consume SQS receives', () => {
  it('more rate-limit waits than maxReceiveCount: the job still succeeds and nothing is dead-lettered', async () => {
    const attrs = await p.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: p.queueUrl, AttributeNames: ['RedrivePolicy'] }),
    );
    const maxReceiveCount = JSON.parse(attrs.Attributes?.RedrivePolicy ?? '{}').maxReceiveCount as number;
    const waits = maxReceiveCount + 2;
    p.erp.createScript.push(
      ...Array.from({ length: waits }, () => ({
        kind: 'rate_limited' as const,
        upstream: { erp: 'siigo', status: 429, message: 'Too Many Requests' },
      })),
    );
    const res = await p.api('POST', '/v1/customers', {
      tenantId: A,
      headers: { 'x-erp': 'siigo', 'x-connection': 'main' },
      body: stark,
    });
    const job = await p.runUntilFinal(A, res.json.jobId, 60_000);
    expect(job).toMatchObject({ status: 'succeeded', attempts: waits + 1, rateLimited: waits });
    expect(await p.dlqBodies()).toEqual([]);
    expect(p.erp.creates.filter((id) => id === res.json.jobId)).toHaveLength(waits + 1);
  }, 90_000);
});
