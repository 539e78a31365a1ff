import * as z from 'zod';
import { connectionIdSchema } from '../connections/connection-id';
import { tenantIdSchema } from '../tenants/tenant-id';

/** SQS message bodies are capped well below SQS's 1 MiB; a customer is at most 64 KiB. */
export const MAX_MESSAGE_BYTES = 256 * 1024;

/**
 * The SQS message contract (DESIGN §1) for producers that skip the API. Never a credential: the worker
 * resolves credentials from `tenantId` + `connectionId`. `customer` is checked with the unified schema
 * by the worker (it is `unknown` here so one bad field fails the job with pointers, not the envelope).
 */
export const jobMessageSchema = z.strictObject({
  version: z.literal(1),
  jobId: z.uuid().optional(),
  tenantId: tenantIdSchema,
  connectionId: connectionIdSchema,
  customer: z.record(z.string(), z.unknown()),
  idempotencyKey: z.string().min(1).max(255).optional(),
  callbackUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
});

export type JobMessage = z.infer<typeof jobMessageSchema>;
