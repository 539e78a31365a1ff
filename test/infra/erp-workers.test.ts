import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { DLQ_RETENTION, SOURCE_RETENTION } from '../../cdk/constructs/erp-worker';
import { workerSizing } from '../../cdk/worker-sizing';
import { listAdapters } from '../../shared/erps/registry';
import type { ErpAdapter } from '../../shared/erps/types';
import { maxReceiveCount, workerFunctionTimeoutSeconds } from '../../shared/worker/settings';
import { FIXTURE_ADAPTERS } from './fixtures/adapters';
import { synthStack } from './synth';

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

/** Checks every per-ERP resource and setting the issue asks for, for each adapter of a synthesized stack. */
function expectWorkers(t: Template, adapters: readonly ErpAdapter<unknown>[]) {
  const queues = t.findResources('AWS::SQS::Queue') as Resources;
  const functions = t.findResources('AWS::Lambda::Function') as Resources;
  const mappings = Object.values(t.findResources('AWS::Lambda::EventSourceMapping') as Resources);
  const policies = Object.values(t.findResources('AWS::SQS::QueuePolicy') as Resources);
  const byName = <T extends Resources>(rs: T, key: string, name: string) => {
    const hit = Object.entries(rs).find(([, r]) => r.Properties[key] === name);
    if (!hit) throw new Error(`missing ${name}`);
    return { id: hit[0], p: hit[1].Properties };
  };

  // One per ERP jobs queue, plus the webhooks dispatcher's.
  expect(mappings).toHaveLength(adapters.length + 1);
  for (const adapter of adapters) {
    const w = adapter.worker;
    const name = `dev-erp-bridge-${adapter.id}`;
    const queue = byName(queues, 'QueueName', `${name}-jobs`);
    const dlq = byName(queues, 'QueueName', `${name}-dlq`);
    const fn = byName(functions, 'FunctionName', `${name}-worker`);

    // Worker: timeout from the adapter's upstream timeout (same formula as the job lease), ≤ 15 min.
    expect(fn.p.Timeout).toBe(workerFunctionTimeoutSeconds(w));
    expect(fn.p.Timeout as number).toBeLessThanOrEqual(900);
    expect((fn.p.Environment as { Variables: Record<string, unknown> }).Variables.ERP).toBe(adapter.id);

    // Queue: visibility ≥ 6 × function timeout; both encrypted; both keep messages 14 days (the SQS maximum).
    expect(queue.p.VisibilityTimeout as number).toBeGreaterThanOrEqual(6 * (fn.p.Timeout as number));
    expect(queue.p.SqsManagedSseEnabled).toBe(true);
    expect(dlq.p.SqsManagedSseEnabled).toBe(true);
    expect(queue.p.MessageRetentionPeriod).toBe(SOURCE_RETENTION.toSeconds());
    expect(dlq.p.MessageRetentionPeriod).toBe(DLQ_RETENTION.toSeconds());
    expect([SOURCE_RETENTION.toDays(), DLQ_RETENTION.toDays()]).toEqual([14, 14]);

    // maxReceiveCount is a crash-only net sized from the worker settings: waits re-send their message, so
    // receives count only attempts (at most one per receive) and crashes; the worker dead-letters a job itself
    // once more than maxAttempts are lost or failed, which takes maxAttempts + 1 receives of one message.
    const receives = (queue.p.RedrivePolicy as { maxReceiveCount: number }).maxReceiveCount;
    expect(queue.p.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [dlq.id, 'Arn'] },
      maxReceiveCount: maxReceiveCount(w),
    });
    expect(receives).toBeGreaterThan(w.maxAttempts + 1);

    // The DLQ takes dead letters from this ERP's jobs queue only (RedriveAllowPolicy by queue, named by ARN).
    const allow = dlq.p.RedriveAllowPolicy as { redrivePermission: string; sourceQueueArns: unknown[] };
    expect(allow.redrivePermission).toBe('byQueue');
    expect(allow.sourceQueueArns).toHaveLength(1);
    const [, [...parts]] = (allow.sourceQueueArns[0] as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
    const arn = parts.map((x) => (typeof x === 'string' ? x : `{${(x as { Ref: string }).Ref}}`)).join('');
    expect(arn).toBe(`arn:{AWS::Partition}:sqs:{AWS::Region}:{AWS::AccountId}:${queue.p.QueueName}`);

    // TLS only, on both queues.
    for (const q of [queue, dlq]) {
      const policy = policies.find((p) => JSON.stringify(p.Properties.Queues).includes(q.id));
      if (!policy) throw new Error(`no queue policy for ${q.id}`);
      const statements = (policy.Properties.PolicyDocument as { Statement: unknown[] }).Statement;
      expect(statements, q.id).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }

    // Event source: partial batch responses, the adapter's batch size, a window, and a concurrency cap from the
    // ERP's documented limits (Lambda accepts 2..1000).
    const esm = mappings.find((m) => JSON.stringify(m.Properties.FunctionName).includes(fn.id));
    expect(esm, adapter.id).toBeDefined();
    expect(esm!.Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [queue.id, 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: Math.min(10, Math.max(1, w.batchSize)),
      MaximumBatchingWindowInSeconds: workerSizing(adapter).maxBatchingWindowSeconds,
      ScalingConfig: { MaximumConcurrency: Math.min(1000, Math.max(2, w.maxConcurrency)) },
    });
  }
}

describe('every ERP in the registry', () => {
  const adapters = listAdapters();
  it(`gets its queue, DLQ, worker and event source mapping (${adapters.length} registered)`, () => {
    const t = synthStack().template();
    expectWorkers(t, adapters);
    // No ERP, no worker: nothing per-ERP is left over.
    // Jobs queue + DLQ per ERP, plus the webhooks queue and its DLQ.
    expect(Object.keys(t.findResources('AWS::SQS::Queue'))).toHaveLength(2 * adapters.length + 2);
  }, 180_000);
});

describe('a known list of ERPs (fixtures with different limits)', () => {
  it('gets one set of resources per ERP, with its own settings', () => {
    const t = synthStack({ adapters: FIXTURE_ADAPTERS }).template();
    expectWorkers(t, FIXTURE_ADAPTERS);
    // Spot-check the derivation on concrete numbers: siigo 30 s upstream timeout, 8 attempts, concurrency 3.
    t.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'dev-erp-bridge-siigo-jobs',
      VisibilityTimeout: 6 * 120 + 1,
      RedrivePolicy: { maxReceiveCount: 11 },
    });
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: 3 } });
    // sage asks for 1 concurrent call: clamped to Lambda's minimum of 2.
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: 2 },
    });
  }, 180_000);
});
