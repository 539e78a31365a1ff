import { ChangeMessageVisibilityCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_REASON } from '../../shared/queue/queue';
import { SqsJobQueue, SqsMessageControl } from '../../shared/queue/sqs-queue';

describe('SqsJobQueue', () => {
  it("sends to the ERP's queue with MessageGroupId = tenant (fair queues) and an ASCII body", async () => {
    const sqs = mockClient(SQSClient);
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm1' });
    const q = new SqsJobQueue(new SQSClient({}), { siigo: 'https://sqs/siigo-jobs' });
    await q.send('siigo', {
      version: 1,
      jobId: '3b241101-e2bb-4255-8caf-4136c566a962',
      tenantId: 'acme',
      connectionId: 'c',
      customer: { n: 'Bogotá 😀' },
    });
    const input = sqs.commandCalls(SendMessageCommand)[0]?.args[0].input;
    expect(input?.QueueUrl).toBe('https://sqs/siigo-jobs');
    expect(input?.MessageGroupId).toBe('acme');
    expect(input?.MessageBody).toMatch(/^[\x20-\x7e]+$/);
    expect(JSON.parse(input?.MessageBody ?? '').customer.n).toBe('Bogotá 😀');
    await expect(
      q.send('alegra', { version: 1, tenantId: 'acme', connectionId: 'c', customer: {} }),
    ).rejects.toThrow(/no queue/);
  });
});

describe('SqsMessageControl', () => {
  it("moves visibility for retries, clamped to SQS's 12 hours, and dead-letters with the reason attribute", async () => {
    const sqs = mockClient(SQSClient);
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
    sqs.on(SendMessageCommand).resolves({});
    const c = new SqsMessageControl(new SQSClient({}), 'https://sqs/jobs', 'https://sqs/dlq');
    await c.retryLater('rh-1', 12.2);
    await c.retryLater('rh-2', 3600 * 24);
    const vis = sqs
      .commandCalls(ChangeMessageVisibilityCommand)
      .map((x) => x.args[0].input.VisibilityTimeout);
    expect(vis).toEqual([13, 43_200]);
    await c.deadLetter('{"version":1}', 'attempts_exhausted');
    const dl = sqs.commandCalls(SendMessageCommand)[0]?.args[0].input;
    expect(dl?.QueueUrl).toBe('https://sqs/dlq');
    expect(dl?.MessageAttributes?.[DEAD_LETTER_REASON]?.StringValue).toBe('attempts_exhausted');
  });

  it('re-sends a delayed copy to its own queue: whole seconds up to SQS’s 15 minutes, in the tenant’s group', async () => {
    const sqs = mockClient(SQSClient);
    sqs.on(SendMessageCommand).resolves({});
    const c = new SqsMessageControl(new SQSClient({}), 'https://sqs/jobs', 'https://sqs/dlq');
    await c.resend('{"a":1}', 1.2, 'acme');
    await c.resend('{"a":2}', 3600);
    const sent = sqs.commandCalls(SendMessageCommand).map((x) => x.args[0].input);
    expect(sent.map((i) => [i.QueueUrl, i.MessageBody, i.DelaySeconds, i.MessageGroupId])).toEqual([
      ['https://sqs/jobs', '{"a":1}', 2, 'acme'],
      ['https://sqs/jobs', '{"a":2}', 900, undefined],
    ]);
  });
});
