import type { FastifyBaseLogger } from 'fastify';
import type { JobStore } from '../stores/types.js';
import type { WebhookStore } from '../stores/webhook-types.js';
import type { WebhookSender } from './webhook.js';

const JOB_COMPLETED = 'job.completed';
const TARGET_FIELD = 'targetUrl';

/**
 * Fans a finished job out to its key's subscriptions (`POST /v1/webhooks`): each gets the same signed
 * `job.completed` event, through the sender's SSRF guard and retries. Runs on the node that finished the job.
 */
export class WebhookSubscriptions {
  constructor(
    private readonly store: WebhookStore,
    private readonly jobs: JobStore,
    private readonly sender: WebhookSender,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Starts the deliveries for a job that reached a final state; resolves once they are started. */
  async jobFinished(jobId: string): Promise<void> {
    const job = await this.jobs.getJob(jobId);
    if (!job) return;
    const subscriptions = (await this.store.listSubscriptions(job.keyId)).filter((subscription) =>
      subscription.events.includes(JOB_COMPLETED),
    );
    if (subscriptions.length === 0) return;
    const body = JSON.stringify(this.sender.jobEvent(job));
    for (const subscription of subscriptions) {
      const logFields = { jobId, webhookId: subscription.id };
      this.sender.track(
        this.sender
          .send({
            targetUrl: subscription.targetUrl,
            field: TARGET_FIELD,
            keyId: job.keyId,
            eventType: JOB_COMPLETED,
            body,
            logFields,
          })
          .then((outcome) => {
            if (outcome === 'failed') this.log.warn(logFields, 'webhook subscription delivery failed');
          }),
        logFields,
      );
    }
  }
}
