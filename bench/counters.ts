import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ConnectionStore } from '../shared/connections/store';

/**
 * Counts every AWS call the code under test makes, by service and command, by wrapping the clients' `send`
 * (bench only). Secrets Manager has no local emulator: the connection store is counted as the calls the
 * Secrets Manager store makes for the same method (get = DescribeSecret + GetSecretValue).
 */
export type Counts = Record<string, number>;
export const counts: Counts = {};
const bump = (k: string, n = 1) => {
  counts[k] = (counts[k] ?? 0) + n;
};
const bumpCount = bump;

export function resetCounts(): void {
  for (const k of Object.keys(counts)) delete counts[k];
}

export function snapshot(): Counts {
  return { ...counts };
}

export function diff(after: Counts, before: Counts): Counts {
  const out: Counts = {};
  for (const [k, v] of Object.entries(after)) if (v - (before[k] ?? 0)) out[k] = v - (before[k] ?? 0);
  return out;
}

/** `job` for job items (`T#…`), else the key's prefix: RATE, PACE, LOCK, REFUSED, WEBHOOK, APIKEY. */
export function itemKind(pk: string): string {
  return pk.startsWith('T#') ? 'job' : (pk.split('#')[0] ?? 'other');
}

/**
 * What a job update is for: `claim` (the conditional take that returns the old item), `record` (the final
 * result: the update removes the job from the sweeper's index gsi2), `wait` (back to waiting with a next attempt
 * time: a pacing wait or a retry), or `update` (any other change). The index writes of each differ (cost.ts).
 */
function jobUpdatePurpose(input: unknown): 'claim' | 'record' | 'wait' | 'update' {
  const i = input as {
    ReturnValues?: string;
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, unknown>;
  };
  if (i.ReturnValues === 'ALL_OLD') return 'claim';
  const names = i.ExpressionAttributeNames ?? {};
  const values = i.ExpressionAttributeValues ?? {};
  const assigned = (attr: string) => {
    const n = Object.keys(names).find((k) => names[k] === attr);
    return n ? { named: true, value: values[n.replace('#a', ':v')] } : { named: false, value: undefined };
  };
  const gsi2 = assigned('gsi2pk');
  if (gsi2.named && gsi2.value === undefined) return 'record';
  if (assigned('nextAttemptAt').value !== undefined) return 'wait';
  return 'update';
}

/**
 * Time spent waiting on AWS calls (here: on the emulators), summed over calls, and their number. Set apart from
 * a handler's own time because an emulator's speed is not AWS's: dynalite takes longer the longer an expression
 * is, DynamoDB does not.
 */
export const awsWait = { ms: 0, calls: 0 };

/** The AWS wait of whatever `f` runs (nothing else may run meanwhile). */
export async function withAwsWait<T>(f: () => Promise<T>): Promise<{ value: T; ms: number; calls: number }> {
  const ms = awsWait.ms;
  const calls = awsWait.calls;
  const value = await f();
  return { value, ms: awsWait.ms - ms, calls: awsWait.calls - calls };
}

let installed = false;
export function installCounters(): void {
  if (installed) return;
  installed = true;
  for (const [service, cls] of [
    ['dynamodb', DynamoDBClient],
    ['dynamodb', DynamoDBDocumentClient],
    ['sqs', SQSClient],
    ['secretsmanager', SecretsManagerClient],
  ] as const) {
    const proto = cls.prototype as unknown as { send: (cmd: object, ...rest: unknown[]) => unknown };
    const original = proto.send;
    proto.send = function (this: unknown, cmd: object, ...rest: unknown[]) {
      const name = cmd.constructor.name.replace(/Command$/, '');
      // A SendMessageBatch/DeleteMessageBatch is one request; ReceiveMessage is one request however many it returns.
      const input = (cmd as { input?: { Key?: { pk?: unknown }; Item?: { pk?: unknown } } }).input;
      const pk = String(input?.Key?.pk ?? input?.Item?.pk ?? '');
      // Job items are large and indexed (gsi1, gsi2); the others (pacing, locks, counters) are small and unindexed,
      // named by their key prefix (PACE, LOCK, RATE, …) so each guard shows on its own row.
      const kind = service === 'dynamodb' && pk ? `:${itemKind(pk)}` : '';
      bump(
        `${service}:${name}${kind}${kind === ':job' && name === 'Update' ? `:${jobUpdatePurpose(input)}` : ''}`,
      );
      const t = performance.now();
      const result = (original.call(this, cmd, ...rest) as Promise<{ Messages?: unknown[] }>).finally(() => {
        awsWait.ms += performance.now() - t;
        awsWait.calls++;
      });
      if (name === 'ReceiveMessage') {
        return result.then((r) => {
          if (r?.Messages?.length) bump('sqs:ReceiveMessage:nonempty');
          return r;
        });
      }
      return result;
    };
  }
}

/** The connection store with Secrets Manager's call counts: what it would cost on AWS. */
export function countingConnections(inner: ConnectionStore, who: string): ConnectionStore {
  const bump = (k: string) => {
    bumpCount(k);
    bumpCount(`${k}:${who}`);
  };
  /** Counts `calls` then forwards: what the Secrets Manager store would send for this method. */
  const via =
    <A extends unknown[], R>(calls: string[], f: (...a: A) => Promise<R>) =>
    (...a: A): Promise<R> => {
      for (const k of calls) bump(`secretsmanager:${k}`);
      return f(...a);
    };
  return {
    put: via(['CreateSecret'], (c) => inner.put(c)),
    get: via(['DescribeSecret', 'GetSecretValue'], (t, c) => inner.get(t, c)),
    getMetadata: via(['DescribeSecret'], (t, c) => inner.getMetadata(t, c)),
    list: via(['ListSecrets'], (t) => inner.list(t)),
    delete: via(['DeleteSecret'], (t, c) => inner.delete(t, c)),
    updateCredentials: via(['PutSecretValue'], (t, c, v) => inner.updateCredentials(t, c, v)),
    setStatus: via(['TagResource'], (t, c, s, r) => inner.setStatus(t, c, s, r)),
  };
}

/** Counts Lambda invocations and their billed milliseconds (measured locally, a proxy for Lambda's). */
export function timedInvocation<A extends unknown[], R>(fn: string, f: (...a: A) => Promise<R>) {
  return async (...a: A): Promise<R> => {
    const t = performance.now();
    const records = (a[0] as { Records?: unknown[] } | undefined)?.Records?.length;
    if (records) bump(`lambda:${fn}:records`, records);
    try {
      return await f(...a);
    } finally {
      bump(`lambda:${fn}:invocations`);
      bump(`lambda:${fn}:ms`, Math.ceil(performance.now() - t));
    }
  };
}
