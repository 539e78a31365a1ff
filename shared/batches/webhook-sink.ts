import { v5 as uuidv5 } from 'uuid';
import type { WebhookQueue } from '../webhooks/delivery';
import type { WebhookSettingsStore } from '../webhooks/settings';
import { type Batch, publicBatch } from './model';
import type { BatchFinishedSink } from './progress';

const BATCH_EVENT_NAMESPACE = '5d0f8a3c-2b7e-4c19-8e6a-9f1d3b5c7a20';

/** One `batch.finished` event per batch: the receiver's de-duplication key. */
export const batchFinishedEventId = (batchId: string) => uuidv5(`${batchId}:finished`, BATCH_EVENT_NAMESPACE);

/** `batch.finished` to the batch's `x-callback-url`, else the tenant's default URL; none: nothing is sent. */
export function webhookBatchSink(deps: {
  settings: WebhookSettingsStore;
  queue: WebhookQueue;
}): BatchFinishedSink {
  return {
    async send(batch: Batch) {
      const url = batch.callbackUrl ?? (await deps.settings.get(batch.tenantId))?.url;
      if (!url) return;
      await deps.queue.send({
        version: 1,
        type: 'batch.finished',
        eventId: batchFinishedEventId(batch.batchId),
        tenantId: batch.tenantId,
        batchId: batch.batchId,
        url,
        batch: JSON.parse(JSON.stringify({ ...publicBatch(batch), event: 'batch.finished' })),
      });
    },
  };
}
