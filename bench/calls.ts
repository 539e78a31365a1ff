import type { Counts } from './counters';
import { fmt } from './stats';

/**
 * AWS calls per accepted request and per job, by service and operation (DynamoDB operations also by item kind:
 * `job`, or the key prefix of a guard's item), next to the floor, each extra call with its reason.
 */
const FLOOR_ACCEPT: Record<string, number> = { 'dynamodb:Put:job': 1, 'sqs:SendMessage': 1 };
const FLOOR_JOB: Record<string, number> = {
  'dynamodb:Update:job:claim': 1,
  'dynamodb:Update:job:record': 1,
  // One delete per job; Lambda's event source mapping deletes a batch in one call, so ≤ 1.
  'sqs:DeleteMessageBatch': 1,
};

/** Why each call beyond the floor is made. */
const WHY: Record<string, string> = {
  'dynamodb:Update:job:wait':
    'guard: the job waits for its pacing slot (or a retry): state written, then claimed again when due',
  'dynamodb:Update:RATE': 'guard: tenant request budget (one counter write per block of requests)',
  'secretsmanager:DescribeSecret':
    'connection metadata (API: per container per CONNECTION_METADATA_TTL_SECONDS; worker: with the credentials)',
  'secretsmanager:GetSecretValue': 'credentials, cached per worker container (CREDENTIALS_CACHE_TTL_SECONDS)',
  'secretsmanager:PutSecretValue': 'a rotated OAuth token written back (QuickBooks refresh)',
  'dynamodb:Update:PACE': "guard: the ERP's documented rate limit, shared by every worker (pacing slot)",
  'dynamodb:Put:LOCK': 'guard: one token refresh at a time per connection (lock)',
  'dynamodb:Delete:LOCK': 'guard: lock released',
  'dynamodb:Put:PACE': 'guard: concurrency slot of the connection',
  'dynamodb:Delete:PACE': 'guard: concurrency slot released',
  'dynamodb:Get:PACE': "guard: the ERP's shared block state",
  'dynamodb:Get:job': 'job read outside the claim (claim lost its condition: busy, not due, or final)',
  'dynamodb:Get:REFUSED': 'refused inline credentials marker (inline credentials only)',
  'dynamodb:Get:WEBHOOK': 'webhook settings of a finished job (callback URL or tenant webhook)',
  'dynamodb:Put:CNOTICE':
    "connection notice kept with a refreshed OAuth token (its refresh token's expiry: connection.expiring)",
  'dynamodb:Update:job:update': 'other job changes (a sweeper re-queue, a re-opened job)',
  'sqs:SendMessage': 'worker: a job waiting for its pacing slot or a retry comes back as a delayed copy',
  'sqs:ChangeMessageVisibility': 'a message handed back for a later try',
  'sqs:ReceiveMessage': 'the event source mapping polls (SQS bills them; Lambda does not)',
  'sqs:GetQueueAttributes': 'bench setup',
  'sqs:CreateQueue': 'bench setup',
};

/** Why a floor call is made more often than the floor, per job. */
const BEYOND_FLOOR: Record<string, string> = {
  'dynamodb:Update:job:claim': 'a job that waited (pacing slot or retry) is claimed again when due',
  'sqs:DeleteMessageBatch':
    'one per batch the event source mapping hands over; a delayed copy is a message too',
};

function floorWhy(k: string, beyond: boolean): string {
  if (!beyond) return 'floor';
  return `floor; beyond it: ${BEYOND_FLOOR[k] ?? WHY[k] ?? 'not explained'}`;
}

const isAwsCall = (k: string) =>
  /^(dynamodb|sqs|secretsmanager):/.test(k) && !/:(api|worker|setup|nonempty)$/.test(k);

export function awsCallsTable(accept: Counts, work: Counts, accepted: number, jobs: number) {
  const keys = [...new Set([...Object.keys(accept), ...Object.keys(work)])].filter(isAwsCall).sort();
  const per = (c: Counts, k: string, n: number) => (n ? (c[k] ?? 0) / n : 0);
  const lines = keys
    .map((k) => {
      const a = per(accept, k, accepted);
      const j = per(work, k, jobs);
      const floorA = FLOOR_ACCEPT[k] ?? 0;
      const floorJ = FLOOR_JOB[k] ?? 0;
      const why =
        floorA || floorJ ? floorWhy(k, a > floorA + 1e-9 || j > floorJ + 1e-9) : (WHY[k] ?? 'not explained');
      return { k, a, j, floorA, floorJ, why };
    })
    .filter((l) => l.a || l.j || l.floorA || l.floorJ)
    // Setup calls of the bench itself are not the product's.
    .filter((l) => l.why !== 'bench setup');
  const acceptTotal = lines.reduce((s, l) => s + l.a, 0);
  const jobTotal = lines.reduce((s, l) => s + l.j, 0);
  const markdown = [
    '| call | per accepted request | accept floor | per job (worker) | job floor | why |',
    '|---|---|---|---|---|---|',
    ...lines.map(
      (l) =>
        `| ${l.k} | ${fmt(l.a, 3)} | ${l.floorA || ''} | ${fmt(l.j, 3)} | ${l.floorJ || ''} | ${l.why} |`,
    ),
    `| **total** | **${fmt(acceptTotal, 3)}** | **2** | **${fmt(jobTotal, 3)}** | **3** | |`,
  ].join('\n');
  return { markdown, acceptTotal, jobTotal, lines };
}

/**
 * The same calls per customer when accepting and working overlap (steady arrivals): one column, against the
 * floor of both together (5: put, send, claim, record, delete).
 */
export function awsCallsPerCustomer(counts: Counts, customers: number) {
  const floor: Counts = { ...FLOOR_ACCEPT };
  for (const [k, v] of Object.entries(FLOOR_JOB)) floor[k] = (floor[k] ?? 0) + v;
  const floorTotal = Object.values(floor).reduce((s, v) => s + v, 0);
  const keys = [...new Set([...Object.keys(counts), ...Object.keys(floor)])].filter(isAwsCall).sort();
  const lines = keys
    .map((k) => {
      const n = customers ? (counts[k] ?? 0) / customers : 0;
      const f = floor[k] ?? 0;
      return { k, n, f, why: f ? floorWhy(k, n > f + 1e-9) : (WHY[k] ?? 'not explained') };
    })
    .filter((l) => (l.n || l.f) && l.why !== 'bench setup');
  const perCustomer = lines.reduce((s, l) => s + l.n, 0);
  const markdown = [
    '| call | per customer | floor | why |',
    '|---|---|---|---|',
    ...lines.map((l) => `| ${l.k} | ${fmt(l.n, 3)} | ${l.f || ''} | ${l.why} |`),
    `| **total** | **${fmt(perCustomer, 3)}** | **${floorTotal}** | |`,
  ].join('\n');
  return { markdown, perCustomer, floorTotal };
}
