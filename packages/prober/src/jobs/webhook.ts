import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { API_HEADERS, type JobCompletedEvent, MEDIA_TYPES, signWebhook } from '@mailprobe/core';
import type { FastifyBaseLogger } from 'fastify';
import type { ProberConfig } from '../config.js';
import type { JobRecord, JobStore } from '../stores/types.js';
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

/** Builds the `job.completed` event of a job (the same id on every delivery and retry). */
export type JobEventBuilder = (job: JobRecord) => JobCompletedEvent;

/** The secrets a key's deliveries are signed with (current first; two during a rotation's overlap). */
export type SigningSecrets = (keyId: string) => Promise<readonly string[]>;

/** What became of one signed delivery. */
export type DeliveryOutcome = 'delivered' | 'failed' | 'stopped';

/**
 * Delivers webhooks: signed (`Mailprobe-Signature`, HMAC-SHA256 with a timestamp, with the key's own secret),
 * retried with exponential backoff until a 2xx or `maxAttempts`. The event id is the same on every retry. Before
 * each attempt the host is resolved again and only an address the policy allows is connected to (DNS rebinding
 * cannot move a delivery onto a private address); a refused target ends delivery at once. Job callbacks
 * (`callbackUrl`) and subscriptions (`POST /v1/webhooks`) share this path.
 */
export class WebhookSender {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly controller = new AbortController();
  /** Told of every job that reached a final state (subscriptions listen here). */
  onJobFinal: ((jobId: string) => Promise<void>) | null = null;

  constructor(
    private readonly jobs: JobStore,
    private readonly secrets: SigningSecrets,
    private readonly config: ProberConfig['webhook'],
    private readonly log: FastifyBaseLogger,
    private readonly policy: CallbackPolicy,
    private readonly buildEvent: JobEventBuilder = defaultJobEvent,
  ) {}

  /** The check at job creation: throws CallbackUrlError (400 naming `field`) for a URL that will not be called. */
  checkCallbackUrl(raw: string, field: string = CALLBACK_FIELD): Promise<string> {
    return checkCallbackUrl(raw, this.policy, field);
  }

  /** A job reached a final state: its callback (if any) and the key's subscriptions are notified. */
  deliver(jobId: string): void {
    this.track(this.run(jobId), { jobId });
    if (this.onJobFinal) this.track(this.onJobFinal(jobId), { jobId });
  }

  /** Resumes a callback delivery left pending by a previous run (subscriptions are not notified again). */
  resume(jobId: string): void {
    this.track(this.run(jobId), { jobId });
  }

  /** Runs `work` in the background, bounded by close(). */
  track(work: Promise<unknown>, fields: Record<string, unknown>): void {
    const delivery = work.then(
      () => {},
      (error: unknown) => {
        this.log.warn({ ...fields, err: error }, 'webhook delivery stopped');
      },
    );
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }

  /** Resolves when every delivery started so far has finished (for tests and shutdown). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** The event a finished job announces. */
  jobEvent(job: JobRecord): JobCompletedEvent {
    return this.buildEvent(job);
  }

  private async run(jobId: string): Promise<void> {
    const job = await this.jobs.getJob(jobId);
    if (!job?.callbackUrl || job.webhookState !== 'pending') return;
    const outcome = await this.send({
      targetUrl: job.callbackUrl,
      field: CALLBACK_FIELD,
      keyId: job.keyId,
      eventType: EVENT_TYPE,
      body: JSON.stringify(this.buildEvent(job)),
      logFields: { jobId },
    });
    if (outcome === 'stopped') return;
    await this.jobs.setWebhookState(job.id, outcome);
  }

  /** One event to one URL, signed with the key's secrets, retried with backoff; never throws for the target's faults. */
  async send(delivery: {
    targetUrl: string;
    field: string;
    keyId: string;
    eventType: string;
    body: string;
    logFields: Record<string, unknown>;
  }): Promise<DeliveryOutcome> {
    const { body, logFields } = delivery;
    const secrets = await this.secrets(delivery.keyId);
    const signal = this.controller.signal;
    for (let attempt = 0; attempt < this.config.maxAttempts; attempt += 1) {
      if (signal.aborted) return 'stopped';
      try {
        const url = parseCallbackUrl(delivery.targetUrl, delivery.field);
        const [target] = await allowedCallbackAddresses(url, this.policy, delivery.field);
        if (!target) throw new CallbackUrlError('not_found', `${delivery.field}: no address`);
        const headers = {
          'content-type': MEDIA_TYPES.json,
          [API_HEADERS.event]: delivery.eventType,
          // Signed at each attempt, so the timestamp is fresh when a retry arrives after a long backoff.
          [API_HEADERS.signature]: signWebhook(secrets, body),
        };
        const status = await withTimeout(this.config.timeoutMs, signal, (attemptSignal) =>
          postOnce(url, target, headers, body, attemptSignal),
        );
        if (status >= 200 && status < 300) {
          this.log.info({ ...logFields, attempt }, 'webhook delivered');
          return 'delivered';
        }
        this.log.warn({ ...logFields, attempt, status }, 'webhook refused');
      } catch (error) {
        if (signal.aborted) return 'stopped';
        if (error instanceof CallbackUrlError && error.reason !== 'not_found') {
          this.log.warn({ ...logFields, attempt, reason: error.reason }, 'webhook target not allowed');
          return 'failed';
        }
        this.log.warn({ ...logFields, attempt, err: (error as Error).message }, 'webhook failed');
      }
      if (attempt + 1 < this.config.maxAttempts) await pause(backoffMs(attempt, this.config), signal);
    }
    return 'failed';
  }

  /** Stops retrying (pending deliveries resume at the next start). */
  async close(): Promise<void> {
    this.controller.abort();
    await Promise.allSettled([...this.inFlight]);
  }
}

/** The event without a results URL (when the server's public URL is not known). */
function defaultJobEvent(job: JobRecord): JobCompletedEvent {
  return { type: EVENT_TYPE, id: `evt_${job.id}`, createdAt: new Date().toISOString(), job: toApiJob(job) };
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
