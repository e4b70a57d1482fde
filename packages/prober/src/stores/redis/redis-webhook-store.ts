import type { Redis } from 'ioredis';
import type { ClaimedWebhookDelivery, WebhookStore, WebhookSubscriptionRecord } from '../webhook-types.js';
import { evalScript } from './redis-script.js';

const secretsKey = (keyId: string) => `mp:whsec:${keyId}`;
const subscriptionKey = (id: string) => `mp:whsub:${id}`;
const subscriptionIndex = (keyId: string) => `mp:whsubs:${keyId}`;

// Deliveries: a hash per delivery (mp:whdlv:<id>); per key a sorted set of its deliveries by due time (the next
// attempt, or the lease's end while claimed); one sorted set of keys by their earliest due delivery, so a claim
// visits keys, not the backlog of one key that is at its bound; per subscription the set of its deliveries.
const DELIVERY_PREFIX = 'mp:whdlv:';
const ALL_DELIVERIES = 'mp:whdlv:all';
/** Keys with due deliveries looked at per claim beyond those this node named as full. */
const CLAIM_SCAN_KEYS = 64;

const DELIVERY_LUA = `
local P = '${DELIVERY_PREFIX}'
local function refresh(keyId)
  local first = redis.call('ZRANGE', P .. 'due:' .. keyId, 0, 0, 'WITHSCORES')
  if #first == 0 then redis.call('ZREM', P .. 'keys', keyId) else redis.call('ZADD', P .. 'keys', first[2], keyId) end
end
`;

// KEYS[1]: the subscription's hash (or any key when none). Stored only while the subscription exists.
const ENQUEUE_DELIVERY_SCRIPT = `${DELIVERY_LUA}
local id, keyId, sub = ARGV[1], ARGV[2], ARGV[4]
if redis.call('EXISTS', P .. id) == 1 then return 0 end
if sub ~= '' then
  if redis.call('HGET', KEYS[1], 'keyId') ~= keyId then return 0 end
  redis.call('SADD', P .. 'sub:' .. sub, id)
end
redis.call('HSET', P .. id, 'keyId', keyId, 'jobId', ARGV[3], 'subscriptionId', sub, 'targetUrl', ARGV[5],
  'eventType', ARGV[6], 'body', ARGV[7], 'attempts', 0, 'createdAt', ARGV[9], 'claim', '')
redis.call('ZADD', P .. 'due:' .. keyId, ARGV[8], id)
redis.call('SADD', '${ALL_DELIVERIES}', id)
refresh(keyId)
return 1`;

// ARGV: now, leaseUntil, claim, limit, perKey, scanKeys, then (keyId, room) pairs of keys busy on this node.
const CLAIM_DELIVERIES_SCRIPT = `${DELIVERY_LUA}
local now, leaseUntil, claim = ARGV[1], ARGV[2], ARGV[3]
local budget, perKey = tonumber(ARGV[4]), tonumber(ARGV[5])
local rooms, listed = {}, 0
for i = 7, #ARGV, 2 do
  rooms[ARGV[i]] = tonumber(ARGV[i + 1])
  listed = listed + 1
end
local result = {}
if budget <= 0 then return result end
local keys = redis.call('ZRANGEBYSCORE', P .. 'keys', '-inf', now, 'LIMIT', 0, listed + tonumber(ARGV[6]))
for _, keyId in ipairs(keys) do
  if budget <= 0 then break end
  local room = rooms[keyId] or perKey
  if room > 0 then
    local due = P .. 'due:' .. keyId
    for _, id in ipairs(redis.call('ZRANGEBYSCORE', due, '-inf', now, 'LIMIT', 0, math.min(room, budget))) do
      if redis.call('EXISTS', P .. id) == 0 then
        redis.call('ZREM', due, id)
      else
        redis.call('ZADD', due, leaseUntil, id)
        redis.call('HINCRBY', P .. id, 'attempts', 1)
        redis.call('HSET', P .. id, 'claim', claim)
        table.insert(result, { id, redis.call('HGETALL', P .. id) })
        budget = budget - 1
      end
    end
    refresh(keyId)
  end
end
return result`;

const FINISH_DELIVERY_SCRIPT = `${DELIVERY_LUA}
local id = ARGV[1]
if redis.call('HGET', P .. id, 'claim') ~= ARGV[2] then return 0 end
local keyId = redis.call('HGET', P .. id, 'keyId')
local sub = redis.call('HGET', P .. id, 'subscriptionId')
redis.call('DEL', P .. id)
redis.call('ZREM', P .. 'due:' .. keyId, id)
redis.call('SREM', '${ALL_DELIVERIES}', id)
if sub and sub ~= '' then redis.call('SREM', P .. 'sub:' .. sub, id) end
refresh(keyId)
return 1`;

const RELEASE_DELIVERY_SCRIPT = `${DELIVERY_LUA}
local id = ARGV[1]
if redis.call('HGET', P .. id, 'claim') ~= ARGV[2] then return 0 end
local keyId = redis.call('HGET', P .. id, 'keyId')
redis.call('HSET', P .. id, 'claim', '', 'attempts', ARGV[3])
redis.call('ZADD', P .. 'due:' .. keyId, ARGV[4], id)
refresh(keyId)
return 1`;

function toClaimed(id: string, flat: string[], claim: string, leaseUntil: number): ClaimedWebhookDelivery {
  const hash: Record<string, string> = {};
  for (let index = 0; index + 1 < flat.length; index += 2)
    hash[flat[index] as string] = flat[index + 1] as string;
  return {
    id,
    keyId: hash.keyId ?? '',
    jobId: hash.jobId ?? '',
    subscriptionId: hash.subscriptionId || null,
    targetUrl: hash.targetUrl ?? '',
    eventType: hash.eventType ?? '',
    body: hash.body ?? '',
    nextAttemptAt: leaseUntil,
    createdAt: hash.createdAt ?? '',
    attempts: Number(hash.attempts ?? 1),
    claim,
  };
}

// Count and add in one step, so two nodes cannot both take a key's last free place.
const ADD_SUBSCRIPTION_SCRIPT = `
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[2], 'keyId', ARGV[3], 'targetUrl', ARGV[4], 'events', ARGV[5], 'createdAt', ARGV[6])
redis.call('ZADD', KEYS[1], ARGV[7], ARGV[2])
return 1`;

// Removes the subscription and, in the same step, every delivery still waiting for it.
const DELETE_SUBSCRIPTION_SCRIPT = `${DELIVERY_LUA}
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('DEL', KEYS[2])
local pending = P .. 'sub:' .. ARGV[1]
local touched = {}
for _, id in ipairs(redis.call('SMEMBERS', pending)) do
  local keyId = redis.call('HGET', P .. id, 'keyId')
  if keyId then
    redis.call('ZREM', P .. 'due:' .. keyId, id)
    touched[keyId] = true
  end
  redis.call('DEL', P .. id)
  redis.call('SREM', '${ALL_DELIVERIES}', id)
end
redis.call('DEL', pending)
for keyId in pairs(touched) do refresh(keyId) end
return 1`;

/** Signing secrets, subscriptions and deliveries shared by every node of a fleet. */
export function createRedisWebhookStore(redis: Redis): WebhookStore {
  return {
    async getSecrets(keyId) {
      const hash = await redis.hgetall(secretsKey(keyId));
      if (!hash.current || !hash.updatedAt) return null;
      return {
        keyId,
        current: hash.current,
        previous: hash.previous || null,
        previousUntil: hash.previousUntil ? Number(hash.previousUntil) : null,
        updatedAt: hash.updatedAt,
      };
    },
    async putSecrets(secrets) {
      await redis.hset(secretsKey(secrets.keyId), {
        current: secrets.current,
        previous: secrets.previous ?? '',
        previousUntil: secrets.previousUntil ?? '',
        updatedAt: secrets.updatedAt,
      });
    },
    async addSubscription(subscription, maxPerKey) {
      const added = await evalScript(
        redis,
        ADD_SUBSCRIPTION_SCRIPT,
        2,
        subscriptionIndex(subscription.keyId),
        subscriptionKey(subscription.id),
        maxPerKey,
        subscription.id,
        subscription.keyId,
        subscription.targetUrl,
        JSON.stringify(subscription.events),
        subscription.createdAt,
        Date.parse(subscription.createdAt),
      );
      return added === 1;
    },
    async listSubscriptions(keyId) {
      const ids = await redis.zrange(subscriptionIndex(keyId), 0, -1);
      const records: WebhookSubscriptionRecord[] = [];
      for (const id of ids) {
        const hash = await redis.hgetall(subscriptionKey(id));
        if (!hash.targetUrl || hash.keyId !== keyId) continue;
        records.push({
          id,
          keyId,
          targetUrl: hash.targetUrl,
          events: JSON.parse(hash.events ?? '[]') as string[],
          createdAt: hash.createdAt ?? '',
        });
      }
      return records;
    },
    async deleteSubscription(keyId, id) {
      const removed = await evalScript(
        redis,
        DELETE_SUBSCRIPTION_SCRIPT,
        2,
        subscriptionIndex(keyId),
        subscriptionKey(id),
        id,
      );
      return removed === 1;
    },
    async enqueueDeliveries(deliveries) {
      for (const delivery of deliveries) {
        await evalScript(
          redis,
          ENQUEUE_DELIVERY_SCRIPT,
          1,
          subscriptionKey(delivery.subscriptionId ?? ''),
          delivery.id,
          delivery.keyId,
          delivery.jobId,
          delivery.subscriptionId ?? '',
          delivery.targetUrl,
          delivery.eventType,
          delivery.body,
          delivery.nextAttemptAt,
          delivery.createdAt,
        );
      }
    },
    async claimDeliveries(request) {
      const rooms: Array<string | number> = [];
      for (const [keyId, room] of request.roomPerKey) rooms.push(keyId, room);
      const claimed = (await evalScript(
        redis,
        CLAIM_DELIVERIES_SCRIPT,
        0,
        request.now,
        request.leaseUntil,
        request.claim,
        request.limit,
        request.perKey,
        CLAIM_SCAN_KEYS,
        ...rooms,
      )) as Array<[string, string[]]>;
      return claimed.map(([id, flat]) => toClaimed(id, flat, request.claim, request.leaseUntil));
    },
    async finishDelivery(id, claim) {
      return (await evalScript(redis, FINISH_DELIVERY_SCRIPT, 0, id, claim)) === 1;
    },
    async releaseDelivery(id, claim, attempts, nextAttemptAt) {
      return (await evalScript(redis, RELEASE_DELIVERY_SCRIPT, 0, id, claim, attempts, nextAttemptAt)) === 1;
    },
    async storedDeliveries(ids) {
      if (ids.length === 0) return new Set();
      const flags = await redis.smismember(ALL_DELIVERIES, ...ids);
      return new Set(ids.filter((_id, index) => flags[index] === 1));
    },
    async countDeliveries() {
      return redis.scard(ALL_DELIVERIES);
    },
  };
}
