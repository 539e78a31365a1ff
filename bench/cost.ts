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
 * Index write units of one job write, by what the write is (bench/counters.ts names it), for the stack's table
 * (cdk/constructs/job-table.ts: gsi1 projects the keys, `status` and `erp`; gsi2 the keys only). Index entries are
 * small: 1 unit each. gsi1 is written when a job is put and whenever its `status` changes (every
 * kind below changes it). gsi2 is sparse with the due time as its sort key: a put adds the entry (1), a claim or
 * a wait moves it (a delete and a put: 2), the final record removes it (1). Any other write counts as the upper
 * bound (gsi1 1 + gsi2 moved 2). Before issue 14 gsi1 projected ALL and cost the whole item again each time.
 */
const INDEX_UNITS: Record<string, number> = {
  'Put:job': 1 + 1,
  'Update:job:claim': 1 + 2,
  'Update:job:wait': 1 + 2,
  'Update:job:record': 1 + 1,
};
const INDEX_UNITS_OTHER = 1 + 2;

/** Write units of a job write of `kind` ("Update:job:claim"): the item in the table (1 per KB) and its indexes. */
export function jobWriteUnits(jobItemKb: number, kind: string): number {
  return Math.ceil(jobItemKb) + (INDEX_UNITS[kind] ?? INDEX_UNITS_OTHER);
}

/** Write units of the job writes among `counts` (the table and both indexes, per kind). */
export function jobWriteUnitsOf(counts: Counts, jobItemKb: number): { writes: number; units: number } {
  let writes = 0;
  let units = 0;
  for (const [k, v] of Object.entries(counts)) {
    const m = /^dynamodb:((Put|Update|Delete):job(:\w+)?)$/.exec(k);
    if (!m?.[1]) continue;
    writes += v;
    units += v * jobWriteUnits(jobItemKb, m[1]);
  }
  return { writes, units };
}

/**
 * USD per one million customers created, from the counters of a bench run that created `created` customers.
 * `jobItemKb` sizes a job write in the table (write units per KB); its index writes depend on its kind.
 * Assumptions, stated: the authorizer runs once per request (no result caching) for `authorizerMs` and reads
 * the key's item; measured local durations stand in for Lambda's; idle long polls of the event source mapping
 * are left out (Lambda's pollers make them whether or not customers arrive: a cost of the hour, not of the
 * customer); Secrets Manager reads per cache period are spread over the run's customers (a longer run at the
 * same rate spreads them thinner).
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
  const writeUnits =
    jobWriteUnitsOf(counts, opts.jobItemKb).units +
    sumOf(counts, /^dynamodb:(Put|Update|Delete):(?<kind>\w+)(:\w+)?$/, false);
  // The authorizer reads the key's item once per request (eventually consistent, under 4 KB: half a unit).
  const readUnits =
    apiCalls * 0.5 +
    c(counts, 'dynamodb:Get:job') * Math.ceil(opts.jobItemKb / 4) +
    sumOf(counts, /^dynamodb:Get:(?<kind>\w+)$/, false) +
    c(counts, 'dynamodb:Query');
  const smWorker = opts.naive
    ? workerRecords * 2
    : c(counts, 'secretsmanager:GetSecretValue:worker') +
      c(counts, 'secretsmanager:DescribeSecret:worker') +
      c(counts, 'secretsmanager:PutSecretValue:worker');
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

/**
 * An item's size as DynamoDB bills it ("Item sizes and formats", DynamoDB developer guide): each attribute's
 * name in UTF-8 plus its value: strings in UTF-8, numbers about one byte per two significant digits plus one,
 * booleans and nulls one byte, lists and maps three bytes plus one per element plus the elements (and, for
 * maps, their names).
 */
export function dynamoItemBytes(item: Record<string, unknown>): number {
  const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');
  const value = (v: unknown): number => {
    if (typeof v === 'string') return utf8(v);
    if (typeof v === 'number') return Math.ceil(String(Math.abs(v)).replace(/[.-]|^0+/g, '').length / 2) + 1;
    if (typeof v === 'boolean' || v === null || v === undefined) return 1;
    if (Array.isArray(v)) return 3 + v.reduce((s: number, e) => s + 1 + value(e), 0);
    if (typeof v === 'object')
      return 3 + Object.entries(v).reduce((s, [k, e]) => s + 1 + utf8(k) + value(e), 0);
    return utf8(String(v));
  };
  return Object.entries(item).reduce((s, [k, v]) => s + utf8(k) + value(v), 0);
}
