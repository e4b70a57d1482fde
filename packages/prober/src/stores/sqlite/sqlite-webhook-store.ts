import type {
  ClaimedWebhookDelivery,
  DeliveryClaimRequest,
  NewWebhookDelivery,
  StoredSigningSecrets,
  WebhookStore,
  WebhookSubscriptionRecord,
} from '../webhook-types.js';
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
-- next_attempt_at: when the delivery is due; while claimed, the end of the claim's lease.
CREATE TABLE IF NOT EXISTS webhook_deliveries (
  id TEXT PRIMARY KEY,
  key_id TEXT NOT NULL,
  job_id TEXT NOT NULL,
  subscription_id TEXT,
  target_url TEXT NOT NULL,
  event_type TEXT NOT NULL,
  body TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  claim TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (next_attempt_at);
CREATE INDEX IF NOT EXISTS webhook_deliveries_subscription ON webhook_deliveries (subscription_id);
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

interface DeliveryRow {
  id: string;
  key_id: string;
  job_id: string;
  subscription_id: string | null;
  target_url: string;
  event_type: string;
  body: string;
  attempts: number;
  next_attempt_at: number;
  claim: string | null;
  created_at: string;
}

/** Due rows looked at per claim beyond the keys left out as full (bounds the work of one claim). */
const CLAIM_SCAN_ROWS = 256;

function toClaimed(row: DeliveryRow, claim: string): ClaimedWebhookDelivery {
  return {
    id: row.id,
    keyId: row.key_id,
    jobId: row.job_id,
    subscriptionId: row.subscription_id,
    targetUrl: row.target_url,
    eventType: row.event_type,
    body: row.body,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
    attempts: row.attempts,
    claim,
  };
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

/** Signing secrets, subscriptions and deliveries in the embedded store. */
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
  const removeSubscriptionDeliveries = database.prepare(
    'DELETE FROM webhook_deliveries WHERE key_id = ? AND subscription_id = ?',
  );
  const removeWithDeliveries = database.transaction((keyId: string, id: string) => {
    if (removeSubscription.run(keyId, id).changes === 0) return false;
    removeSubscriptionDeliveries.run(keyId, id);
    return true;
  });
  const insertDelivery = database.prepare(
    `INSERT OR IGNORE INTO webhook_deliveries
       (id, key_id, job_id, subscription_id, target_url, event_type, body, next_attempt_at, created_at)
     VALUES (@id, @keyId, @jobId, @subscriptionId, @targetUrl, @eventType, @body, @nextAttemptAt, @createdAt)`,
  );
  // Inserted in the same statement that checks the subscription, so a DELETE that came first wins.
  const insertSubscriptionDelivery = database.prepare(
    `INSERT OR IGNORE INTO webhook_deliveries
       (id, key_id, job_id, subscription_id, target_url, event_type, body, next_attempt_at, created_at)
     SELECT @id, @keyId, @jobId, @subscriptionId, @targetUrl, @eventType, @body, @nextAttemptAt, @createdAt
     WHERE EXISTS (SELECT 1 FROM webhook_subscriptions WHERE id = @subscriptionId AND key_id = @keyId)`,
  );
  const enqueue = database.transaction((deliveries: readonly NewWebhookDelivery[]) => {
    for (const delivery of deliveries) {
      if (delivery.subscriptionId === null) insertDelivery.run(delivery);
      else insertSubscriptionDelivery.run(delivery);
    }
  });
  const selectDue = database.prepare<[number, string, number], DeliveryRow>(
    `SELECT * FROM webhook_deliveries
     WHERE next_attempt_at <= ? AND key_id NOT IN (SELECT value FROM json_each(?))
     ORDER BY next_attempt_at LIMIT ?`,
  );
  const markClaimed = database.prepare(
    'UPDATE webhook_deliveries SET claim = ?, attempts = attempts + 1, next_attempt_at = ? WHERE id = ?',
  );
  const claim = database.transaction((request: DeliveryClaimRequest): ClaimedWebhookDelivery[] => {
    const full = [...request.roomPerKey].filter(([, room]) => room <= 0).map(([keyId]) => keyId);
    const taken = new Map<string, number>();
    const claimed: ClaimedWebhookDelivery[] = [];
    for (const row of selectDue.all(request.now, JSON.stringify(full), CLAIM_SCAN_ROWS)) {
      if (claimed.length >= request.limit) break;
      const room = request.roomPerKey.get(row.key_id) ?? request.perKey;
      const count = taken.get(row.key_id) ?? 0;
      if (count >= room) continue;
      taken.set(row.key_id, count + 1);
      markClaimed.run(request.claim, request.leaseUntil, row.id);
      claimed.push(
        toClaimed({ ...row, attempts: row.attempts + 1, next_attempt_at: request.leaseUntil }, request.claim),
      );
    }
    return claimed;
  });
  const deleteClaimed = database.prepare('DELETE FROM webhook_deliveries WHERE id = ? AND claim = ?');
  const releaseClaimed = database.prepare(
    'UPDATE webhook_deliveries SET claim = NULL, attempts = ?, next_attempt_at = ? WHERE id = ? AND claim = ?',
  );
  const releaseAll = database.prepare(
    'UPDATE webhook_deliveries SET claim = NULL, next_attempt_at = MIN(next_attempt_at, ?) WHERE claim IS NOT NULL',
  );
  const selectStored = database.prepare<[string], { id: string }>(
    'SELECT id FROM webhook_deliveries WHERE id IN (SELECT value FROM json_each(?))',
  );
  const countAll = database.prepare<[], { count: number }>(
    'SELECT COUNT(*) AS count FROM webhook_deliveries',
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
      return removeWithDeliveries.immediate(keyId, id);
    },
    async enqueueDeliveries(deliveries) {
      enqueue.immediate(deliveries);
    },
    async claimDeliveries(request) {
      return claim.immediate(request);
    },
    async finishDelivery(id, claimed) {
      return deleteClaimed.run(id, claimed).changes > 0;
    },
    async releaseDelivery(id, claimed, attempts, nextAttemptAt) {
      return releaseClaimed.run(attempts, nextAttemptAt, id, claimed).changes > 0;
    },
    async releaseAllDeliveries() {
      releaseAll.run(Date.now());
    },
    async storedDeliveries(ids) {
      return new Set(selectStored.all(JSON.stringify(ids)).map((row) => row.id));
    },
    async countDeliveries() {
      return countAll.get()?.count ?? 0;
    },
  };
}
