import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/** File name of the embedded store inside the data folder. */
export const DATABASE_FILE = 'mailprobe.db';
/** How long a writer waits for another process (e.g. `mailprobe keys create` beside `serve`) to release the lock. */
export const BUSY_TIMEOUT_MS = 5000;

export type SqliteDatabase = Database.Database;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS api_keys (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  requests_per_minute INTEGER,
  quota INTEGER,
  used INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS result_cache (
  normalized TEXT PRIMARY KEY,
  result TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS result_cache_expiry ON result_cache (expires_at);
CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY,
  key_id TEXT NOT NULL,
  state TEXT NOT NULL,
  total INTEGER NOT NULL DEFAULT 0,
  done INTEGER NOT NULL DEFAULT 0,
  count_valid INTEGER NOT NULL DEFAULT 0,
  count_invalid INTEGER NOT NULL DEFAULT 0,
  count_unknown INTEGER NOT NULL DEFAULT 0,
  callback_url TEXT,
  webhook_state TEXT NOT NULL DEFAULT 'none',
  idempotency_key TEXT,
  error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  completed_at TEXT,
  ingest_lease_until INTEGER,
  rows INTEGER NOT NULL DEFAULT 0,
  columns TEXT,
  request_fingerprint TEXT
);
CREATE INDEX IF NOT EXISTS jobs_state ON jobs (state);
CREATE INDEX IF NOT EXISTS jobs_key ON jobs (key_id);
CREATE INDEX IF NOT EXISTS jobs_completed ON jobs (completed_at);
CREATE UNIQUE INDEX IF NOT EXISTS jobs_idempotency ON jobs (key_id, idempotency_key);
CREATE TABLE IF NOT EXISTS job_items (
  job_id TEXT NOT NULL,
  idx INTEGER NOT NULL,
  address TEXT NOT NULL,
  dedup_key TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  final INTEGER NOT NULL DEFAULT 0,
  result TEXT,
  PRIMARY KEY (job_id, idx)
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS job_items_dedup ON job_items (job_id, dedup_key);
CREATE TABLE IF NOT EXISTS job_rows (
  job_id TEXT NOT NULL,
  row INTEGER NOT NULL,
  item_idx INTEGER NOT NULL,
  input TEXT NOT NULL,
  cells TEXT,
  PRIMARY KEY (job_id, row)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS job_queue (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  payload TEXT NOT NULL,
  available_at INTEGER NOT NULL,
  claimed_by TEXT,
  lease_until INTEGER
);
CREATE INDEX IF NOT EXISTS job_queue_available ON job_queue (available_at);
CREATE TABLE IF NOT EXISTS job_waiting (
  job_id TEXT NOT NULL,
  idx INTEGER NOT NULL,
  retry_at INTEGER NOT NULL,
  PRIMARY KEY (job_id, idx)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS job_waiting_next ON job_waiting (job_id, retry_at);
CREATE TABLE IF NOT EXISTS job_progress (
  job_id TEXT PRIMARY KEY,
  started_at INTEGER,
  not_checked INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
`;

/** Columns added after the first release, for data folders created before them. */
const ADDED_COLUMNS: Array<{ table: string; column: string; definition: string }> = [
  { table: 'jobs', column: 'ingest_lease_until', definition: 'INTEGER' },
  { table: 'jobs', column: 'rows', definition: 'INTEGER NOT NULL DEFAULT 0' },
  { table: 'jobs', column: 'columns', definition: 'TEXT' },
  { table: 'jobs', column: 'file_name', definition: 'TEXT' },
  { table: 'jobs', column: 'address_column', definition: 'TEXT' },
  { table: 'jobs', column: 'upload_format', definition: 'TEXT' },
  { table: 'jobs', column: 'count_blank', definition: 'INTEGER NOT NULL DEFAULT 0' },
  { table: 'jobs', column: 'count_risky', definition: 'INTEGER NOT NULL DEFAULT 0' },
  { table: 'job_items', column: 'first_row', definition: 'INTEGER' },
  { table: 'jobs', column: 'request_fingerprint', definition: 'TEXT' },
];

/**
 * Earlier versions kept request fingerprints in a table of their own beside the webhook tables (outliving their
 * jobs): they move onto their jobs, and the table goes. Fingerprints of jobs already deleted go with it.
 */
function moveRequestFingerprints(database: SqliteDatabase): void {
  const table = database
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'job_request_fingerprints'",
    )
    .get();
  if (!table) return;
  database
    .transaction(() => {
      database.exec(
        `UPDATE jobs SET request_fingerprint = (
           SELECT f.fingerprint FROM job_request_fingerprints f WHERE f.job_id = jobs.id)
         WHERE request_fingerprint IS NULL AND id IN (SELECT job_id FROM job_request_fingerprints);
         DROP TABLE job_request_fingerprints;`,
      );
    })
    .immediate();
}

function migrate(database: SqliteDatabase): void {
  for (const { table, column, definition } of ADDED_COLUMNS) {
    const columns = database.prepare<[], { name: string }>(`PRAGMA table_info(${table})`).all();
    if (!columns.some((existing) => existing.name === column)) {
      database.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
    }
  }
  moveRequestFingerprints(database);
}

/** Permissions of a data folder the prober creates, and of its database files: the owner's alone. */
const PRIVATE_DIRECTORY_MODE = 0o700;
const PRIVATE_FILE_MODE = 0o600;

/**
 * Opens (creating when needed) the embedded store in `dataDir`, in WAL mode. A folder created here is 0700 and
 * the database 0600 (SQLite gives its -wal and -shm files the database's mode): it holds key hashes, encrypted
 * webhook secrets and every verified address. An existing folder keeps the mode its owner chose.
 */
export function openDatabase(dataDir: string): SqliteDatabase {
  mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
  const file = path.join(dataDir, DATABASE_FILE);
  // Created before SQLite opens it, so no other mode ever exists; 'a' leaves an existing file as it is.
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  try {
    chmodSync(file, PRIVATE_FILE_MODE);
  } catch {
    // Another user's file (or a file system without modes) keeps its mode; opening it decides what follows.
  }
  const database = new Database(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  database.exec(SCHEMA);
  migrate(database);
  return database;
}
