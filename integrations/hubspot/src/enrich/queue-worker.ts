import type { HubspotGateway } from '../hubspot/gateway.js';
import { type Logger, silentLogger } from '../logger.js';
import type { ClaimedContact, EventQueue } from '../store/event-queue.js';
import { EMAIL_PROPERTY } from '../webhook/events.js';
import { type EnrichTarget, enrichContacts } from './enrich-contacts.js';
import type { Verifier } from './verifier.js';

export interface QueueWorkerSettings {
  /** Contacts per round: one batch read, one prober batch, one batch update (HubSpot's cap is 100). */
  contactsPerRound: number;
  /** How often an idle worker looks for due events (the receiver also wakes it). */
  pollIntervalMs: number;
  /** Attempts before an event is marked failed. */
  maxAttempts: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
}

export const QUEUE_WORKER_DEFAULTS: QueueWorkerSettings = {
  contactsPerRound: 100,
  pollIntervalMs: 1000,
  maxAttempts: 8,
  retryBaseDelayMs: 5000,
  retryMaxDelayMs: 10 * 60 * 1000,
};

export interface RoundReport {
  contacts: number;
  written: number;
  missing: number;
  noEmail: number;
  failed: number;
}

export interface QueueWorker {
  start(): void;
  /** Asks an idle worker to look at the queue now. */
  wake(): void;
  /** Runs rounds until nothing is due (tests, shutdown). */
  drain(): Promise<RoundReport>;
  /** Stops: the round in progress is abandoned (its events stay pending) and the loop ends. */
  stop(): Promise<void>;
}

/** Takes acknowledged webhook events from the durable queue, verifies and writes back, at least once. */
export function createQueueWorker(options: {
  queue: EventQueue;
  gateway: HubspotGateway;
  verifier: Verifier;
  settings?: Partial<QueueWorkerSettings>;
  logger?: Logger;
}): QueueWorker {
  const { queue, gateway, verifier } = options;
  const settings = { ...QUEUE_WORKER_DEFAULTS, ...options.settings };
  const logger = options.logger ?? silentLogger;
  const stopping = new AbortController();
  let running: Promise<void> | null = null;
  let wakeUp: (() => void) | null = null;
  let wakeRequested = false;

  async function processRound(): Promise<RoundReport> {
    const claimed = queue.claim(settings.contactsPerRound);
    const report: RoundReport = { contacts: claimed.length, written: 0, missing: 0, noEmail: 0, failed: 0 };
    if (claimed.length === 0) return report;
    try {
      const finished = await handleClaimed(claimed);
      report.written = finished.written;
      report.missing = finished.missing;
      report.noEmail = finished.noEmail;
    } catch (error) {
      // Claimed events stay pending in the database; after a stop they are simply picked up next start.
      if (stopping.signal.aborted) return report;
      report.failed = claimed.length;
      const attempts = Math.max(...claimed.map((contact) => contact.attempts));
      const delayMs = Math.min(settings.retryMaxDelayMs, settings.retryBaseDelayMs * 2 ** attempts);
      queue.retryLater(
        claimed.flatMap((contact) => contact.eventIds),
        delayMs,
        settings.maxAttempts,
      );
      logger.error('enrichment round failed; events rescheduled', {
        contacts: claimed.length,
        delayMs,
        error: error instanceof Error ? error.message : String(error),
        code: (error as { code?: unknown }).code,
      });
    }
    return report;
  }

  async function handleClaimed(claimed: ClaimedContact[]) {
    const finish = (contact: ClaimedContact, outcome: 'written' | 'contact_missing' | 'no_email') => {
      const superseded = contact.eventIds.filter((eventId) => eventId !== contact.latest.eventId);
      queue.finish([contact.latest.eventId], outcome);
      if (superseded.length > 0) queue.finish(superseded, 'superseded');
    };
    const byId = new Map(claimed.map((contact) => [contact.contactId, contact]));
    const targets: EnrichTarget[] = [];
    const toRead: string[] = [];
    let noEmail = 0;
    let missing = 0;
    for (const contact of claimed) {
      if (contact.latest.email !== null)
        targets.push({ contactId: contact.contactId, email: contact.latest.email });
      else if (contact.latest.kind === 'creation') toRead.push(contact.contactId);
      else {
        finish(contact, 'no_email');
        noEmail++;
      }
    }
    if (toRead.length > 0) {
      const read = await gateway.readContacts(toRead, [EMAIL_PROPERTY], stopping.signal);
      for (const record of read.contacts) {
        const email = record.properties[EMAIL_PROPERTY]?.trim();
        if (email) targets.push({ contactId: record.id, email });
        else {
          finish(byId.get(record.id) as ClaimedContact, 'no_email');
          noEmail++;
        }
      }
      for (const id of read.missingIds) {
        finish(byId.get(id) as ClaimedContact, 'contact_missing');
        missing++;
      }
    }
    if (targets.length === 0) return { written: 0, missing, noEmail };
    const outcome = await enrichContacts({ gateway, verifier, targets, signal: stopping.signal });
    for (const id of outcome.written) finish(byId.get(id) as ClaimedContact, 'written');
    for (const id of outcome.missing) finish(byId.get(id) as ClaimedContact, 'contact_missing');
    if (outcome.missing.length > 0)
      logger.warn('contacts gone before write-back; skipped', { count: outcome.missing.length });
    return { written: outcome.written.length, missing: missing + outcome.missing.length, noEmail };
  }

  async function loop(): Promise<void> {
    while (!stopping.signal.aborted) {
      const report = await processRound();
      if (report.contacts > 0 && report.failed === 0) continue;
      if (wakeRequested) {
        wakeRequested = false;
        continue;
      }
      await idleWait();
    }
  }

  /**
   * Waits for the poll interval, a wake-up or the stop, whichever comes first. The abort listener is
   * removed on every exit path: an idle worker polls ~86,000 times a day and must not leak one per poll.
   */
  function idleWait(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        stopping.signal.removeEventListener('abort', done);
        wakeUp = null;
        resolve();
      };
      const timer = setTimeout(done, settings.pollIntervalMs);
      wakeUp = done;
      stopping.signal.addEventListener('abort', done, { once: true });
    });
  }

  return {
    start() {
      running ??= loop().catch((error: unknown) => {
        if (!stopping.signal.aborted) logger.error('queue worker stopped', { error: String(error) });
      });
    },
    wake() {
      wakeRequested = true;
      wakeUp?.();
    },
    async drain() {
      const total: RoundReport = { contacts: 0, written: 0, missing: 0, noEmail: 0, failed: 0 };
      for (;;) {
        const report = await processRound();
        if (report.contacts === 0) return total;
        for (const key of Object.keys(total) as Array<keyof RoundReport>) total[key] += report[key];
        if (report.failed > 0) return total;
      }
    },
    async stop() {
      stopping.abort();
      wakeUp?.();
      await running;
    },
  };
}
