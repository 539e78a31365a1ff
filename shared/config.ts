import { z } from 'zod';
import { ERP_IDS } from './erps/types';

const int = (def: number) => z.coerce.number().int().positive().default(def);

/** Environment configuration, parsed once and failing fast with the variable's name. */
export const configSchema = z.object({
  STAGE: z
    .string()
    .regex(/^[a-z0-9-]{1,20}$/)
    .default('local'),
  TABLE_NAME: z.string().min(3),
  /** JSON object erp → queue URL (api, sweeper). */
  JOB_QUEUE_URLS: z
    .string()
    .default('{}')
    .transform((s, ctx) => {
      try {
        return z.partialRecord(z.enum(ERP_IDS), z.url()).parse(JSON.parse(s));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object of ERP name → queue URL' });
        return z.NEVER;
      }
    }),
  ERP: z.enum(ERP_IDS).optional(),
  JOB_QUEUE_URL: z.string().url().optional(),
  DEAD_LETTER_QUEUE_URL: z.string().url().optional(),
  SECRETS_PREFIX: z.string().optional(),
  SECRETS_KMS_KEY_ID: z.string().optional(),
  CONNECTION_STORE: z.enum(['secrets-manager', 'local-file']).default('secrets-manager'),
  LOCAL_DATA_DIR: z.string().default('.data'),
  CREDENTIALS_CACHE_TTL_SECONDS: int(300),
  /**
   * How long an API container trusts a connection's metadata (ERP, environment, status) it read, so accepting a
   * job costs no Secrets Manager call. Changes made through another container show after at most this long;
   * the worker checks the connection again before any upstream call.
   */
  CONNECTION_METADATA_TTL_SECONDS: int(30),
  TENANT_RATE_LIMIT_PER_MINUTE: int(600),
  /** Overrides the ERP's own upstream timeout (local stack and tests). */
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().positive().optional(),
  /** Overrides the job lease (local stack: short, so a killed worker's job is picked up quickly). */
  JOB_LEASE_SECONDS: z.coerce.number().int().positive().optional(),
  SWEEP_STUCK_AFTER_SECONDS: int(120),
  /** Caps retry backoff below each ERP's own cap (local stack and load runs); an ERP's hint still wins. */
  RETRY_MAX_DELAY_MS: z.coerce.number().int().positive().optional(),
});

export type Config = z.infer<typeof configSchema> & { secretsPrefix: string };

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const r = configSchema.safeParse(env);
  if (!r.success) {
    const problems = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  return { ...r.data, secretsPrefix: r.data.SECRETS_PREFIX ?? `erp-bridge/${r.data.STAGE}/` };
}
