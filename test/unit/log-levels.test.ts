import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../shared/runtime/observability';

/**
 * On Lambda the stack keeps the platform's log filter (AWS_LAMBDA_LOG_LEVEL) at INFO so EMF metric lines, which
 * carry no level and count as INFO, always pass; the stage's level (WARN, ERROR) must then come from the logger.
 */
let lines: string[];
const saved = { ...process.env };
beforeEach(() => {
  lines = [];
  // Powertools writes INFO to stdout and WARN/ERROR to stderr.
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
  }
  process.env.AWS_LAMBDA_LOG_LEVEL = 'INFO';
  delete process.env.POWERTOOLS_LOG_LEVEL;
  process.env.LOG_LEVEL = 'WARN';
  delete process.env.POWERTOOLS_DEV;
});
afterEach(() => {
  vi.restoreAllMocks();
  process.env = { ...saved };
});

describe('log levels on Lambda', () => {
  it('the stage level (LOG_LEVEL=WARN) holds even though Lambda filters at INFO', () => {
    const logger = createLogger('test');
    logger.info('chatty');
    logger.warn('worth a look');
    expect(lines.join('')).not.toContain('chatty');
    expect(lines.join('')).toContain('worth a look');
    // The platform's variable is left as Lambda set it.
    expect(process.env.AWS_LAMBDA_LOG_LEVEL).toBe('INFO');
  });

  it('a plain Powertools logger would follow Lambda’s filter instead (what createLogger avoids)', () => {
    new Logger({ serviceName: 'test' }).info('chatty');
    expect(lines.join('')).toContain('chatty');
  });

  it('metric lines carry no level, so only a Lambda filter at INFO or below keeps them', () => {
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    const metrics = new Metrics({ namespace: 'Test', serviceName: 'test' });
    metrics.addMetric('JobTransitions', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    const emf = lines.map((l) => JSON.parse(l)).find((l) => l._aws);
    expect(emf._aws.CloudWatchMetrics[0].Metrics[0].Name).toBe('JobTransitions');
    expect(emf.level).toBeUndefined();
  });
});
