import type { SqliteDatabase } from './database.js';

/** One contact event worth verifying, as taken from a HubSpot webhook. */
export interface ContactEvent {
  eventId: string;
  contactId: string;
  kind: 'creation' | 'email_change';
  /** The new email when the event carried it; null means "read it from HubSpot". */
  email: string | null;
  occurredAt: number;
}

export type EventOutcome = 'written' | 'contact_missing' | 'no_email' | 'superseded' | 'failed';

export interface ClaimedContact {
  contactId: string;
  /** The newest event for the contact decides; older ones are superseded. */
  latest: ContactEvent;
  eventIds: string[];
  attempts: number;
}

export interface QueueCounts {
  pending: number;
  done: number;
  skipped: number;
  failed: number;
}

/** The durable queue between the webhook receiver and the worker. */
export interface EventQueue {
  /** Stores events (ignoring event ids already stored) in one synced transaction; returns how many were new. */
  enqueue(events: readonly ContactEvent[], receivedAt?: number): number;
  /** Pending events due now, grouped by contact (at most `maxContacts` contacts). */
  claim(maxContacts: number, now?: number): ClaimedContact[];
  /** Marks events finished with an outcome. */
  finish(eventIds: readonly string[], outcome: EventOutcome, now?: number): void;
  /** Schedules events again after a failure; after `maxAttempts` they are marked failed. */
  retryLater(eventIds: readonly string[], delayMs: number, maxAttempts: number, now?: number): void;
  counts(): QueueCounts;
  /** Deletes finished events older than `olderThan` (ms epoch); returns how many. */
  prune(olderThan: number): number;
}

const CLAIM_SCAN_FACTOR = 5;

interface EventRow {
  event_id: string;
  contact_id: string;
  kind: 'creation' | 'email_change';
  email: string | null;
  occurred_at: number;
  attempts: number;
}

/** The queue stored in the `webhook_events` table. */
export function createEventQueue(database: SqliteDatabase): EventQueue {
  const insert = database.prepare(
    `INSERT OR IGNORE INTO webhook_events (event_id, contact_id, kind, email, occurred_at, received_at)
     VALUES (@eventId, @contactId, @kind, @email, @occurredAt, @receivedAt)`,
  );
  const due = database.prepare(
    `SELECT event_id, contact_id, kind, email, occurred_at, attempts FROM webhook_events
     WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY occurred_at, event_id LIMIT ?`,
  );
  const finish = database.prepare(
    `UPDATE webhook_events SET state = @state, outcome = @outcome, finished_at = @now WHERE event_id = @eventId`,
  );
  const retry = database.prepare(
    `UPDATE webhook_events SET attempts = attempts + 1, next_attempt_at = @nextAttemptAt,
       state = CASE WHEN attempts + 1 >= @maxAttempts THEN 'failed' ELSE 'pending' END,
       outcome = CASE WHEN attempts + 1 >= @maxAttempts THEN 'failed' ELSE outcome END,
       finished_at = CASE WHEN attempts + 1 >= @maxAttempts THEN @now ELSE finished_at END
     WHERE event_id = @eventId`,
  );
  const counts = database.prepare('SELECT state, COUNT(*) AS count FROM webhook_events GROUP BY state');
  const prune = database.prepare(`DELETE FROM webhook_events WHERE state != 'pending' AND finished_at < ?`);

  const enqueueAll = database.transaction((events: readonly ContactEvent[], receivedAt: number) => {
    let added = 0;
    for (const event of events) added += insert.run({ ...event, receivedAt }).changes;
    return added;
  });
  const finishAll = database.transaction(
    (eventIds: readonly string[], outcome: EventOutcome, now: number) => {
      const state = outcome === 'written' ? 'done' : outcome === 'failed' ? 'failed' : 'skipped';
      for (const eventId of eventIds) finish.run({ state, outcome, now, eventId });
    },
  );
  const retryAll = database.transaction(
    (eventIds: readonly string[], nextAttemptAt: number, maxAttempts: number, now: number) => {
      for (const eventId of eventIds) retry.run({ eventId, nextAttemptAt, maxAttempts, now });
    },
  );

  return {
    enqueue: (events, receivedAt = Date.now()) => enqueueAll(events, receivedAt),
    claim(maxContacts, now = Date.now()) {
      const rows = due.all(now, maxContacts * CLAIM_SCAN_FACTOR) as EventRow[];
      const byContact = new Map<string, ClaimedContact>();
      for (const row of rows) {
        const event: ContactEvent = {
          eventId: row.event_id,
          contactId: row.contact_id,
          kind: row.kind,
          email: row.email,
          occurredAt: row.occurred_at,
        };
        const claimed = byContact.get(row.contact_id);
        if (claimed === undefined) {
          if (byContact.size >= maxContacts) continue;
          byContact.set(row.contact_id, {
            contactId: row.contact_id,
            latest: event,
            eventIds: [row.event_id],
            attempts: row.attempts,
          });
        } else {
          claimed.eventIds.push(row.event_id);
          claimed.attempts = Math.max(claimed.attempts, row.attempts);
          if (event.occurredAt >= claimed.latest.occurredAt) claimed.latest = event;
        }
      }
      return [...byContact.values()];
    },
    finish: (eventIds, outcome, now = Date.now()) => finishAll(eventIds, outcome, now),
    retryLater: (eventIds, delayMs, maxAttempts, now = Date.now()) =>
      retryAll(eventIds, now + delayMs, maxAttempts, now),
    counts() {
      const result: QueueCounts = { pending: 0, done: 0, skipped: 0, failed: 0 };
      for (const row of counts.all() as Array<{ state: keyof QueueCounts; count: number }>)
        result[row.state] = row.count;
      return result;
    },
    prune: (olderThan) => prune.run(olderThan).changes,
  };
}
