import type { Counts } from './counters';
import { MEMORY_MB, PRICES } from './prices';

export interface CostLine {
  item: string;
  perMillion: number;
  usd: number;
}

const c = (counts: Counts, k: string) => counts[k] ?? 0;

/**
 * USD per one million customers created, from the counters of a bench run that created `created` customers.
 * `jobItemKb` sizes a job write (write units per KB, times three: the table and its two indexes).
 * Assumptions, stated: the authorizer runs once per request (no result caching) for `authorizerMs`; measured
 * local durations stand in for Lambda's; idle long polls of the event source mapping are left out (they
 * depend on idle time, not on customers).
 */
export function costPerMillion(
  counts: Counts,
  created: number,
  opts: { jobItemKb: number; authorizerMs: number; naive?: boolean },
): CostLine[] {
  const per = (n: number) => (n / created) * 1_000_000;
  const apiCalls = c(counts, 'lambda:api:invocations');
  const workerRecords = c(counts, 'lambda:worker:records');
  // Naive: batch size 1 (one invocation per record) and no credential cache (every record reads the secret).
  const workerInvocations = opts.naive ? workerRecords : c(counts, 'lambda:worker:invocations');
  const workerMs = c(counts, 'lambda:worker:ms');
  const gbSeconds =
    (c(counts, 'lambda:api:ms') / 1000) * (MEMORY_MB.api / 1024) +
    ((apiCalls * opts.authorizerMs) / 1000) * (MEMORY_MB.authorizer / 1024) +
    (workerMs / 1000) * (MEMORY_MB.worker / 1024);
  // Naive: with batch size 1 each record is its own receive and its own delete.
  const sqs =
    c(counts, 'sqs:SendMessage') +
    c(counts, 'sqs:ChangeMessageVisibility') +
    (opts.naive
      ? 2 * workerRecords
      : c(counts, 'sqs:ReceiveMessage:nonempty') +
        c(counts, 'sqs:DeleteMessageBatch') +
        c(counts, 'sqs:DeleteMessage'));
  const jobWu = Math.ceil(opts.jobItemKb) * 3;
  const writes = (kind: string) =>
    ['Put', 'Update', 'Delete'].reduce((s, op) => s + c(counts, `dynamodb:${op}${kind}`), 0);
  const writeUnits = writes(':job') * jobWu + writes(':small');
  const readUnits =
    c(counts, 'dynamodb:Get:job') * Math.ceil(opts.jobItemKb / 4) +
    c(counts, 'dynamodb:Get:small') +
    c(counts, 'dynamodb:Query');
  const smWorker = opts.naive
    ? workerRecords * 2
    : c(counts, 'secretsmanager:GetSecretValue:worker') + c(counts, 'secretsmanager:DescribeSecret:worker');
  const smApi =
    c(counts, 'secretsmanager:DescribeSecret:api') + c(counts, 'secretsmanager:GetSecretValue:api');
  const lines: [string, number, number][] = [
    [
      'Lambda requests (api + authorizer + worker)',
      per(apiCalls * 2 + workerInvocations),
      PRICES.lambdaPerMillionRequests / 1e6,
    ],
    ['Lambda GB-s (arm64)', per(gbSeconds), PRICES.lambdaPerGbSecondArm],
    ['API Gateway HTTP requests', per(apiCalls), PRICES.apiGatewayHttpPerMillion / 1e6],
    ['SQS requests', per(sqs), PRICES.sqsPerMillionRequests / 1e6],
    ['DynamoDB write units', per(writeUnits), PRICES.dynamoPerMillionWriteUnits / 1e6],
    ['DynamoDB read units', per(readUnits), PRICES.dynamoPerMillionReadUnits / 1e6],
    ['Secrets Manager calls', per(smWorker + smApi), PRICES.secretsManagerPerMillionCalls / 1e6],
  ];
  return lines.map(([item, n, unit]) => ({ item, perMillion: n, usd: n * unit }));
}

export const total = (lines: CostLine[]) => lines.reduce((s, l) => s + l.usd, 0);
