import type { ApiKeyRecord, KeyStore } from '../types.js';
import type { SqliteDatabase } from './open-database.js';

interface KeyRow {
  id: string;
  name: string;
  secret_hash: string;
  requests_per_minute: number | null;
  quota: number | null;
  used: number;
  created_at: string;
  revoked_at: string | null;
}

function toRecord(row: KeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    secretHash: row.secret_hash,
    limits: { requestsPerMinute: row.requests_per_minute, quota: row.quota },
    used: row.used,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

/** API keys in the embedded store. */
export function createSqliteKeyStore(database: SqliteDatabase): KeyStore {
  const insert = database.prepare(
    `INSERT INTO api_keys (id, name, secret_hash, requests_per_minute, quota, used, created_at, revoked_at)
     VALUES (@id, @name, @secretHash, @requestsPerMinute, @quota, @used, @createdAt, @revokedAt)`,
  );
  const select = database.prepare<[string], KeyRow>('SELECT * FROM api_keys WHERE id = ?');
  const selectAll = database.prepare<[], KeyRow>('SELECT * FROM api_keys ORDER BY created_at, id');
  const consume = database.prepare(
    'UPDATE api_keys SET used = used + @amount WHERE id = @id AND (quota IS NULL OR used + @amount <= quota)',
  );
  const refund = database.prepare('UPDATE api_keys SET used = MAX(0, used - @amount) WHERE id = @id');
  const revoke = database.prepare('UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?');
  return {
    async insert(record) {
      insert.run({ ...record, ...record.limits });
    },
    async get(id) {
      const row = select.get(id);
      return row ? toRecord(row) : null;
    },
    async list() {
      return selectAll.all().map(toRecord);
    },
    async revoke(id, at) {
      return revoke.run(at, id).changes === 1;
    },
    async consume(id, amount) {
      return consume.run({ id, amount }).changes === 1;
    },
    async refund(id, amount) {
      refund.run({ id, amount });
    },
    async close() {},
  };
}
