import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Local emulators get fixed dummy credentials; on Lambda the SDK's default chain applies. */
function local(endpoint: string | undefined) {
  return endpoint
    ? {
        endpoint,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        region: process.env.AWS_REGION ?? 'us-east-1',
      }
    : {};
}

export function dynamoDocumentClient(endpoint = process.env.DYNAMODB_ENDPOINT): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({ ...local(endpoint), maxAttempts: 3 }), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

export function sqsClient(endpoint = process.env.SQS_ENDPOINT): SQSClient {
  return new SQSClient({ ...local(endpoint), maxAttempts: 3 });
}

export function secretsManagerClient(endpoint = process.env.SECRETS_MANAGER_ENDPOINT): SecretsManagerClient {
  return new SecretsManagerClient({ ...local(endpoint), maxAttempts: 3 });
}
