import { v5 as uuidv5 } from 'uuid';
import { z } from 'zod';
import { type Job, publicJob } from '../jobs/model';
import { tenantIdSchema } from '../tenants/tenant-id';

/** One webhook to deliver, as queued by the worker's finished-job hook. Never holds the secret. */
const jobDeliverySchema = z.strictObject({
  version: z.literal(1),
  /** Absent on deliveries queued before batches existed: a job event. */
  event: z.literal('job.finished').optional(),
  /** Stable per final state of a job: the receiver's de-duplication key (redeliveries repeat it). */
  eventId: z.uuid(),
  tenantId: tenantIdSchema,
  jobId: z.uuid(),
  url: z.string().min(1).max(2000),
  /** The job as GET /v1/jobs/{jobId} shows it, when it became final. */
  job: z.record(z.string(), z.unknown()),
});

/** Every accepted item of a batch is final (POST /v1/customers/batch). */
const batchDeliverySchema = z.strictObject({
  version: z.literal(1),
  event: z.literal('batch.finished'),
  /** One per batch: repeated deliveries repeat it. */
  eventId: z.uuid(),
  tenantId: tenantIdSchema,
  batchId: z.uuid(),
  url: z.string().min(1).max(2000),
  /** The batch as GET /v1/batches/{batchId} shows it, without its items. */
  batch: z.record(z.string(), z.unknown()),
});

export const webhookDeliverySchema = z.union([jobDeliverySchema, batchDeliverySchema]);
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

/** The `x-erp-bridge-event` header of a delivery, and the body it posts. */
export function deliveryEvent(d: WebhookDelivery): { event: string; subject: string; body: unknown } {
  return 'batch' in d
    ? { event: d.event, subject: d.batchId, body: d.batch }
    : { event: 'job.finished', subject: d.jobId, body: d.job };
}

export function deliveryFor(job: Job, url: string): JobDelivery {
  return {
    version: 1,
    eventId: eventIdFor(job),
    tenantId: job.tenantId,
    jobId: job.jobId,
    url,
    job: JSON.parse(JSON.stringify(publicJob(job))) as Record<string, unknown>,
  };
}
