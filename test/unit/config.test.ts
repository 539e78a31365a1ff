import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config';

describe('configuration', () => {
  it('parses a partial queue map and derives the secrets prefix from the stage', () => {
    const c = loadConfig({
      TABLE_NAME: 'dev-erp-bridge',
      STAGE: 'dev',
      JOB_QUEUE_URLS: '{"siigo":"https://sqs.us-east-1.amazonaws.com/1/q"}',
    });
    expect(c.JOB_QUEUE_URLS).toEqual({ siigo: 'https://sqs.us-east-1.amazonaws.com/1/q' });
    expect(c.secretsPrefix).toBe('erp-bridge/dev/');
    expect(c.CREDENTIALS_CACHE_TTL_SECONDS).toBe(300);
  });

  it('fails fast naming the variable', () => {
    expect(() => loadConfig({})).toThrow(/TABLE_NAME/);
    expect(() => loadConfig({ TABLE_NAME: 'ttt', JOB_QUEUE_URLS: '{"sap":"https://x"}' })).toThrow(
      /JOB_QUEUE_URLS/,
    );
    expect(() => loadConfig({ TABLE_NAME: 'ttt', CONNECTION_STORE: 'vault' })).toThrow(/CONNECTION_STORE/);
  });
});
