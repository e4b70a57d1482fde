import type { ChunkMessage, JobQueue } from '../types.js';
import type { SqliteDatabase } from './open-database.js';

/** The job queue in the embedded store: one row per chunk, claimed with a lease. */
export function createSqliteJobQueue(database: SqliteDatabase, now: () => number = Date.now): JobQueue {
  const insert = database.prepare('INSERT INTO job_queue (payload, available_at) VALUES (?, ?)');
  const claim = database.prepare<[string, number, number, number], { id: number; payload: string }>(
    `UPDATE job_queue SET claimed_by = ?, lease_until = ?
     WHERE id = (SELECT id FROM job_queue WHERE available_at <= ? AND (claimed_by IS NULL OR lease_until < ?)
                 ORDER BY available_at, id LIMIT 1)
     RETURNING id, payload`,
  );
  const extend = database.prepare('UPDATE job_queue SET lease_until = ? WHERE id = ? AND claimed_by = ?');
  const remove = database.prepare('DELETE FROM job_queue WHERE id = ?');
  const count = database.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM job_queue');
  const release = database.prepare('UPDATE job_queue SET claimed_by = NULL, lease_until = NULL');
  const releaseOne = database.prepare(
    'UPDATE job_queue SET claimed_by = NULL, lease_until = NULL WHERE id = ?',
  );
  const leases = new Map<string, number>();
  const extendAll = database.transaction((held: ReadonlyArray<{ chunk: { id: string }; consumer: string }>) =>
    held.map(
      ({ chunk, consumer }) =>
        extend.run(now() + (leases.get(chunk.id) ?? 0), Number(chunk.id), consumer).changes > 0,
    ),
  );
  const listeners = new Set<() => void>();
  // This process is the only consumer: a listener hears of work right after the write that made it claimable.
  const notify = () =>
    queueMicrotask(() => {
      for (const listener of listeners) listener();
    });
  const enqueueAll = database.transaction((messages: ChunkMessage[], availableAt: number) => {
    for (const message of messages) insert.run(JSON.stringify(message), availableAt);
  });
  return {
    async enqueue(messages, options = {}) {
      enqueueAll(messages, now() + (options.delayMs ?? 0));
      if (messages.length > 0 && !options.delayMs && !options.quiet) notify();
    },
    async announce() {
      notify();
    },
    async claim(consumer, leaseMs) {
      const time = now();
      const row = claim.get(consumer, time + leaseMs, time, time);
      if (!row) return null;
      const id = String(row.id);
      leases.set(id, leaseMs);
      return { id, message: JSON.parse(row.payload) as ChunkMessage };
    },
    async heartbeat(held) {
      return extendAll(held);
    },
    async ack(chunk) {
      leases.delete(chunk.id);
      remove.run(Number(chunk.id));
    },
    async release(chunk) {
      leases.delete(chunk.id);
      releaseOne.run(Number(chunk.id));
      notify();
    },
    async depth() {
      return count.get()?.n ?? 0;
    },
    onWork(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async releaseAll() {
      release.run();
    },
    async close() {},
  };
}
