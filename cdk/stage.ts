import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as z from 'zod';
import { listAdapters } from '../shared/erps/registry';
import { ERP_IDS, type ErpAdapter, type ErpId } from '../shared/erps/types';

/**
 * Stage configuration: `cdk synth|deploy -c stage=<name>` picks `stages.<name>` from cdk.json's context, so
 * every setting a deployed stage needs is committed with the code (a later deploy cannot silently forget a
 * `-c` flag). Validated at synth; an error names the setting (`stages.prod.alarms`). Only two flags remain:
 * `-c stage=<name>` and `-c ephemeral=true` (a disposable stage, e.g. one per pull request). The operator's guide
 * is docs/deploy.md.
 */

const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** CloudWatch Logs accepts only these retention periods (days). */
const RETENTION_DAYS = new Set(
  Object.values(RetentionDays).filter((d): d is RetentionDays => typeof d === 'number' && d > 0),
);

/** A literal value, or the name of an SSM String parameter that CloudFormation resolves at each deploy. */
const parameterValue = z.union([
  z.string().trim().min(1),
  z.strictObject({
    ssm: z
      .string()
      .regex(
        /^\/[A-Za-z0-9_.\-/]{1,1010}$/,
        'must be an SSM parameter name starting with / (e.g. /erp-bridge/prod/x)',
      ),
  }),
]);
export type SettingValue = z.infer<typeof parameterValue>;

const hostname = z
  .string()
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'must be a lower-case DNS name',
  );
const arn = (service: string, resource: string) =>
  z
    .string()
    .regex(
      new RegExp(`^arn:aws[a-z-]*:${service}:[a-z0-9-]*:\\d{12}:${resource}`),
      `must be an ${service} ARN (arn:aws:${service}:<region>:<account>:${resource.replace(/\\/g, '')}…)`,
    );

const settingsSchema = z
  .strictObject({
    /** Disposable: everything is deleted with the stack; short log retention; no alarm target needed. */
    ephemeral: z.boolean().default(false),
    alarms: z
      .strictObject({
        /** E-mail subscriptions on the stage's own (encrypted) alarm topic; each address must confirm. */
        email: z
          .union([z.email(), z.array(z.email()).min(1)])
          .transform((e) => [e].flat())
          .optional(),
        /** An existing SNS topic (Chatbot, PagerDuty, an on-call rota); its key policy must let CloudWatch publish. */
        topicArn: arn('sns', '[A-Za-z0-9_-]+$').optional(),
      })
      .default({}),
    /**
     * Prefix that makes the runbook link in every alarm description clickable, e.g. your repository's
     * `https://github.com/<org>/erp-bridge/blob/main/` (ends with /). Default: the repo-relative path.
     */
    runbookBaseUrl: z
      .url({ protocol: /^https$/ })
      .refine((u) => u.endsWith('/'), 'must end with /')
      .default(''),
    /** Application log level (Powertools); Lambda's own filter never drops metric lines (see bundled-function). */
    logLevel: z.enum(LOG_LEVELS).default('INFO'),
    logRetentionDays: z
      .number()
      .int()
      .refine(
        (d) => RETENTION_DAYS.has(d),
        'must be a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, …)',
      )
      .optional(),
    api: z
      .strictObject({
        /** HTTP API default-route throttling, per account-region-API, across all tenants. */
        rateLimit: z.number().positive().optional(),
        burstLimit: z.number().int().positive().optional(),
        /** Per-tenant budget the API enforces itself (429 beyond). */
        tenantRateLimitPerMinute: z.number().int().positive().default(600),
        /** Browser origins allowed by CORS; none = CORS off (a server-to-server API). */
        corsOrigins: z.array(z.url({ protocol: /^https$/ })).default([]),
      })
      .default({ tenantRateLimitPerMinute: 600, corsOrigins: [] }),
    /** Serve the API on your own name: a regional ACM certificate for it in the stack's region. */
    customDomain: z
      .strictObject({ domainName: hostname, certificateArn: arn('acm', 'certificate/') })
      .optional(),
    /** Only the custom domain (or CloudFront) reaches the API; needs customDomain. */
    disableExecuteApiEndpoint: z.boolean().default(false),
    /**
     * CloudFront in front of the custom domain with an AWS WAF web ACL (CLOUDFRONT scope, so in us-east-1: the
     * `<stage>-erp-bridge-edge-firewall` stack, see edgeFirewall, creates one). Optional viewer name + us-east-1
     * certificate.
     */
    edge: z
      .strictObject({
        webAclArn: arn('wafv2', 'global/webacl/'),
        domainName: hostname.optional(),
        certificateArn: arn('acm', 'certificate/').optional(),
        /** CloudFront geo restriction: only these countries (ISO 3166-1 alpha-2) reach the API. */
        allowCountries: z
          .array(z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as CO'))
          .min(1)
          .optional(),
      })
      .optional(),
    /** Creates the `<stage>-erp-bridge-edge-firewall` stack (us-east-1): the web ACL for `edge.webAclArn`. */
    edgeFirewall: z
      .strictObject({
        /** Requests per client IP per 5 minutes before the rate-based rule blocks it (WAF minimum 10). */
        rateLimitPerIp: z.number().int().min(10).default(1000),
      })
      .optional(),
    /**
     * DynamoDB deletion protection. Off for the first deploy (a failed create must be able to roll the table
     * back), then switch it on and deploy again (docs/deploy.md#first-deploy).
     */
    tableDeletionProtection: z.boolean().default(false),
    /** Per-ERP deployment settings (e.g. Siigo's Partner-Id) and base-URL overrides, by endpoint name. */
    erps: z
      .partialRecord(
        z.enum(ERP_IDS),
        z.strictObject({
          settings: z.record(z.string(), parameterValue).default({}),
          endpoints: z.record(z.string(), parameterValue).default({}),
        }),
      )
      .default({}),
  })
  .superRefine((s, ctx) => {
    if (s.disableExecuteApiEndpoint && !s.customDomain) {
      ctx.addIssue({
        code: 'custom',
        path: ['disableExecuteApiEndpoint'],
        message:
          'needs customDomain: with the execute-api endpoint off, the custom domain is the only way in',
      });
    }
    if (s.edge && !(s.customDomain && s.disableExecuteApiEndpoint)) {
      ctx.addIssue({
        code: 'custom',
        path: ['edge'],
        message:
          'needs customDomain (the CloudFront origin) and disableExecuteApiEndpoint: true (else clients bypass the firewall)',
      });
    }
    if (s.edge && Boolean(s.edge.domainName) !== Boolean(s.edge.certificateArn)) {
      ctx.addIssue({
        code: 'custom',
        path: ['edge'],
        message: 'domainName and certificateArn (a us-east-1 certificate) go together',
      });
    }
  });

export type StageSettings = z.output<typeof settingsSchema>;

/** Everything that differs between stages. */
export interface StageConfig {
  /** Lower-case name used as prefix of every physical name: `<stage>-erp-bridge…`. */
  name: string;
  /** Disposable stage: destroy on delete, short retention. Every other stage is durable. */
  ephemeral: boolean;
  /** Table, queues, log groups and KMS keys: DESTROY when ephemeral, else retained (except on a failed create). */
  removalPolicy: RemovalPolicy;
  logRetention: RetentionDays;
  logLevel: LogLevel;
  throttle: { rateLimit: number; burstLimit: number };
  tenantRateLimitPerMinute: number;
  corsOrigins: string[];
  alarms: { emails: string[]; topicArn?: string };
  /** Prepended to docs/deploy.md in alarm descriptions ('' = repo-relative). */
  runbookBaseUrl: string;
  customDomain?: { domainName: string; certificateArn: string };
  disableExecuteApiEndpoint: boolean;
  edge?: NonNullable<StageSettings['edge']>;
  edgeFirewall?: NonNullable<StageSettings['edgeFirewall']>;
  tableDeletionProtection: boolean;
  /** Per ERP: environment variable → value, from its settings and endpoint overrides (validated against the adapter). */
  erpEnvironment: Partial<Record<ErpId, Record<string, SettingValue>>>;
  /** Not errors, but worth the operator's attention at synth (printed as CDK warnings). */
  warnings: string[];
}

export type ContextReader = (key: string) => unknown;

const STAGE_NAME = /^[a-z][a-z0-9-]{0,19}$/;

/** `-c` flags earlier versions read; their settings now live in cdk.json so no deploy can forget them. */
const MOVED_FLAGS: Record<string, string> = {
  alarmEmail: 'alarms.email',
  alarmTopic: 'alarms.topicArn',
  corsOrigins: 'api.corsOrigins',
  logRetentionDays: 'logRetentionDays',
  logLevel: 'logLevel',
  apiRateLimit: 'api.rateLimit',
  apiBurstLimit: 'api.burstLimit',
  tenantRateLimitPerMinute: 'api.tenantRateLimitPerMinute',
};

function flag(v: unknown): boolean | undefined {
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  if (v === undefined) return undefined;
  throw new Error(`-c ephemeral must be true or false, not ${JSON.stringify(v)}`);
}

/**
 * Builds the stage config from CDK context: the stage name (`-c stage=`), its entry in `stages` (cdk.json) and
 * `-c ephemeral=true`. Fails with the setting's path on anything malformed or missing. `adapters` (default: the
 * registry) are the ERPs whose settings and endpoint names are checked.
 */
export function stageConfig(
  context: ContextReader,
  adapters: readonly ErpAdapter<unknown>[] = listAdapters(),
): StageConfig {
  const raw = context('stage');
  const name = typeof raw === 'string' ? raw.trim() : '';
  if (!STAGE_NAME.test(name)) {
    throw new Error(
      'set the stage: cdk synth|deploy -c stage=<name> (lower-case letters, digits and -, at most 20, e.g. dev or prod)',
    );
  }
  const at = `stages.${name}`;
  for (const [old, now] of Object.entries(MOVED_FLAGS)) {
    if (context(old) !== undefined) {
      throw new Error(
        `-c ${old} is no longer read: set ${at}.${now} in cdk.json (the stage's committed settings)`,
      );
    }
  }
  const stages = context('stages') ?? {};
  if (typeof stages !== 'object' || Array.isArray(stages))
    throw new Error('stages (cdk.json context) must be an object');
  const entry = (stages as Record<string, unknown>)[name];
  const parsed = settingsSchema.safeParse(entry ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${[at, ...i.path].join('.')}: ${i.message}`);
    throw new Error(`invalid stage configuration (cdk.json):\n  ${problems.join('\n  ')}`);
  }
  const s = parsed.data;

  const ephemeralFlag = flag(context('ephemeral'));
  if (ephemeralFlag === true && entry !== undefined && !s.ephemeral) {
    // A flag must never turn a committed durable stage (prod) into one that deletes its data.
    throw new Error(`-c ephemeral=true refused: ${at} is a durable stage in cdk.json`);
  }
  const ephemeral = s.ephemeral || ephemeralFlag === true;

  if (!ephemeral && !s.alarms.email && !s.alarms.topicArn) {
    throw new Error(
      `${at}.alarms: a durable stage needs an alarm target. Set ${at}.alarms.email (one or more addresses) and/or ` +
        `${at}.alarms.topicArn (an existing SNS topic) in cdk.json; for a disposable stage pass -c ephemeral=true.`,
    );
  }

  const retentionDays = s.logRetentionDays ?? (ephemeral ? 7 : 90);
  const warnings: string[] = [];
  if (!ephemeral && !s.tableDeletionProtection) {
    warnings.push(
      `${at}.tableDeletionProtection is off: after the first successful deploy set it to true and deploy again (docs/deploy.md#first-deploy)`,
    );
  }
  return {
    name,
    ephemeral,
    // RETAIN_ON_UPDATE_OR_DELETE = CloudFormation's RetainExceptOnCreate: a failed first deploy rolls back
    // cleanly (nothing left behind to block the retry), while later updates and stack deletion keep the data.
    removalPolicy: ephemeral ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    logRetention: retentionDays as RetentionDays,
    logLevel: s.logLevel,
    throttle: {
      rateLimit: s.api.rateLimit ?? (ephemeral ? 20 : 200),
      burstLimit: s.api.burstLimit ?? (ephemeral ? 40 : 400),
    },
    tenantRateLimitPerMinute: s.api.tenantRateLimitPerMinute,
    corsOrigins: s.api.corsOrigins,
    alarms: { emails: s.alarms.email ?? [], ...(s.alarms.topicArn ? { topicArn: s.alarms.topicArn } : {}) },
    runbookBaseUrl: s.runbookBaseUrl,
    ...(s.customDomain ? { customDomain: s.customDomain } : {}),
    disableExecuteApiEndpoint: s.disableExecuteApiEndpoint,
    ...(s.edge ? { edge: s.edge } : {}),
    ...(s.edgeFirewall ? { edgeFirewall: s.edgeFirewall } : {}),
    tableDeletionProtection: s.tableDeletionProtection,
    erpEnvironment: erpEnvironment(at, s.erps, adapters, ephemeral),
    warnings,
  };
}

/** Maps `erps.<erp>.settings|endpoints` to each adapter's environment variables, checking names and values. */
function erpEnvironment(
  at: string,
  erps: StageSettings['erps'],
  adapters: readonly ErpAdapter<unknown>[],
  ephemeral: boolean,
): StageConfig['erpEnvironment'] {
  const out: StageConfig['erpEnvironment'] = {};
  const problems: string[] = [];
  for (const erp of Object.keys(erps) as ErpId[]) {
    if (!adapters.some((a) => a.id === erp))
      problems.push(`${at}.erps.${erp}: ${erp} is not deployed by this stack`);
  }
  for (const adapter of adapters) {
    const conf = erps[adapter.id] ?? { settings: {}, endpoints: {} };
    const env: Record<string, SettingValue> = {};
    const path = `${at}.erps.${adapter.id}`;
    const known = adapter.settings ?? {};
    for (const [key, value] of Object.entries(conf.settings)) {
      const setting = known[key];
      if (!setting) {
        problems.push(`${path}.settings.${key}: unknown (known: ${Object.keys(known).join(', ') || 'none'})`);
        continue;
      }
      const problem = typeof value === 'string' ? setting.check(value) : undefined;
      if (problem) problems.push(`${path}.settings.${key}: ${problem}`);
      env[setting.env] = value;
    }
    for (const [key, setting] of Object.entries(known)) {
      if (setting.requiredOnDurableStages && !ephemeral && conf.settings[key] === undefined) {
        problems.push(`${path}.settings.${key}: required on a durable stage (${setting.description})`);
      }
    }
    for (const [key, value] of Object.entries(conf.endpoints)) {
      const spec = adapter.endpoints[key];
      if (!spec) {
        problems.push(
          `${path}.endpoints.${key}: unknown (known: ${Object.keys(adapter.endpoints).join(', ') || 'none'})`,
        );
        continue;
      }
      if (typeof value === 'string' && !isHttpsUrl(value)) {
        problems.push(`${path}.endpoints.${key}: must be an https:// URL ({placeholders} allowed)`);
      }
      env[spec.env] = value;
    }
    if (Object.keys(env).length) out[adapter.id] = env;
  }
  if (problems.length) throw new Error(`invalid stage configuration (cdk.json):\n  ${problems.join('\n  ')}`);
  return out;
}

/** https URL; `{accountId}`-style placeholders (NetSuite, ChargeOver) are filled in per connection at run time. */
function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value.replace(/\{[A-Za-z]+\}/g, 'x')).protocol === 'https:';
  } catch {
    return false;
  }
}

export const resourcePrefix = (stage: Pick<StageConfig, 'name'>) => `${stage.name}-erp-bridge`;
export const secretsPrefix = (stage: Pick<StageConfig, 'name'>) => `erp-bridge/${stage.name}/`;
export const metricsNamespace = (stage: Pick<StageConfig, 'name'>) => `ErpBridge/${stage.name}`;
