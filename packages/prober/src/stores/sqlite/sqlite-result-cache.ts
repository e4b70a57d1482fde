import type { VerificationResult } from '@mailprobe/core';
import type { ResultCache } from '../types.js';
import type { SqliteDatabase } from './open-database.js';
import { resultJson } from './result-json.js';

/** Expired rows are purged after this many writes, so the table does not grow without bound. */
const PURGE_EVERY_WRITES = 1000;
/** How long a write waits for others to share its commit (a probe takes seconds; this is not noticed). */
const COMMIT_WINDOW_MS = 10;

/** The results cache in the embedded store. */
export function createSqliteResultCache(database: SqliteDatabase, now: () => number = Date.now): ResultCache {
  const select = database.prepare<[string, number], { result: string; expires_at: number }>(
    'SELECT result, expires_at FROM result_cache WHERE normalized = ? AND expires_at > ?',
  );
  const upsert = database.prepare(
    `INSERT INTO result_cache (normalized, result, expires_at) VALUES (?, ?, ?)
     ON CONFLICT (normalized) DO UPDATE SET result = excluded.result, expires_at = excluded.expires_at`,
  );
  const purge = database.prepare('DELETE FROM result_cache WHERE expires_at <= ?');
  let writes = 0;
  // Writes of COMMIT_WINDOW_MS are committed together: a commit per result costs more CPU than the probe that
  // found it (a bulk job stores thousands a second). Reads see the writes still waiting.
  let waiting = new Map<string, { json: string; expiresAt: number }>();
  let committed: Promise<void> | null = null;
  let pendingCommit: { timer: NodeJS.Timeout; run: () => void } | null = null;
  const writeAll = database.transaction(
    (entries: Iterable<[string, { json: string; expiresAt: number }]>) => {
      for (const [normalized, entry] of entries) upsert.run(normalized, entry.json, entry.expiresAt);
    },
  );
  const commit = () => {
    const entries = waiting;
    waiting = new Map();
    committed = null;
    writeAll(entries);
    const before = writes;
    writes += entries.size;
    if (Math.floor(writes / PURGE_EVERY_WRITES) > Math.floor(before / PURGE_EVERY_WRITES)) purge.run(now());
  };
  const waitingEntry = (normalized: string) => {
    const entry = waiting.get(normalized);
    return entry && entry.expiresAt > now() ? entry : undefined;
  };
  return {
    async get(normalized) {
      const entry = waitingEntry(normalized);
      if (entry) return JSON.parse(entry.json) as VerificationResult;
      const row = select.get(normalized, now());
      return row ? (JSON.parse(row.result) as VerificationResult) : null;
    },
    async getEntry(normalized) {
      const entry = waitingEntry(normalized);
      if (entry) return { result: JSON.parse(entry.json) as VerificationResult, expiresAt: entry.expiresAt };
      const row = select.get(normalized, now());
      return row ? { result: JSON.parse(row.result) as VerificationResult, expiresAt: row.expires_at } : null;
    },
    async set(normalized, result, ttlMs) {
      if (ttlMs <= 0) return;
      waiting.set(normalized, { json: resultJson(result), expiresAt: now() + ttlMs });
      if (!committed) {
        committed = new Promise<void>((resolve, reject) => {
          const run = () => {
            pendingCommit = null;
            try {
              commit();
              resolve();
            } catch (error) {
              reject(error);
            }
          };
          pendingCommit = { timer: setTimeout(run, COMMIT_WINDOW_MS), run };
        });
      }
      await committed;
    },
    async purgeExpired() {
      purge.run(now());
    },
    async close() {
      // What still waits is committed now, before the database closes.
      if (pendingCommit) {
        clearTimeout(pendingCommit.timer);
        pendingCommit.run();
      }
    },
  };
}
