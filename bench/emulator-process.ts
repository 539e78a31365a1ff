import { startDynamo, startSqs } from '../local/emulators';

/**
 * The bench's DynamoDB and SQS emulators in a process of their own, as AWS's services are: their CPU (dynalite
 * parsing every expression, fauxqs) is not charged to the handler being measured. Prints one JSON line with the
 * endpoints, then serves until its parent closes stdin.
 */
const dynamo = await startDynamo();
const sqs = await startSqs();
process.stdout.write(`${JSON.stringify({ dynamo: dynamo.endpoint, sqs: sqs.endpoint })}\n`);
process.stdin.resume();
process.stdin.on('end', async () => {
  await Promise.allSettled([sqs.close(), dynamo.close()]);
  process.exit(0);
});
