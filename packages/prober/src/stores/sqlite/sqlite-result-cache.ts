import type { VerificationResult } from '@mailprobe/core';
import type { ResultCache } from '../types.js';
import type { SqliteDatabase } from './open-database.js';

/** Expired rows are purged after this many writes, so the table does not grow without bound. */
const PURGE_EVERY_WRITES = 1000;

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
  return {
    async get(normalized) {
      const row = select.get(normalized, now());
      return row ? (JSON.parse(row.result) as VerificationResult) : null;
    },
    async getEntry(normalized) {
      const row = select.get(normalized, now());
      return row ? { result: JSON.parse(row.result) as VerificationResult, expiresAt: row.expires_at } : null;
    },
    async set(normalized, result, ttlMs) {
      if (ttlMs <= 0) return;
      upsert.run(normalized, JSON.stringify(result), now() + ttlMs);
      writes += 1;
      if (writes % PURGE_EVERY_WRITES === 0) purge.run(now());
    },
    async purgeExpired() {
      purge.run(now());
    },
    async close() {},
  };
}
