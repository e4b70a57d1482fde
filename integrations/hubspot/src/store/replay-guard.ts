import { createHash } from 'node:crypto';
import type { SqliteDatabase } from './database.js';

/** Remembers signatures it has accepted so the same signed request is processed at most once. */
export interface ReplayGuard {
  /** Records the signature; false when it was already seen (a replay). */
  firstSighting(signature: string, expiresAt: number): boolean;
  /** Records a key without asking whether it was there (a fact to look up later with `seen`). */
  remember(key: string, expiresAt: number): void;
  /** Whether a key was recorded and has not expired by `now`. */
  seen(key: string, now: number): boolean;
  /** Forgets signatures whose time has passed. */
  prune(now?: number): number;
}

/** A replay guard stored in SQLite, so a restart inside the window does not open a replay gap. */
export function createReplayGuard(database: SqliteDatabase): ReplayGuard {
  const insert = database.prepare('INSERT OR IGNORE INTO seen_signatures (digest, expires_at) VALUES (?, ?)');
  const prune = database.prepare('DELETE FROM seen_signatures WHERE expires_at < ?');
  const extend = database.prepare(
    'INSERT INTO seen_signatures (digest, expires_at) VALUES (?, ?) ' +
      'ON CONFLICT (digest) DO UPDATE SET expires_at = max(expires_at, excluded.expires_at)',
  );
  const lookup = database.prepare('SELECT 1 FROM seen_signatures WHERE digest = ? AND expires_at >= ?');
  const digestOf = (key: string) => createHash('sha256').update(key).digest('hex');
  return {
    firstSighting(signature, expiresAt) {
      return insert.run(digestOf(signature), expiresAt).changes === 1;
    },
    remember(key, expiresAt) {
      extend.run(digestOf(key), expiresAt);
    },
    seen(key, now) {
      return lookup.get(digestOf(key), now) !== undefined;
    },
    prune(now = Date.now()) {
      return prune.run(now).changes;
    },
  };
}
