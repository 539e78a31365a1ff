import { Tracer } from '@aws-lambda-powertools/tracer';
import { traceAwsClients } from './aws';

/**
 * Powertools Tracer for a handler: one segment per invocation (captureLambdaHandler), AWS SDK calls of every
 * client built afterwards and upstream HTTP calls (node:http/https, patched by the tracer) as subsegments. Its
 * own module so that functions without tracing (authorizer, sweeper, docs) do not bundle the X-Ray SDK. Outside
 * Lambda (local stack, tests) the tracer is disabled and changes nothing.
 */
export function createTracer(serviceName: string): Tracer {
  const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? serviceName });
  traceAwsClients(tracer);
  return tracer;
}
