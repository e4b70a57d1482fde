import { createHash } from 'node:crypto';
import type { SqliteDatabase } from './database.js';

/** Remembers signatures it has accepted so the same signed request is processed at most once. */
export interface ReplayGuard {
  /** Records the signature; false when it was already seen (a replay). */
  firstSighting(signature: string, expiresAt: number): boolean;
  /** Forgets signatures whose time has passed. */
  prune(now?: number): number;
}

/** A replay guard stored in SQLite, so a restart inside the window does not open a replay gap. */
export function createReplayGuard(database: SqliteDatabase): ReplayGuard {
  const insert = database.prepare('INSERT OR IGNORE INTO seen_signatures (digest, expires_at) VALUES (?, ?)');
  const prune = database.prepare('DELETE FROM seen_signatures WHERE expires_at < ?');
  return {
    firstSighting(signature, expiresAt) {
      const digest = createHash('sha256').update(signature).digest('hex');
      return insert.run(digest, expiresAt).changes === 1;
    },
    prune(now = Date.now()) {
      return prune.run(now).changes;
    },
  };
}
