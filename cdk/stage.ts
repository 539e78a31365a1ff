import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/** Everything that differs between stages, read from CDK context (`cdk deploy -c stage=prod -c alarmEmail=…`). */
export interface StageConfig {
  /** Lower-case name used as prefix of every physical name: `<stage>-erp-bridge…`. */
  name: string;
  /**
   * `dev` is disposable (destroy on delete, short log retention, no deletion protection). Every other stage
   * is treated like production: a typo in the stage name must never produce a stack that deletes data.
   */
  ephemeral: boolean;
  removalPolicy: RemovalPolicy;
  logRetention: RetentionDays;
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** HTTP API default-stage throttling (per account-region-API, across all tenants). */
  throttle: { rateLimit: number; burstLimit: number };
  /** Per-tenant limit the API enforces itself (TENANT_RATE_LIMIT_PER_MINUTE). */
  tenantRateLimitPerMinute: number;
  /** Origins allowed by CORS; empty = CORS off (server-to-server API). */
  corsOrigins: string[];
  /** Alarm notifications: a topic is created when an e-mail is given or `alarmTopic=true`. */
  alarmEmail?: string;
  alarmTopic: boolean;
}

export type ContextReader = (key: string) => unknown;

const STAGE_NAME = /^[a-z][a-z0-9-]{0,19}$/;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function num(v: unknown, fallback: number): number {
  const n = typeof v === 'number' ? v : Number(str(v));
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

const RETENTION_BY_DAYS = new Map<number, RetentionDays>(
  Object.values(RetentionDays)
    .filter((d): d is RetentionDays => typeof d === 'number')
    .map((d) => [d, d]),
);

/** Builds the stage config from context values; fails fast on a missing or malformed stage name. */
export function stageConfig(context: ContextReader): StageConfig {
  const name = str(context('stage'));
  if (!name || !STAGE_NAME.test(name)) {
    throw new Error(
      'set the stage: cdk synth|deploy -c stage=<name> (lower-case letters, digits and -, at most 20, e.g. dev or prod)',
    );
  }
  const ephemeral = name === 'dev';
  const retentionDays = num(context('logRetentionDays'), ephemeral ? 7 : 90);
  const logRetention = RETENTION_BY_DAYS.get(retentionDays);
  if (logRetention === undefined)
    throw new Error(`logRetentionDays ${retentionDays} is not a CloudWatch value`);
  const level = (str(context('logLevel')) ?? 'INFO').toUpperCase();
  if (!['DEBUG', 'INFO', 'WARN', 'ERROR'].includes(level)) throw new Error(`logLevel ${level} is not valid`);
  return {
    name,
    ephemeral,
    removalPolicy: ephemeral ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    logRetention,
    logLevel: level as StageConfig['logLevel'],
    throttle: {
      rateLimit: num(context('apiRateLimit'), ephemeral ? 20 : 200),
      burstLimit: num(context('apiBurstLimit'), ephemeral ? 40 : 400),
    },
    tenantRateLimitPerMinute: num(context('tenantRateLimitPerMinute'), 600),
    corsOrigins: (str(context('corsOrigins')) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    alarmEmail: str(context('alarmEmail')),
    alarmTopic: str(context('alarmTopic')) === 'true' || context('alarmTopic') === true,
  };
}

export const resourcePrefix = (stage: StageConfig) => `${stage.name}-erp-bridge`;
export const secretsPrefix = (stage: StageConfig) => `erp-bridge/${stage.name}/`;
export const metricsNamespace = (stage: StageConfig) => `ErpBridge/${stage.name}`;
