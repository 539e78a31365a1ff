import type { MessageControl } from '../queue/queue';
import { backoffDelayMs } from '../worker/backoff';
import type { Log } from '../worker/deps';
import { deliveryType, webhookDeliverySchema } from './delivery';
import type { WebhookPoster } from './post';
import type { WebhookSettingsStore } from './settings';
import { EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER, sign, TIMESTAMP_HEADER } from './signature';
import { BlockedAddressError, callbackUrlIssue, type UrlPolicy } from './url-policy';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Defaults: 8 attempts over roughly an hour and a half (capped exponential backoff with full jitter). */
export const WEBHOOK_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 30_000, maxDelayMs: 30 * 60_000 };

export interface DispatchDeps {
  settings: WebhookSettingsStore;
  control: MessageControl;
  post: WebhookPoster;
  policy: UrlPolicy;
  retry: RetryPolicy;
  log: Log;
  now?: () => Date;
  random?: () => number;
}

export interface WebhookMessage {
  body: string;
  receiptHandle: string;
  /** SQS ApproximateReceiveCount: this is attempt number `receiveCount`. */
  receiveCount: number;
}

/** Only the host is logged: a callback URL may carry a token in its path or query. */
const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid-url';
  }
};

/**
 * Delivers one queued webhook: signs the job JSON with the tenant's secret and POSTs it. 2xx → done. Anything
 * else is retried with backoff (the message's visibility is moved) until `maxAttempts`, then dead-lettered.
 * Deliveries that can never succeed (bad message, no secret, URL not allowed) are dead-lettered at once.
 */
export async function dispatchWebhook(msg: WebhookMessage, deps: DispatchDeps): Promise<'ack' | 'retry'> {
  const now = deps.now ?? (() => new Date());
  let raw: unknown;
  try {
    raw = JSON.parse(msg.body);
  } catch {
    raw = undefined;
  }
  const parsed = webhookDeliverySchema.safeParse(raw);
  if (!parsed.success) {
    await deps.control.deadLetter(msg.body, 'invalid_message');
    deps.log.error('webhook message invalid', { issues: parsed.error.issues.length });
    return 'ack';
  }
  const d = parsed.data;
  const ctx = {
    eventId: d.eventId,
    type: deliveryType(d),
    ...(d.jobId ? { jobId: d.jobId } : {}),
    tenantId: d.tenantId,
    host: hostOf(d.url),
  };
  const giveUp = async (reason: string) => {
    await deps.control.deadLetter(msg.body, reason);
    deps.log.error('webhook dead-lettered', { ...ctx, reason, attempt: msg.receiveCount });
    return 'ack' as const;
  };

  const settings = await deps.settings.get(d.tenantId);
  if (!settings) return giveUp('no_signing_secret');
  if (callbackUrlIssue(d.url, deps.policy, '/url')) return giveUp('url_not_allowed');

  const body = JSON.stringify(d.job ?? d.event);
  const timestamp = Math.floor(now().getTime() / 1000);
  let failure: string;
  try {
    const res = await deps.post(d.url, body, {
      [EVENT_ID_HEADER]: d.eventId,
      [EVENT_TYPE_HEADER]: deliveryType(d),
      [TIMESTAMP_HEADER]: String(timestamp),
      [SIGNATURE_HEADER]: sign(settings.secret, timestamp, body),
    });
    if (res.status >= 200 && res.status < 300) {
      deps.log.info('webhook delivered', { ...ctx, status: res.status, attempt: msg.receiveCount });
      return 'ack';
    }
    failure = `status ${res.status}`;
  } catch (e) {
    if (e instanceof BlockedAddressError) return giveUp('url_not_allowed');
    failure = (e as Error).name;
  }
  if (msg.receiveCount >= deps.retry.maxAttempts) return giveUp(`attempts_exhausted: ${failure}`);
  const delayMs = backoffDelayMs(msg.receiveCount, deps.retry, deps.random);
  await deps.control.retryLater(msg.receiptHandle, delayMs / 1000);
  deps.log.warn('webhook retry scheduled', { ...ctx, failure, attempt: msg.receiveCount, delayMs });
  return 'retry';
}
