import * as z from 'zod/mini';
import type { RetryPolicy } from './dispatch';
import { WEBHOOK_RETRY } from './dispatch';
import type { UrlPolicy } from './url-policy';

const flag = z.pipe(
  z._default(z.enum(['true', 'false']), 'false'),
  z.transform((v: 'true' | 'false') => v === 'true'),
);
const ms = (def: number) => z._default(z.coerce.number().check(z.int(), z.positive()), def);

/** Webhook settings from the environment (kept apart from shared/config.ts: only webhook code reads them). */
const webhookEnvSchema = z.object({
  /** The webhooks queue: set on the API (nothing), the workers (the finished hook sends) and the dispatcher. */
  WEBHOOK_QUEUE_URL: z.optional(z.url()),
  WEBHOOK_DEAD_LETTER_QUEUE_URL: z.optional(z.url()),
  /** Local stack only: let callbacks reach http://127.0.0.1 (the stack's own tests). Never set on AWS. */
  WEBHOOK_ALLOW_LOOPBACK: flag,
  /** Local stack only: loopback ports callbacks may not use (its simulators and emulators), comma-separated. */
  WEBHOOK_LOOPBACK_REFUSED_PORTS: z.optional(
    z.pipe(
      z.string().check(z.regex(/^\d+(,\d+)*$/)),
      z.transform((v: string) => v.split(',').map(Number)),
    ),
  ),
  WEBHOOK_TIMEOUT_MS: ms(10_000),
  WEBHOOK_MAX_ATTEMPTS: ms(WEBHOOK_RETRY.maxAttempts),
  WEBHOOK_BASE_DELAY_MS: ms(WEBHOOK_RETRY.baseDelayMs),
  WEBHOOK_MAX_DELAY_MS: ms(WEBHOOK_RETRY.maxDelayMs),
});

export interface WebhookConfig {
  queueUrl?: string;
  deadLetterQueueUrl?: string;
  policy: UrlPolicy;
  timeoutMs: number;
  retry: RetryPolicy;
}

export function loadWebhookConfig(env: Record<string, string | undefined> = process.env): WebhookConfig {
  const r = webhookEnvSchema.safeParse(env);
  if (!r.success) {
    const problems = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  const c = r.data;
  return {
    queueUrl: c.WEBHOOK_QUEUE_URL,
    deadLetterQueueUrl: c.WEBHOOK_DEAD_LETTER_QUEUE_URL,
    policy: {
      allowLoopback: c.WEBHOOK_ALLOW_LOOPBACK,
      ...(c.WEBHOOK_LOOPBACK_REFUSED_PORTS ? { refusedLoopbackPorts: c.WEBHOOK_LOOPBACK_REFUSED_PORTS } : {}),
    },
    timeoutMs: c.WEBHOOK_TIMEOUT_MS,
    retry: {
      maxAttempts: c.WEBHOOK_MAX_ATTEMPTS,
      baseDelayMs: c.WEBHOOK_BASE_DELAY_MS,
      maxDelayMs: c.WEBHOOK_MAX_DELAY_MS,
    },
  };
}
