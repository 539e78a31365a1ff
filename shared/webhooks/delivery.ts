import { v5 as uuidv5 } from 'uuid';
// zod/mini: the webhook dispatcher parses deliveries and nothing else.
import * as z from 'zod/mini';
import { type Job, publicJob } from '../jobs/model';
import { tenantIdSchema } from '../tenants/tenant-id';

/**
 * One webhook to deliver, as queued by the worker's finished-job hook or a connection event (connect page,
 * sweeper). Never holds the secret. The body is `job` (type `job.finished`, the default: deliveries queued before
 * types existed carry none) or `event` (a `connection.*` event).
 */
export const webhookDeliverySchema = z
  .strictObject({
    version: z.literal(1),
    /** Stable per event: the receiver's de-duplication key (redeliveries repeat it). */
    eventId: z.uuid(),
    type: z.optional(z.string().check(z.regex(/^[a-z]+\.[a-z_]+$/))),
    tenantId: tenantIdSchema,
    jobId: z.optional(z.uuid()),
    url: z.string().check(z.minLength(1), z.maxLength(2000)),
    /** The job as GET /v1/jobs/{jobId} shows it, when it became final. */
    job: z.optional(z.record(z.string(), z.unknown())),
    /** A connection event (docs/webhooks.md, "Connection events"). */
    event: z.optional(z.record(z.string(), z.unknown())),
  })
  .check(
    z.refine((d) => (d.job === undefined) !== (d.event === undefined), {
      message: 'exactly one of job and event',
    }),
  );

/** The event type a delivery announces (`x-erp-bridge-event-type`). */
export const deliveryType = (d: WebhookDelivery) => d.type ?? 'job.finished';
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

/** Port: the webhooks queue. */
export interface WebhookQueue {
  send(delivery: WebhookDelivery): Promise<void>;
}

const EVENT_NAMESPACE = 'b3d1f4a2-7c6e-4f1a-9d2b-5e8c0a4f6b71';

/** Same job, same final state, same moment → same event id (a job retried later and finished again is new). */
export function eventIdFor(job: Pick<Job, 'jobId' | 'status' | 'updatedAt'>): string {
  return uuidv5(`${job.jobId}:${job.status}:${job.updatedAt}`, EVENT_NAMESPACE);
}

export function deliveryFor(job: Job, url: string): WebhookDelivery {
  return {
    version: 1,
    eventId: eventIdFor(job),
    type: 'job.finished',
    tenantId: job.tenantId,
    jobId: job.jobId,
    url,
    job: JSON.parse(JSON.stringify(publicJob(job))) as Record<string, unknown>,
  };
}
