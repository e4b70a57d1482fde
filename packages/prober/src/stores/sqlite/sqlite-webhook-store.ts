import type { StoredSigningSecrets, WebhookStore, WebhookSubscriptionRecord } from '../webhook-types.js';
import type { SqliteDatabase } from './open-database.js';

// Tables of this store only; created here so the job tables' schema stays where it is.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS webhook_secrets (
  key_id TEXT PRIMARY KEY,
  current TEXT NOT NULL,
  previous TEXT,
  previous_until INTEGER,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS webhook_subscriptions (
  id TEXT PRIMARY KEY,
  key_id TEXT NOT NULL,
  target_url TEXT NOT NULL,
  events TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS webhook_subscriptions_key ON webhook_subscriptions (key_id, created_at);
CREATE TABLE IF NOT EXISTS job_request_fingerprints (
  job_id TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL
) WITHOUT ROWID;
`;

interface SecretsRow {
  key_id: string;
  current: string;
  previous: string | null;
  previous_until: number | null;
  updated_at: string;
}

interface SubscriptionRow {
  id: string;
  key_id: string;
  target_url: string;
  events: string;
  created_at: string;
}

function toSubscription(row: SubscriptionRow): WebhookSubscriptionRecord {
  return {
    id: row.id,
    keyId: row.key_id,
    targetUrl: row.target_url,
    events: JSON.parse(row.events) as string[],
    createdAt: row.created_at,
  };
}

/** Signing secrets, subscriptions and request fingerprints in the embedded store. */
export function createSqliteWebhookStore(database: SqliteDatabase): WebhookStore {
  database.exec(SCHEMA);
  const selectSecrets = database.prepare<[string], SecretsRow>(
    'SELECT * FROM webhook_secrets WHERE key_id = ?',
  );
  const upsertSecrets = database.prepare(
    `INSERT INTO webhook_secrets (key_id, current, previous, previous_until, updated_at)
     VALUES (@keyId, @current, @previous, @previousUntil, @updatedAt)
     ON CONFLICT (key_id) DO UPDATE SET current = excluded.current, previous = excluded.previous,
       previous_until = excluded.previous_until, updated_at = excluded.updated_at`,
  );
  const countForKey = database.prepare<[string], { count: number }>(
    'SELECT COUNT(*) AS count FROM webhook_subscriptions WHERE key_id = ?',
  );
  const insertSubscription = database.prepare(
    `INSERT INTO webhook_subscriptions (id, key_id, target_url, events, created_at)
     VALUES (@id, @keyId, @targetUrl, @events, @createdAt)`,
  );
  const addIfRoom = database.transaction((subscription: WebhookSubscriptionRecord, maxPerKey: number) => {
    if ((countForKey.get(subscription.keyId)?.count ?? 0) >= maxPerKey) return false;
    insertSubscription.run({ ...subscription, events: JSON.stringify(subscription.events) });
    return true;
  });
  const selectSubscriptions = database.prepare<[string], SubscriptionRow>(
    'SELECT * FROM webhook_subscriptions WHERE key_id = ? ORDER BY created_at, id',
  );
  const removeSubscription = database.prepare(
    'DELETE FROM webhook_subscriptions WHERE key_id = ? AND id = ?',
  );
  const upsertFingerprint = database.prepare(
    'INSERT OR REPLACE INTO job_request_fingerprints (job_id, fingerprint) VALUES (?, ?)',
  );
  const selectFingerprint = database.prepare<[string], { fingerprint: string }>(
    'SELECT fingerprint FROM job_request_fingerprints WHERE job_id = ?',
  );

  return {
    async getSecrets(keyId) {
      const row = selectSecrets.get(keyId);
      return row
        ? {
            keyId: row.key_id,
            current: row.current,
            previous: row.previous,
            previousUntil: row.previous_until,
            updatedAt: row.updated_at,
          }
        : null;
    },
    async putSecrets(secrets: StoredSigningSecrets) {
      upsertSecrets.run(secrets);
    },
    async addSubscription(subscription, maxPerKey) {
      return addIfRoom.immediate(subscription, maxPerKey);
    },
    async listSubscriptions(keyId) {
      return selectSubscriptions.all(keyId).map(toSubscription);
    },
    async deleteSubscription(keyId, id) {
      return removeSubscription.run(keyId, id).changes > 0;
    },
    async setRequestFingerprint(jobId, fingerprint) {
      upsertFingerprint.run(jobId, fingerprint);
    },
    async getRequestFingerprint(jobId) {
      return selectFingerprint.get(jobId)?.fingerprint ?? null;
    },
  };
}
