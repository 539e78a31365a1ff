// zod/mini (the same library, tree-shakable): every function reads its configuration, and the authorizer and the
// sweeper need nothing more of zod — the classic API would add ~450 KiB to each bundle.
import * as z from 'zod/mini';
import { ERP_IDS } from './erps/types';

const positiveInt = () => z.coerce.number().check(z.int(), z.positive());
const int = (def: number) => z._default(positiveInt(), def);
const queueUrls = z.partialRecord(z.enum(ERP_IDS), z.url());

/** Environment configuration, parsed once and failing fast with the variable's name. */
export const configSchema = z.object({
  STAGE: z._default(z.string().check(z.regex(/^[a-z0-9-]{1,20}$/)), 'local'),
  TABLE_NAME: z.string().check(z.minLength(3)),
  /** JSON object erp → queue URL (api, sweeper). */
  JOB_QUEUE_URLS: z.pipe(
    z._default(z.string(), '{}'),
    z.transform((s: string, ctx) => {
      try {
        return queueUrls.parse(JSON.parse(s));
      } catch {
        ctx.issues.push({
          code: 'custom',
          message: 'must be a JSON object of ERP name → queue URL',
          input: s,
        });
        return z.NEVER;
      }
    }),
  ),
  ERP: z.optional(z.enum(ERP_IDS)),
  JOB_QUEUE_URL: z.optional(z.url()),
  DEAD_LETTER_QUEUE_URL: z.optional(z.url()),
  SECRETS_PREFIX: z.optional(z.string()),
  SECRETS_KMS_KEY_ID: z.optional(z.string()),
  CONNECTION_STORE: z._default(z.enum(['secrets-manager', 'local-file']), 'secrets-manager'),
  LOCAL_DATA_DIR: z._default(z.string(), '.data'),
  CREDENTIALS_CACHE_TTL_SECONDS: int(300),
  /**
   * How long an API container trusts a connection's metadata (ERP, environment, status) it read, so accepting a
   * job costs no Secrets Manager call. Changes made through another container show after at most this long;
   * the worker checks the connection again before any upstream call.
   */
  CONNECTION_METADATA_TTL_SECONDS: int(30),
  TENANT_RATE_LIMIT_PER_MINUTE: int(600),
  /** Overrides the ERP's own upstream timeout (local stack and tests). */
  UPSTREAM_TIMEOUT_MS: z.optional(positiveInt()),
  /** Overrides the job lease (local stack: short, so a killed worker's job is picked up quickly). */
  JOB_LEASE_SECONDS: z.optional(positiveInt()),
  SWEEP_STUCK_AFTER_SECONDS: int(120),
  /**
   * Where the connect page is served, e.g. https://api.example.com (connect-session links, OAuth redirect URIs).
   * Unset on the API: the request's own host. Required for the sweeper's reconnect links.
   */
  PUBLIC_BASE_URL: z.optional(z.url()),
  /** Secrets Manager name prefix of the operator's OAuth apps (`<prefix><erp>/<environment>`); unset: env vars. */
  OAUTH_APPS_PREFIX: z.optional(z.string()),
  /** Caps retry backoff below each ERP's own cap (local stack and load runs); an ERP's hint still wins. */
  RETRY_MAX_DELAY_MS: z.optional(positiveInt()),
});

export type Config = z.output<typeof configSchema> & { secretsPrefix: string };

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const r = configSchema.safeParse(env);
  if (!r.success) {
    const problems = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  return { ...r.data, secretsPrefix: r.data.SECRETS_PREFIX ?? `erp-bridge/${r.data.STAGE}/` };
}
