import http from 'node:http';
import https from 'node:https';
import type { LookupFunction, Socket } from 'node:net';
import { API_HEADERS, type JobCompletedEvent, MEDIA_TYPES, signWebhook } from '@mailprobe/core';
import type { FastifyBaseLogger } from 'fastify';
import type { Registry } from 'prom-client';
import type { ProberConfig } from '../config.js';
import type { JobRecord, JobStore } from '../stores/types.js';
import type { ClaimedWebhookDelivery, WebhookStore } from '../stores/webhook-types.js';
import { untilAborted } from '../until-aborted.js';
import {
  allowedCallbackAddresses,
  type CallbackPolicy,
  CallbackUrlError,
  checkCallbackUrl,
  parseCallbackUrl,
  type ResolvedAddress,
} from './callback-target.js';
import { toApiJob } from './job-view.js';
import { WebhookMetrics } from './webhook-metrics.js';
import { CALLBACK_FIELD, jobDeliveries, TARGET_FIELD } from './webhook-subscriptions.js';

const EVENT_TYPE = 'job.completed';
/** Bytes of a receiver's answer read (and dropped) before the connection is closed: only the status counts. */
export const WEBHOOK_MAX_RESPONSE_BYTES = 64 * 1024;

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
    let socket: Socket | null = null;
    let finished = false;
    // Settles only once the connection is closed, so a delivery's slot (the bounds) counts sockets, not requests.
    const finish = (settle: () => void) => {
      if (finished) return;
      finished = true;
      if (socket && !socket.closed) {
        socket.once('close', settle);
        socket.destroy();
      } else {
        settle();
      }
    };
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
        response.on('close', () => finish(() => resolve(status)));
        response.on('error', () => finish(() => resolve(status)));
      },
    );
    request.on('socket', (assigned: Socket) => {
      socket = assigned;
    });
    request.on('error', (error) => finish(() => reject(error)));
    request.end(body);
  });
}

/** Builds the `job.completed` event of a job (the same id on every delivery and retry). */
export type JobEventBuilder = (job: JobRecord) => JobCompletedEvent;

/** The secrets a key's deliveries are signed with (current first; two during a rotation's overlap). */
export type SigningSecrets = (keyId: string) => Promise<readonly string[]>;

/** What one attempt came to. */
type AttemptOutcome = 'delivered' | 'retry' | 'refused_target' | 'cancelled' | 'shutdown';

/** A claimed lease outlives the attempt's own timeout by this much, so a live node never loses its claim. */
const LEASE_MARGIN_MS = 10_000;
/** Longest wait between tries while the store does not answer (Redis gone). */
const MAX_STORE_BACKOFF_MS = 30_000;
/** Events of finished jobs kept for a store that does not answer; beyond this the oldest is dropped and logged. */
const MAX_WAITING_ANNOUNCEMENTS = 100_000;
/** Finished jobs turned into stored deliveries per turn of the loop, so a backlog (a restart) never stalls it. */
const ANNOUNCEMENTS_PER_TURN = 100;
/** How often settled() looks again. */
const SETTLED_POLL_MS = 10;

class AbortReason extends Error {
  constructor(readonly outcome: 'cancelled' | 'shutdown') {
    super(outcome === 'cancelled' ? 'unsubscribed' : 'shutting down');
  }
}

interface InFlight {
  delivery: ClaimedWebhookDelivery;
  controller: AbortController;
  done: Promise<void>;
}

export interface WebhookSenderOptions {
  jobs: JobStore;
  /** Where deliveries wait (with their attempt count and next-attempt time) until delivered or given up. */
  store: WebhookStore;
  secrets: SigningSecrets;
  config: ProberConfig['webhook'];
  /** Names this node's claims (with a counter), so a claim is never mistaken for another node's. */
  nodeId: string;
  log: FastifyBaseLogger;
  policy: CallbackPolicy;
  buildEvent?: JobEventBuilder;
  /** Where the delivery metrics are registered; none when null. */
  registry?: Registry | null;
}

/**
 * Delivers webhooks: signed (`Mailprobe-Signature`, HMAC-SHA256 with a timestamp, with the key's own secret),
 * retried with exponential backoff until a 2xx or `maxAttempts`. The event id is the same on every retry. Before
 * each attempt the host is resolved again and only an address the policy allows is connected to (DNS rebinding
 * cannot move a delivery onto a private address); a refused target ends delivery at once. Job callbacks
 * (`callbackUrl`) and subscriptions (`POST /v1/webhooks`) share this path.
 *
 * Every delivery is a record in the store (SQLite or the fleet's Redis) with its attempt count and next attempt:
 * a node claims due ones under a lease, so on a fleet exactly one node attempts each, and a delivery outlives a
 * restart. A node sends at most `maxConcurrent` at once, at most `maxConcurrentPerKey` of one key; the rest wait
 * in the store, not on sockets.
 */
export class WebhookSender {
  private readonly inFlight = new Map<string, InFlight>();
  /** Finished jobs whose deliveries are not stored yet (job id → whether subscriptions are told too). */
  private readonly announcements = new Map<string, boolean>();
  private readonly stopping = new AbortController();
  private readonly config: ProberConfig['webhook'];
  private readonly store: WebhookStore;
  private readonly log: FastifyBaseLogger;
  private readonly buildEvent: JobEventBuilder;
  private readonly metrics: WebhookMetrics | null;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private woken = false;
  private claims = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryAt = 0;

  constructor(private readonly options: WebhookSenderOptions) {
    this.config = options.config;
    this.store = options.store;
    this.log = options.log;
    this.buildEvent = options.buildEvent ?? defaultJobEvent;
    this.metrics = options.registry
      ? new WebhookMetrics(options.registry, {
          inFlight: () => this.inFlight.size,
          stored: () => this.store.countDeliveries(),
        })
      : null;
  }

  /** The check at job creation: throws CallbackUrlError (400 naming `field`) for a URL that will not be called. */
  checkCallbackUrl(raw: string, field: string = CALLBACK_FIELD): Promise<string> {
    return checkCallbackUrl(raw, this.options.policy, field);
  }

  /** Starts sending: deliveries left by a previous run (or another node) resume here. */
  start(): void {
    this.loop ??= this.run();
  }

  /** A job reached a final state: its callback (if any) and the key's subscriptions are notified. */
  deliver(jobId: string): void {
    this.announce(jobId, true);
  }

  /** Resumes a callback delivery left pending by a previous run (subscriptions are not notified again). */
  resume(jobId: string): void {
    this.announce(jobId, false);
  }

  /** Aborts this node's attempt in flight to a subscription just deleted (its waiting deliveries went with it). */
  cancelSubscription(subscriptionId: string): void {
    for (const { delivery, controller } of this.inFlight.values()) {
      if (delivery.subscriptionId === subscriptionId) controller.abort(new AbortReason('cancelled'));
    }
  }

  /** Resolves when every delivery announced so far has been delivered or given up (for tests). */
  async settled(): Promise<void> {
    for (;;) {
      if (this.announcements.size === 0 && this.inFlight.size === 0) {
        if ((await this.store.countDeliveries()) === 0) return;
      }
      await new Promise((resolve) => setTimeout(resolve, SETTLED_POLL_MS));
    }
  }

  /** The event a finished job announces. */
  jobEvent(job: JobRecord): JobCompletedEvent {
    return this.buildEvent(job);
  }

  /** Stops sending: attempts in flight are aborted and handed back to the store (they resume at the next start). */
  async close(): Promise<void> {
    this.stopping.abort();
    clearTimeout(this.retryTimer);
    this.wake();
    for (const { controller } of this.inFlight.values()) controller.abort(new AbortReason('shutdown'));
    await this.loop;
    await Promise.allSettled([...this.inFlight.values()].map((entry) => entry.done));
  }

  private announce(jobId: string, withSubscriptions: boolean): void {
    this.announcements.set(jobId, (this.announcements.get(jobId) ?? false) || withSubscriptions);
    if (this.announcements.size > MAX_WAITING_ANNOUNCEMENTS) {
      const [oldest] = this.announcements.keys();
      if (oldest !== undefined) {
        this.announcements.delete(oldest);
        this.log.error({ jobId: oldest }, 'webhook event dropped: the store did not take it');
      }
    }
    this.wake();
  }

  /** Wakes the loop at `time` (a retry due before the next poll), keeping only the earliest such time. */
  private wakeAt(time: number): void {
    if (this.retryTimer && this.retryAt <= time) return;
    clearTimeout(this.retryTimer);
    this.retryAt = time;
    this.retryTimer = setTimeout(
      () => {
        this.retryTimer = undefined;
        this.wake();
      },
      Math.max(0, time - Date.now()),
    );
    this.retryTimer.unref();
  }

  private wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Waits `ms`, or less when woken (new events, a free slot, close). */
  private sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  /** The node's delivery loop: never throws; a store that fails is tried again with backoff. */
  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping.signal.aborted) {
      // Each step on its own: a job whose event cannot be stored does not stop the deliveries already stored.
      let failed = false;
      for (const step of [
        () => this.storeAnnouncements(),
        () => this.dropUnsubscribed(),
        () => this.claimDue(),
      ]) {
        try {
          await step();
        } catch (error) {
          failed = true;
          this.log.warn(
            { err: (error as Error).message, failures },
            'webhook store unavailable, trying again',
          );
        }
      }
      failures = failed ? failures + 1 : 0;
      if (this.stopping.signal.aborted) break;
      const waitMs =
        failures === 0
          ? this.config.pollIntervalMs
          : Math.min(this.config.pollIntervalMs * 2 ** failures, MAX_STORE_BACKOFF_MS);
      await this.sleep(waitMs);
    }
  }

  /** Turns the events of finished jobs into stored deliveries (the callback, and each subscription). */
  private async storeAnnouncements(): Promise<void> {
    const turn: Array<[string, boolean]> = [];
    for (const entry of this.announcements) {
      if (turn.length >= ANNOUNCEMENTS_PER_TURN) break;
      turn.push(entry);
    }
    // A store that fails ends the turn: what is left waits for the loop's backoff.
    for (const [jobId, withSubscriptions] of turn) {
      try {
        const job = await this.options.jobs.getJob(jobId);
        if (job) {
          const subscriptions = withSubscriptions ? await this.store.listSubscriptions(job.keyId) : [];
          const body = JSON.stringify(this.buildEvent(job));
          const deliveries = jobDeliveries(job, subscriptions, body, Date.now());
          if (deliveries.length > 0) await this.store.enqueueDeliveries(deliveries);
        }
        this.announcements.delete(jobId);
      } catch (error) {
        // To the back of the line, so one job that keeps failing does not hold up the others.
        this.announcements.delete(jobId);
        this.announcements.set(jobId, withSubscriptions);
        throw error;
      }
    }
    // More waiting: the next turn comes at once.
    if (this.announcements.size > 0) this.wake();
  }

  /** Aborts attempts whose delivery left the store (its subscription was deleted on another node). */
  private async dropUnsubscribed(): Promise<void> {
    if (this.inFlight.size === 0) return;
    const stored = await this.store.storedDeliveries([...this.inFlight.keys()]);
    for (const [id, { controller }] of this.inFlight) {
      if (!stored.has(id)) controller.abort(new AbortReason('cancelled'));
    }
  }

  /** Claims as many due deliveries as the bounds leave room for, and starts them. */
  private async claimDue(): Promise<void> {
    const free = this.config.maxConcurrent - this.inFlight.size;
    if (free <= 0) return;
    const roomPerKey = new Map<string, number>();
    for (const { delivery } of this.inFlight.values()) {
      roomPerKey.set(delivery.keyId, (roomPerKey.get(delivery.keyId) ?? this.config.maxConcurrentPerKey) - 1);
    }
    const now = Date.now();
    this.claims += 1;
    const claimed = await this.store.claimDeliveries({
      now,
      leaseUntil: now + this.config.timeoutMs + LEASE_MARGIN_MS,
      claim: `${this.options.nodeId}:${now}:${this.claims}`,
      limit: free,
      perKey: this.config.maxConcurrentPerKey,
      roomPerKey,
    });
    for (const delivery of claimed) {
      const controller = new AbortController();
      const entry: InFlight = { delivery, controller, done: Promise.resolve() };
      this.inFlight.set(delivery.id, entry);
      entry.done = this.attemptAndSettle(delivery, controller.signal).finally(() => {
        this.inFlight.delete(delivery.id);
        // A slot is free: look for more at once rather than at the next poll.
        this.wake();
      });
    }
  }

  /** One attempt, then the delivery's record updated: removed when done, rescheduled with backoff otherwise. */
  private async attemptAndSettle(delivery: ClaimedWebhookDelivery, signal: AbortSignal): Promise<void> {
    const logFields = {
      jobId: delivery.jobId,
      webhookId: delivery.subscriptionId ?? undefined,
      attempt: delivery.attempts,
    };
    const outcome = await this.attempt(delivery, signal, logFields);
    this.metrics?.attempts.inc({ outcome });
    try {
      if (outcome === 'cancelled') {
        // Normally gone already; handed back at once should it still be stored (nothing lingers to the lease).
        await this.store.releaseDelivery(delivery.id, delivery.claim, delivery.attempts - 1, Date.now());
        this.metrics?.deliveries.inc({ outcome: 'cancelled' });
        this.log.info(logFields, 'webhook delivery cancelled (unsubscribed)');
        return;
      }
      if (outcome === 'shutdown') {
        // Not an attempt made: handed back as it was, due at once for the next node or start.
        await this.store.releaseDelivery(delivery.id, delivery.claim, delivery.attempts - 1, Date.now());
        return;
      }
      const gaveUp =
        outcome === 'refused_target' || (outcome === 'retry' && delivery.attempts >= this.config.maxAttempts);
      if (outcome === 'retry' && !gaveUp) {
        const nextAttemptAt = Date.now() + backoffMs(delivery.attempts - 1, this.config);
        await this.store.releaseDelivery(delivery.id, delivery.claim, delivery.attempts, nextAttemptAt);
        this.wakeAt(nextAttemptAt);
        return;
      }
      const final = outcome === 'delivered' ? 'delivered' : 'failed';
      if (delivery.subscriptionId === null) await this.options.jobs.setWebhookState(delivery.jobId, final);
      if (await this.store.finishDelivery(delivery.id, delivery.claim)) {
        this.metrics?.deliveries.inc({ outcome: final });
        if (final === 'failed') this.log.warn(logFields, 'webhook delivery failed, giving up');
      }
    } catch (error) {
      // The store went away: the claim's lease runs out and the delivery is attempted again.
      this.log.warn({ ...logFields, err: (error as Error).message }, 'webhook delivery not recorded');
    }
  }

  /**
   * Checks, just before sending, that a subscription's delivery is still stored. A node that claimed it just before
   * the subscription was deleted on another node would otherwise send it after the DELETE returned; the abort that
   * follows (`dropUnsubscribed`, one poll later) comes too late to keep the request from the receiver. The window
   * left is this check's answer to the request's first bytes. A store that does not answer does not hold the delivery
   * back: the claim stands.
   */
  private async stillSubscribed(delivery: ClaimedWebhookDelivery, signal: AbortSignal): Promise<void> {
    const stored = await untilAborted(
      this.store.storedDeliveries([delivery.id]).catch(() => null),
      signal,
    );
    if (stored && !stored.has(delivery.id)) throw new AbortReason('cancelled');
  }

  /** One signed POST to the delivery's target, bounded by `timeoutMs`; never throws. */
  private async attempt(
    delivery: ClaimedWebhookDelivery,
    signal: AbortSignal,
    logFields: Record<string, unknown>,
  ): Promise<AttemptOutcome> {
    const field = delivery.subscriptionId === null ? CALLBACK_FIELD : TARGET_FIELD;
    try {
      const status = await withTimeout(this.config.timeoutMs, signal, async (attemptSignal) => {
        const url = parseCallbackUrl(delivery.targetUrl, field);
        const [target] = await untilAborted(
          allowedCallbackAddresses(url, this.options.policy, field),
          attemptSignal,
        );
        if (!target) throw new CallbackUrlError('not_found', `${field}: no address`);
        const secrets = await untilAborted(this.options.secrets(delivery.keyId), attemptSignal);
        if (delivery.subscriptionId !== null) await this.stillSubscribed(delivery, attemptSignal);
        const headers = {
          'content-type': MEDIA_TYPES.json,
          [API_HEADERS.event]: delivery.eventType,
          // Signed at each attempt, so the timestamp is fresh when a retry arrives after a long backoff.
          [API_HEADERS.signature]: signWebhook(secrets, delivery.body),
        };
        return postOnce(url, target, headers, delivery.body, attemptSignal);
      });
      if (status >= 200 && status < 300) {
        this.log.info(logFields, 'webhook delivered');
        return 'delivered';
      }
      this.log.warn({ ...logFields, status }, 'webhook refused');
      return 'retry';
    } catch (error) {
      if (signal.aborted) return signal.reason instanceof AbortReason ? signal.reason.outcome : 'shutdown';
      if (error instanceof AbortReason) return error.outcome;
      if (error instanceof CallbackUrlError && error.reason !== 'not_found') {
        this.log.warn({ ...logFields, reason: error.reason }, 'webhook target not allowed');
        return 'refused_target';
      }
      this.log.warn({ ...logFields, err: (error as Error).message }, 'webhook failed');
      return 'retry';
    }
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
  if (parent.aborted) controller.abort(parent.reason);
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
