/**
 * AWS list prices used by the cost model: us-east-1, on-demand, after free tiers, as published on
 * 2025-06-01 (Lambda arm64; API Gateway HTTP API first 300 M; SQS standard; DynamoDB on-demand after the
 * November 2024 reduction; Secrets Manager API calls). Update the date with the numbers.
 */
export const PRICES = {
  date: '2025-06-01',
  region: 'us-east-1',
  lambdaPerMillionRequests: 0.2,
  lambdaPerGbSecondArm: 0.0000133334,
  apiGatewayHttpPerMillion: 1.0,
  sqsPerMillionRequests: 0.4,
  dynamoPerMillionWriteUnits: 0.625,
  dynamoPerMillionReadUnits: 0.125,
  secretsManagerPerMillionCalls: 5.0,
} as const;

/** Memory of each function in the CDK stack (cdk/erp-bridge-stack.ts, cdk/constructs/erp-worker.ts). */
export const MEMORY_MB = { api: 512, authorizer: 256, worker: 256 } as const;
