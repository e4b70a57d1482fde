import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

/** The file, inside the data dir, holding the webhook queue and the replay guard. */
export const DATABASE_FILE = 'hubspot.sqlite';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS webhook_events (
  event_id TEXT PRIMARY KEY,
  contact_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  email TEXT,
  occurred_at INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',
  outcome TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  finished_at INTEGER
);
CREATE INDEX IF NOT EXISTS webhook_events_pending ON webhook_events (state, next_attempt_at, occurred_at);
CREATE TABLE IF NOT EXISTS seen_signatures (
  digest TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS seen_signatures_expiry ON seen_signatures (expires_at);
`;

/** Opens (creating when needed) the SQLite database in `dataDir`, in WAL mode, synced before commit returns. */
export function openDatabase(dataDir: string): SqliteDatabase {
  mkdirSync(dataDir, { recursive: true });
  const database = new Database(join(dataDir, DATABASE_FILE));
  database.pragma('journal_mode = WAL');
  // FULL: an acknowledged webhook must survive power loss, not only a crashed process.
  database.pragma('synchronous = FULL');
  database.pragma('busy_timeout = 5000');
  database.exec(SCHEMA);
  return database;
}
