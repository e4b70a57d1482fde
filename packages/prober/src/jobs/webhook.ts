import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { API_HEADERS, type JobCompletedEvent, MEDIA_TYPES, signWebhook } from '@mailprobe/core';
import type { FastifyBaseLogger } from 'fastify';
import type { ProberConfig } from '../config.js';
import type { JobStore } from '../stores/types.js';
import {
  allowedCallbackAddresses,
  type CallbackPolicy,
  CallbackUrlError,
  checkCallbackUrl,
  parseCallbackUrl,
  type ResolvedAddress,
} from './callback-target.js';
import { toApiJob } from './job-view.js';
import { pause } from './pause.js';

const EVENT_TYPE = 'job.completed';
/** Bytes of a receiver's answer read (and dropped) before the connection is closed: only the status counts. */
export const WEBHOOK_MAX_RESPONSE_BYTES = 64 * 1024;
const CALLBACK_FIELD = 'callbackUrl';

function backoffMs(attempt: number, config: ProberConfig['webhook']): number {
  return Math.min(config.initialBackoffMs * 2 ** attempt, config.maxBackoffMs);
}

/** A `lookup` for one connection that answers only the address already checked, so DNS cannot change it. */
function pinnedLookup(target: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
}

/**
 * One POST to a checked address: no redirects (a 3xx is just a status), at most WEBHOOK_MAX_RESPONSE_BYTES of the
 * answer read, everything bounded by `signal`. Resolves with the status code.
 */
function postOnce(
  url: URL,
  target: ResolvedAddress,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
): Promise<number> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinnedLookup(target),
        agent: false,
        signal,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        let received = 0;
        response.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > WEBHOOK_MAX_RESPONSE_BYTES) response.destroy();
        });
        response.on('close', () => resolve(status));
        response.on('error', () => resolve(status));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Delivers `job.completed` webhooks: signed (`Mailprobe-Signature`, HMAC-SHA256 with a timestamp), retried with
 * exponential backoff until a 2xx or `maxAttempts`. The event id is the same on every retry. Before each attempt
 * the host is resolved again and only an address the policy allows is connected to (DNS rebinding cannot move a
 * delivery onto a private address); a refused target ends delivery at once.
 */
export class WebhookSender {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly controller = new AbortController();

  constructor(
    private readonly jobs: JobStore,
    private readonly secret: () => Promise<string>,
    private readonly config: ProberConfig['webhook'],
    private readonly log: FastifyBaseLogger,
    private readonly policy: CallbackPolicy,
  ) {}

  /** The check at job creation: throws CallbackUrlError (400 naming `field`) for a URL that will not be called. */
  checkCallbackUrl(raw: string, field: string = CALLBACK_FIELD): Promise<string> {
    return checkCallbackUrl(raw, this.policy, field);
  }

  /** Starts delivery for a job that reached a final state (no-op without a callback URL). */
  deliver(jobId: string): void {
    const delivery = this.run(jobId).catch((error: unknown) => {
      this.log.warn({ jobId, err: error }, 'webhook delivery stopped');
    });
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }

  /** Resolves when every delivery started so far has finished (for tests and shutdown). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
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
        const url = parseCallbackUrl(job.callbackUrl, CALLBACK_FIELD);
        const [target] = await allowedCallbackAddresses(url, this.policy, CALLBACK_FIELD);
        if (!target) throw new CallbackUrlError('not_found', `${CALLBACK_FIELD}: no address`);
        const headers = {
          'content-type': MEDIA_TYPES.json,
          [API_HEADERS.event]: EVENT_TYPE,
          [API_HEADERS.signature]: signWebhook(secret, body),
        };
        const status = await withTimeout(this.config.timeoutMs, signal, (attemptSignal) =>
          postOnce(url, target, headers, body, attemptSignal),
        );
        if (status >= 200 && status < 300) {
          await this.jobs.setWebhookState(job.id, 'delivered');
          this.log.info({ jobId, attempt }, 'webhook delivered');
          return;
        }
        this.log.warn({ jobId, attempt, status }, 'webhook refused');
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof CallbackUrlError && error.reason !== 'not_found') {
          this.log.warn({ jobId, attempt, reason: error.reason }, 'webhook target not allowed');
          break;
        }
        this.log.warn({ jobId, attempt, err: (error as Error).message }, 'webhook failed');
      }
      if (attempt + 1 < this.config.maxAttempts) await pause(backoffMs(attempt, this.config), signal);
    }
    await this.jobs.setWebhookState(job.id, 'failed');
  }

  /** Stops retrying (pending deliveries resume at the next start). */
  async close(): Promise<void> {
    this.controller.abort();
    await Promise.allSettled([...this.inFlight]);
  }
}

/**
 * Runs `work` with a signal aborted after `timeoutMs` or when `parent` aborts. A plain timer, not
 * `AbortSignal.any([…, AbortSignal.timeout()])`: on Node 20 that composite may never fire once collected.
 */
async function withTimeout<T>(
  timeoutMs: number,
  parent: AbortSignal,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(parent.reason);
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  parent.addEventListener('abort', onAbort, { once: true });
  try {
    return await work(controller.signal);
  } finally {
    clearTimeout(timer);
    parent.removeEventListener('abort', onAbort);
  }
}
