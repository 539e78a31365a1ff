import { v5 as uuidv5 } from 'uuid';
// zod/mini: the webhook dispatcher parses deliveries and nothing else.
import * as z from 'zod/mini';
import { type Job, publicJob } from '../jobs/model';
import { tenantIdSchema } from '../tenants/tenant-id';

/** One webhook to deliver, as queued by the worker's finished-job hook. Never holds the secret. */
export const webhookDeliverySchema = z.strictObject({
  version: z.literal(1),
  /** Stable per final state of a job: the receiver's de-duplication key (redeliveries repeat it). */
  eventId: z.uuid(),
  tenantId: tenantIdSchema,
  jobId: z.uuid(),
  url: z.string().check(z.minLength(1), z.maxLength(2000)),
  /** The job as GET /v1/jobs/{jobId} shows it, when it became final. */
  job: z.record(z.string(), z.unknown()),
});
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
    tenantId: job.tenantId,
    jobId: job.jobId,
    url,
    job: JSON.parse(JSON.stringify(publicJob(job))) as Record<string, unknown>,
  };
}
