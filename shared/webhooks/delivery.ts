import { v5 as uuidv5 } from 'uuid';
// zod/mini: the webhook dispatcher parses deliveries and nothing else.
import * as z from 'zod/mini';
import { type Job, publicJob } from '../jobs/model';
import { tenantIdSchema } from '../tenants/tenant-id';

const common = {
  version: z.literal(1),
  /** Stable per event: the receiver's de-duplication key (redeliveries repeat it). */
  eventId: z.uuid(),
  tenantId: tenantIdSchema,
  url: z.string().check(z.minLength(1), z.maxLength(2000)),
};

/** A job became final. `type` is absent on deliveries queued before types existed. */
const jobDeliverySchema = z.strictObject({
  ...common,
  type: z.optional(z.literal('job.finished')),
  jobId: z.uuid(),
  /** The job as GET /v1/jobs/{jobId} shows it, when it became final. */
  job: z.record(z.string(), z.unknown()),
});

/** Every accepted item of a batch is final (POST /v1/customers/batch). */
const batchDeliverySchema = z.strictObject({
  ...common,
  type: z.literal('batch.finished'),
  batchId: z.uuid(),
  /** The batch as GET /v1/batches/{batchId} shows it, without its items. */
  batch: z.record(z.string(), z.unknown()),
});

/** A connection event (docs/webhooks.md, "Connection events"), queued by the connect page or the sweeper. */
const connectionDeliverySchema = z.strictObject({
  ...common,
  type: z.string().check(z.regex(/^connection\.[a-z_]+$/)),
  event: z.record(z.string(), z.unknown()),
});

/**
 * One webhook to deliver, as queued by the worker's finished-job hook, a batch's last item or a connection event.
 * Never holds the secret.
 */
export const webhookDeliverySchema = z.union([
  jobDeliverySchema,
  batchDeliverySchema,
  connectionDeliverySchema,
]);
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;
/** A job.finished delivery. */
export type JobDelivery = Extract<WebhookDelivery, { job: unknown }>;

/** Port: the webhooks queue. */
export interface WebhookQueue {
  send(delivery: WebhookDelivery): Promise<void>;
}

const EVENT_NAMESPACE = 'b3d1f4a2-7c6e-4f1a-9d2b-5e8c0a4f6b71';

/** Same job, same final state, same moment → same event id (a job retried later and finished again is new). */
export function eventIdFor(job: Pick<Job, 'jobId' | 'status' | 'updatedAt'>): string {
  return uuidv5(`${job.jobId}:${job.status}:${job.updatedAt}`, EVENT_NAMESPACE);
}

/** The event type a delivery announces (`x-erp-bridge-event-type`), what it is about, and the body it posts. */
export function deliveryEvent(d: WebhookDelivery): { type: string; subject?: string; body: unknown } {
  if ('batch' in d) return { type: d.type, subject: d.batchId, body: d.batch };
  if ('job' in d) return { type: 'job.finished', subject: d.jobId, body: d.job };
  return { type: d.type, body: d.event };
}

export function deliveryFor(job: Job, url: string): JobDelivery {
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
