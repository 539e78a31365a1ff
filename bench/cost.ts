import type { Counts } from './counters';
import { MEMORY_MB, PRICES } from './prices';

export interface CostLine {
  item: string;
  perMillion: number;
  usd: number;
}

const c = (counts: Counts, k: string) => counts[k] ?? 0;

/** Sum of the counters matching `re` whose `kind` group is (job items) or is not (the others) `job`. */
function sumOf(counts: Counts, re: RegExp, job: boolean): number {
  let n = 0;
  for (const [k, v] of Object.entries(counts)) {
    const m = re.exec(k);
    if (m && (m.groups?.kind === 'job') === job) n += v;
  }
  return n;
}

/**
 * The index projections of the stack's table (cdk/constructs/job-table.ts), for the write-unit model: gsi1
 * (tenant listing) projects the keys, `status` and `erp`; gsi2 (sweeper) the keys only.
 */
export const GSI_PROJECTIONS = { gsi1: 'INCLUDE status, erp', gsi2: 'KEYS_ONLY' } as const;

/**
 * Write units of one job write, an upper bound: the item in the table (1 per KB); gsi1's small entry rewritten
 * (its `status` changes on almost every job write: 1); gsi2's entry moved (the due time is its sort key: a
 * delete and a put, 2). With gsi1 projecting ALL, as before issue 14, gsi1 alone cost the whole item again.
 */
export function jobWriteUnits(jobItemKb: number): number {
  return Math.ceil(jobItemKb) + 1 + 2;
}

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
  const writes = (job: boolean) => sumOf(counts, /^dynamodb:(Put|Update|Delete):(?<kind>\w+)(:\w+)?$/, job);
  const writeUnits = writes(true) * jobWriteUnits(opts.jobItemKb) + writes(false);
  const readUnits =
    c(counts, 'dynamodb:Get:job') * Math.ceil(opts.jobItemKb / 4) +
    sumOf(counts, /^dynamodb:Get:(?<kind>\w+)$/, false) +
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
