import { API_HEADERS, type JobCompletedEvent, MEDIA_TYPES, signWebhook } from '@mailprobe/core';
import type { FastifyBaseLogger } from 'fastify';
import type { ProberConfig } from '../config.js';
import type { JobStore } from '../stores/types.js';
import { toApiJob } from './job-view.js';

const EVENT_TYPE = 'job.completed';

function backoffMs(attempt: number, config: ProberConfig['webhook']): number {
  return Math.min(config.initialBackoffMs * 2 ** attempt, config.maxBackoffMs);
}

/**
 * Delivers `job.completed` webhooks: signed (`Mailprobe-Signature`, HMAC-SHA256 with a timestamp), retried with
 * exponential backoff until a 2xx or `maxAttempts`. The event id is the same on every retry.
 */
export class WebhookSender {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly controller = new AbortController();

  constructor(
    private readonly jobs: JobStore,
    private readonly secret: () => Promise<string>,
    private readonly config: ProberConfig['webhook'],
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Starts delivery for a job that reached a final state (no-op without a callback URL). */
  deliver(jobId: string): void {
    const delivery = this.run(jobId).catch((error: unknown) => {
      this.log.warn({ jobId, err: error }, 'webhook delivery stopped');
    });
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }

  private async run(jobId: string): Promise<void> {
    const job = await this.jobs.getJob(jobId);
    if (!job?.callbackUrl || job.webhookState !== 'pending') return;
    const event: JobCompletedEvent = {
      type: EVENT_TYPE,
      id: `evt_${job.id}`,
      createdAt: new Date().toISOString(),
      job: toApiJob(job),
    };
    const body = JSON.stringify(event);
    const secret = await this.secret();
    const signal = this.controller.signal;
    for (let attempt = 0; attempt < this.config.maxAttempts; attempt += 1) {
      if (signal.aborted) return;
      try {
        const response = await fetch(job.callbackUrl, {
          method: 'POST',
          headers: {
            'content-type': MEDIA_TYPES.json,
            [API_HEADERS.event]: EVENT_TYPE,
            [API_HEADERS.signature]: signWebhook(secret, body),
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.any([signal, AbortSignal.timeout(this.config.timeoutMs)]),
        });
        await response.body?.cancel();
        if (response.ok) {
          await this.jobs.setWebhookState(job.id, 'delivered');
          this.log.info({ jobId, attempt }, 'webhook delivered');
          return;
        }
        this.log.warn({ jobId, attempt, status: response.status }, 'webhook refused');
      } catch (error) {
        if (signal.aborted) return;
        this.log.warn({ jobId, attempt, err: (error as Error).message }, 'webhook failed');
      }
      if (attempt + 1 < this.config.maxAttempts) await sleep(backoffMs(attempt, this.config), signal);
    }
    await this.jobs.setWebhookState(job.id, 'failed');
  }

  /** Stops retrying (pending deliveries resume at the next start). */
  async close(): Promise<void> {
    this.controller.abort();
    await Promise.allSettled([...this.inFlight]);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
