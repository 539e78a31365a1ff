import { SQSClient, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redriveManually, redriveWithMoveTask } from '../../shared/queue/redrive';
import { stark, startPipeline } from '../helpers/pipeline';

let p: Awaited<ReturnType<typeof startPipeline>>;
const A = 'tenant-a';

beforeAll(async () => {
  p = await startPipeline();
  await p.api('PUT', '/v1/connections/main', {
    tenantId: A,
    body: { erp: 'siigo', environment: 'sandbox', credentials: { username: 'u', accessKey: 'k-redrive' } },
  });
});
afterAll(() => p.close());

describe('DLQ redrive', () => {
  it('moves dead-lettered messages back; each job is re-opened with an audit entry, looked up first, and succeeds', async () => {
    const upstream = { erp: 'siigo', status: 503, message: 'down' };
    p.erp.createScript.push(...Array.from({ length: 3 }, () => ({ kind: 'unknown' as const, upstream })));
    p.erp.lookupScript.push({ kind: 'not_found' }, { kind: 'not_found' });
    const res = await p.api('POST', '/v1/customers', {
      tenantId: A,
      headers: { 'x-erp': 'siigo', 'x-connection': 'main' },
      body: stark,
    });
    const dead = await p.runUntilFinal(A, res.json.jobId);
    expect(dead?.status).toBe('dead_lettered');

    const moved = await redriveManually(p.sqs, p.dlqUrl, p.queueUrl);
    expect(moved).toEqual({ mode: 'manual', moved: 1 });
    p.erp.lookupScript.push({
      kind: 'found',
      erpCustomerId: 'erp-after-redrive',
      provenBy: 'identification',
    });
    await p.pump();
    const job = await p.runUntilFinal(A, res.json.jobId);
    expect(job).toMatchObject({
      status: 'succeeded',
      erpCustomerId: 'erp-after-redrive',
      reconciled: true,
      attempts: 1,
    });
    const redriven = job?.history.find((h) => h.event === 'redriven');
    expect(redriven).toMatchObject({ actor: 'redrive', status: 'outcome_unknown' });
    // Three creates before the DLQ, none after: the redrive looked up instead of creating a fourth time.
    expect(p.erp.creates.filter((id) => id === res.json.jobId)).toHaveLength(3);
  });

  it('uses StartMessageMoveTask on AWS, from the DLQ to its jobs queue', async () => {
    const sqs = mockClient(SQSClient);
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });
    const r = await redriveWithMoveTask(new SQSClient({}), 'arn:dlq', 'arn:jobs', 50);
    expect(r).toEqual({ mode: 'move-task', taskHandle: 'task-1' });
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)[0]?.args[0].input).toEqual({
      SourceArn: 'arn:dlq',
      DestinationArn: 'arn:jobs',
      MaxNumberOfMessagesPerSecond: 50,
    });
  });
});
