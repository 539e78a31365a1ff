import {
  ChangeMessageVisibilityBatchCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEAD_LETTER_REASON } from '../../shared/queue/queue';
import { redriveManually, redriveWithMoveTask } from '../../shared/queue/redrive';
import { capture } from '../helpers/leak-guard';
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
    expect(moved).toMatchObject({ mode: 'manual', foundAtStart: 1, moved: 1 });
    expect(moved.messages).toEqual([{ messageId: expect.any(String), jobId: res.json.jobId }]);
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
      // Three attempts before the DLQ, one after: the numbering goes on, the budget started again.
      attempts: 4,
    });
    // Each attempt has one number: 1–3 before the DLQ, 4 after (a re-open does not start at 1 again).
    const numbered = (job?.history ?? []).filter((h) => h.outcome !== undefined).map((h) => h.attempt);
    expect(numbered).toEqual([1, 2, 3, 4]);
    const redriven = job?.history.find((h) => h.event === 'redriven');
    expect(redriven).toMatchObject({ actor: 'redrive', status: 'outcome_unknown' });
    // Three creates before the DLQ, none after: the redrive looked up instead of creating a fourth time.
    expect(p.erp.creates.filter((id) => id === res.json.jobId)).toHaveLength(3);
  });

  it('an invalid message redriven goes back to the DLQ with its own code; the redrive moves it once and stops', async () => {
    // An outside producer's message whose customer breaks the unified schema: a failed job, the message in the DLQ.
    const jobId = '3f0d5c1e-2b7a-4c9e-8d1f-6a5b4c3d2e1f';
    await p.sendRaw({
      version: 1,
      jobId,
      tenantId: A,
      connectionId: 'main',
      customer: { name: 'no person type' },
    });
    await p.pump();
    expect(await p.jobs.get(A, jobId)).toMatchObject({
      status: 'failed',
      error: { code: 'invalid_message' },
    });
    const jobsBefore = (await p.api('GET', '/v1/jobs?limit=100', { tenantId: A })).json.items.length;

    // The worker runs while the redrive does (npm start's pollers): whatever it sends back must not go round.
    let redriving = true;
    const worker = (async () => {
      while (redriving) await p.pump(p.sqs, p.queueUrl, 1);
    })();
    const result = await Promise.race([
      redriveManually(p.sqs, p.dlqUrl, p.queueUrl),
      new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000)),
    ]);
    redriving = false;
    await worker;
    expect(result).toMatchObject({ mode: 'manual', foundAtStart: 1, moved: 1, messages: [{ jobId }] });
    await p.pump();

    const dlq = await p.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: p.dlqUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 0,
        MessageAttributeNames: ['All'],
      }),
    );
    const back = (dlq.Messages ?? []).filter((m) => JSON.parse(m.Body ?? '{}').jobId === jobId);
    for (const m of back) capture('dlq message', m.Body ?? '');
    expect(back).toHaveLength(1);
    expect(back[0]?.MessageAttributes?.[DEAD_LETTER_REASON]?.StringValue).toBe('invalid_message');
    expect(await p.jobs.get(A, jobId)).toMatchObject({
      status: 'failed',
      error: { code: 'invalid_message' },
    });
    expect((await p.api('GET', '/v1/jobs?limit=100', { tenantId: A })).json.items).toHaveLength(jobsBefore);
    expect(p.erp.creates.filter((id) => id === jobId)).toEqual([]);
  });

  it('moves exactly what was in the DLQ when it started, each message once', async () => {
    while ((await p.pump()) > 0);
    const clear = await redriveManually(p.sqs, p.dlqUrl, p.queueUrl);
    expect(clear.moved).toBe(clear.foundAtStart);
    while ((await p.pump()) > 0);
    await p.dlqBodies();
    for (const n of [1, 2, 3]) {
      await p.sqs.send(
        new SendMessageCommand({
          QueueUrl: p.dlqUrl,
          MessageBody: JSON.stringify({ n }),
          MessageAttributes: { [DEAD_LETTER_REASON]: { DataType: 'String', StringValue: 'test' } },
        }),
      );
    }
    const r = await redriveManually(p.sqs, p.dlqUrl, p.queueUrl);
    expect(r).toMatchObject({ foundAtStart: 3, moved: 3 });
    expect(new Set(r.messages?.map((m) => m.messageId)).size).toBe(3);
  });

  it('leaves a message sent to the DLQ after the start where it is (made visible again, not moved)', async () => {
    const sqs = mockClient(SQSClient);
    const now = Date.now();
    const old = {
      MessageId: 'm-old',
      ReceiptHandle: 'r-old',
      Body: '{"jobId":"j-old"}',
      Attributes: { SentTimestamp: String(now - 60_000) },
    };
    const late = {
      MessageId: 'm-late',
      ReceiptHandle: 'r-late',
      Body: '{}',
      Attributes: { SentTimestamp: String(now + 60_000) },
    };
    try {
      sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '2' } });
      sqs
        .on(ReceiveMessageCommand)
        .resolvesOnce({ Messages: [old, late] })
        .resolves({ Messages: [late] });
      sqs
        .on(SendMessageBatchCommand)
        .resolves({ Successful: [{ Id: '0', MessageId: 'x', MD5OfMessageBody: '' }] });
      const r = await redriveManually(new SQSClient({}), 'dlq', 'jobs');
      expect(r).toEqual({
        mode: 'manual',
        foundAtStart: 2,
        moved: 1,
        messages: [{ messageId: 'm-old', jobId: 'j-old' }],
      });
      expect(
        sqs
          .commandCalls(SendMessageBatchCommand)
          .flatMap((c) => c.args[0].input.Entries?.map((e) => e.MessageBody)),
      ).toEqual([old.Body]);
      expect(sqs.commandCalls(ChangeMessageVisibilityBatchCommand)[0]?.args[0].input.Entries).toEqual([
        { Id: '0', ReceiptHandle: 'r-late', VisibilityTimeout: 0 },
      ]);
    } finally {
      sqs.restore();
    }
  });

  it('uses StartMessageMoveTask on AWS, from the DLQ to its jobs queue, and reports the count SQS fixed at the start', async () => {
    const sqs = mockClient(SQSClient);
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });
    sqs.on(ListMessageMoveTasksCommand).resolves({
      Results: [{ TaskHandle: 'task-1', Status: 'RUNNING', ApproximateNumberOfMessagesToMove: 7 }],
    });
    const r = await redriveWithMoveTask(new SQSClient({}), 'arn:dlq', 'arn:jobs', 50);
    expect(r).toEqual({ mode: 'move-task', taskHandle: 'task-1', foundAtStart: 7, taskStatus: 'RUNNING' });
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)[0]?.args[0].input).toEqual({
      SourceArn: 'arn:dlq',
      DestinationArn: 'arn:jobs',
      MaxNumberOfMessagesPerSecond: 50,
    });
  });
});
