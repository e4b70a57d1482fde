import type { Redis } from 'ioredis';
import type { ApiKeyRecord, KeyStore } from '../types.js';
import { evalScript } from './redis-script.js';

const KEY_PREFIX = 'mp:key:';
const KEY_INDEX = 'mp:keys';

// used + amount must stay within quota (empty quota = unlimited); all in one step so nodes cannot overspend.
const CONSUME_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local quota = redis.call('HGET', KEYS[1], 'quota')
local used = tonumber(redis.call('HGET', KEYS[1], 'used') or '0')
local amount = tonumber(ARGV[1])
if quota and quota ~= '' and used + amount > tonumber(quota) then return 0 end
redis.call('HINCRBY', KEYS[1], 'used', amount)
return 1`;

// used − amount, never below 0, for a key that still exists.
const REFUND_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local used = tonumber(redis.call('HGET', KEYS[1], 'used') or '0')
local amount = math.min(used, tonumber(ARGV[1]))
redis.call('HINCRBY', KEYS[1], 'used', -amount)
return amount`;

const optionalNumber = (value: string | undefined): number | null =>
  value === undefined || value === '' ? null : Number(value);

function toRecord(id: string, hash: Record<string, string>): ApiKeyRecord | null {
  if (!hash.name || !hash.secretHash || !hash.createdAt) return null;
  return {
    id,
    name: hash.name,
    secretHash: hash.secretHash,
    limits: { requestsPerMinute: optionalNumber(hash.requestsPerMinute), quota: optionalNumber(hash.quota) },
    used: Number(hash.used ?? 0),
    createdAt: hash.createdAt,
    revokedAt: hash.revokedAt || null,
  };
}

/** API keys shared by every node of a fleet. */
export function createRedisKeyStore(redis: Redis): KeyStore {
  return {
    async insert(record) {
      await redis
        .multi()
        .hset(`${KEY_PREFIX}${record.id}`, {
          name: record.name,
          secretHash: record.secretHash,
          requestsPerMinute: record.limits.requestsPerMinute ?? '',
          quota: record.limits.quota ?? '',
          used: record.used,
          createdAt: record.createdAt,
          revokedAt: record.revokedAt ?? '',
        })
        .zadd(KEY_INDEX, Date.parse(record.createdAt), record.id)
        .exec();
    },
    async get(id) {
      return toRecord(id, await redis.hgetall(`${KEY_PREFIX}${id}`));
    },
    async list() {
      const ids = await redis.zrange(KEY_INDEX, 0, -1);
      const records = await Promise.all(
        ids.map(async (id) => toRecord(id, await redis.hgetall(`${KEY_PREFIX}${id}`))),
      );
      return records.filter((record): record is ApiKeyRecord => record !== null);
    },
    async revoke(id, at) {
      const key = `${KEY_PREFIX}${id}`;
      if ((await redis.exists(key)) === 0) return false;
      const current = await redis.hget(key, 'revokedAt');
      if (!current) await redis.hset(key, 'revokedAt', at);
      return true;
    },
    async consume(id, amount) {
      return (await evalScript(redis, CONSUME_SCRIPT, 1, `${KEY_PREFIX}${id}`, amount)) === 1;
    },
    async refund(id, amount) {
      await evalScript(redis, REFUND_SCRIPT, 1, `${KEY_PREFIX}${id}`, amount);
    },
    async close() {},
  };
}
