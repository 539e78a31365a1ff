import type { Tracer } from '@aws-lambda-powertools/tracer';
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

let tracer: Tracer | undefined;

/**
 * Every client built after this call records its AWS calls as X-Ray subsegments. Called once at cold start by
 * the handlers that trace (api, worker, webhook); the tracer itself is a no-op outside Lambda.
 */
export function traceAwsClients(t: Tracer): void {
  tracer = t;
}

function traced<C>(client: C): C {
  return tracer ? tracer.captureAWSv3Client(client) : client;
}

export function dynamoDocumentClient(endpoint = process.env.DYNAMODB_ENDPOINT): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(traced(new DynamoDBClient({ ...local(endpoint), maxAttempts: 3 })), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

/**
 * `requestTimeoutMs`: give up on a request that gets no answer (the SDK's default waits as long as the socket
 * lives). The API sets it so that a hanging SendMessage ends in its error path, well inside the function's
 * timeout, instead of the function being killed between recording a job and queueing it.
 */
export function sqsClient(
  endpoint = process.env.SQS_ENDPOINT,
  opts: { requestTimeoutMs?: number } = {},
): SQSClient {
  return traced(
    new SQSClient({
      ...local(endpoint),
      maxAttempts: 3,
      ...(opts.requestTimeoutMs
        ? {
            requestHandler: {
              requestTimeout: opts.requestTimeoutMs,
              // Without it the handler only logs a warning when the time is up.
              throwOnRequestTimeout: true,
              connectionTimeout: 2_000,
            },
          }
        : {}),
    }),
  );
}

export function secretsManagerClient(endpoint = process.env.SECRETS_MANAGER_ENDPOINT): SecretsManagerClient {
  return traced(new SecretsManagerClient({ ...local(endpoint), maxAttempts: 3 }));
}
