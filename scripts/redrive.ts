import { getAdapter } from '../shared/erps/registry';
import { queueUrlAndArn, redriveManually, redriveWithMoveTask } from '../shared/queue/redrive';
import { sqsClient } from '../shared/runtime/aws';

/**
 * Moves an ERP's dead-letter queue back to its jobs queue: at most the messages that were in it when the redrive
 * started, and prints what it moved (locally: each message id with its job id; on AWS: the move task and the
 * count SQS fixed at its start). Each redriven message re-opens its job (history entry `redriven`); jobs that
 * may exist upstream are looked up before anything is created; a message that is still invalid goes back to the
 * DLQ with its own code.
 *   npm run redrive -- --stage dev --erp siigo     # AWS: StartMessageMoveTask (credentials from your environment)
 *   npm run redrive -- --stage local --erp siigo   # the running local stack (npm start)
 */
const args = process.argv.slice(2);
const arg = (n: string) => {
  const i = args.indexOf(`--${n}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const stage = arg('stage');
const adapter = getAdapter(arg('erp') ?? '');
if (!stage || !/^[a-z0-9-]{1,20}$/.test(stage) || !adapter) {
  console.error('usage: npm run redrive -- --stage <stage> --erp <erp> [--rate <messages per second>]');
  process.exit(2);
}
const local = stage === 'local';
const sqs = sqsClient(local ? `http://127.0.0.1:${process.env.LOCAL_SQS_PORT ?? 4566}` : undefined);
const base = `${stage}-erp-bridge-${adapter.id}`;
try {
  const dlq = await queueUrlAndArn(sqs, `${base}-dlq`);
  const jobs = await queueUrlAndArn(sqs, `${base}-jobs`);
  const rate = arg('rate') ? Number(arg('rate')) : undefined;
  const result = local
    ? await redriveManually(sqs, dlq.url, jobs.url)
    : await redriveWithMoveTask(sqs, dlq.arn, jobs.arn, rate);
  console.log(JSON.stringify({ stage, erp: adapter.id, ...result }));
} catch (e) {
  console.error(`redrive failed: ${(e as Error).name}: ${(e as Error).message}`);
  if (local) console.error('is the local stack running (npm start)?');
  process.exit(1);
}
