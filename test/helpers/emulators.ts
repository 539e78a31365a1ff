import { ensureTable, startDynamo, startSqs } from '../../local/emulators';
import { dynamoDocumentClient, sqsClient } from '../../shared/runtime/aws';

/** In-memory DynamoDB with the stack's table, on a free loopback port. */
export async function dynamoForTest(table = 'test-erp-bridge') {
  const dynamo = await startDynamo();
  await ensureTable(dynamo.endpoint, table);
  const db = dynamoDocumentClient(dynamo.endpoint);
  return { table, db, endpoint: dynamo.endpoint, close: dynamo.close };
}

export async function sqsForTest() {
  const s = await startSqs();
  return { sqs: sqsClient(s.endpoint), endpoint: s.endpoint, close: s.close };
}
