import { Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes } from '@aws-lambda-powertools/logger/types';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Log, WorkerTelemetry } from '../worker/deps';

/**
 * Structured JSON logs (Powertools). Handlers append jobId/tenantId/erp keys; secrets are never passed in.
 * The level is the stage's (LOG_LEVEL). Powertools would instead take Lambda's log filter level
 * (AWS_LAMBDA_LOG_LEVEL) when set; the stack keeps that filter at INFO so EMF metric lines (no level, counted as
 * INFO) always pass, so the logger is built without seeing it and applies WARN/ERROR itself.
 */
export function createLogger(serviceName: string): Logger {
  const lambdaFilter = process.env.AWS_LAMBDA_LOG_LEVEL;
  delete process.env.AWS_LAMBDA_LOG_LEVEL;
  try {
    return new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? serviceName });
  } finally {
    if (lambdaFilter !== undefined) process.env.AWS_LAMBDA_LOG_LEVEL = lambdaFilter;
  }
}

/** CloudWatch metrics (EMF) per ERP and outcome. */
export function createMetrics(serviceName: string): Metrics {
  return new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'ErpBridge', serviceName });
}

export function workerTelemetry(metrics: Metrics): WorkerTelemetry {
  return {
    outcome(erp, outcome, latencyMs) {
      const m = metrics.singleMetric();
      m.addDimensions({ erp, outcome });
      m.addMetric('UpstreamCalls', MetricUnit.Count, 1);
      if (latencyMs !== undefined) m.addMetric('UpstreamLatency', MetricUnit.Milliseconds, latencyMs);
    },
    job(erp, status) {
      const m = metrics.singleMetric();
      m.addDimensions({ erp, status });
      m.addMetric('JobTransitions', MetricUnit.Count, 1);
    },
  };
}

/** Memoises a factory: clients and config are built on the first invocation and reused while warm. */
export function lazy<T>(make: () => T): () => T {
  let v: T | undefined;
  return () => {
    v ??= make();
    return v;
  };
}

/** The domain's Log port on a Powertools logger. */
export function asLog(logger: Logger): Log {
  // Powertools types extra input as LogAttributes; our attrs are plain JSON-able records.
  const attrs = (a?: Record<string, unknown>) => (a ?? {}) as LogAttributes;
  return {
    info: (m, a) => logger.info(m, attrs(a)),
    warn: (m, a) => logger.warn(m, attrs(a)),
    error: (m, a) => logger.error(m, attrs(a)),
  };
}
