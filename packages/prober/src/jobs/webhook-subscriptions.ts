import type { JobRecord } from '../stores/types.js';
import type { NewWebhookDelivery, WebhookSubscriptionRecord } from '../stores/webhook-types.js';

const JOB_COMPLETED = 'job.completed';
/** The request field a delivery's URL came from (named in SSRF refusals). */
export const CALLBACK_FIELD = 'callbackUrl';
export const TARGET_FIELD = 'targetUrl';

/**
 * The deliveries of a finished job's `job.completed` event: to its `callbackUrl` while that is still pending, and
 * to each of its key's subscriptions (`POST /v1/webhooks`) to the event. Ids are derived from the event and the
 * receiver, so announcing a job twice (a restart, two nodes) stores each delivery once.
 */
export function jobDeliveries(
  job: JobRecord,
  subscriptions: readonly WebhookSubscriptionRecord[],
  body: string,
  now: number,
): NewWebhookDelivery[] {
  const common = {
    keyId: job.keyId,
    jobId: job.id,
    eventType: JOB_COMPLETED,
    body,
    nextAttemptAt: now,
    createdAt: new Date(now).toISOString(),
  };
  const deliveries: NewWebhookDelivery[] = [];
  if (job.callbackUrl && job.webhookState === 'pending') {
    deliveries.push({
      ...common,
      id: `${job.id}:callback`,
      subscriptionId: null,
      targetUrl: job.callbackUrl,
    });
  }
  for (const subscription of subscriptions) {
    if (subscription.keyId !== job.keyId || !subscription.events.includes(JOB_COMPLETED)) continue;
    deliveries.push({
      ...common,
      id: `${job.id}:${subscription.id}`,
      subscriptionId: subscription.id,
      targetUrl: subscription.targetUrl,
    });
  }
  return deliveries;
}
