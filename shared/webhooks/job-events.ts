import type { Job } from '../jobs/model';
import type { JobEvents, Log } from '../worker/deps';
import { deliveryFor, type WebhookQueue } from './delivery';
import type { WebhookSettingsStore } from './settings';

/**
 * The worker's finished-job hook: a job with a callback URL (its own, else the tenant's default) is queued for
 * the webhook dispatcher. Queueing, not posting, keeps a slow receiver from holding the ERP worker.
 */
export function webhookJobEvents(deps: {
  settings: WebhookSettingsStore;
  queue: WebhookQueue;
  log: Log;
}): JobEvents {
  return {
    async finished(job: Job) {
      const url = job.callbackUrl ?? (await deps.settings.get(job.tenantId))?.url;
      if (!url) return;
      const delivery = deliveryFor(job, url);
      await deps.queue.send(delivery);
      deps.log.info('webhook queued', { jobId: job.jobId, eventId: delivery.eventId, status: job.status });
    },
  };
}
