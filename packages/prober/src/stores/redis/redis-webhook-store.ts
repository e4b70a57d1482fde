import type { Redis } from 'ioredis';
import type { WebhookStore, WebhookSubscriptionRecord } from '../webhook-types.js';

const secretsKey = (keyId: string) => `mp:whsec:${keyId}`;
const subscriptionKey = (id: string) => `mp:whsub:${id}`;
const subscriptionIndex = (keyId: string) => `mp:whsubs:${keyId}`;
const fingerprintKey = (jobId: string) => `mp:jobfp:${jobId}`;

// Count and add in one step, so two nodes cannot both take a key's last free place.
const ADD_SUBSCRIPTION_SCRIPT = `
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[2], 'keyId', ARGV[3], 'targetUrl', ARGV[4], 'events', ARGV[5], 'createdAt', ARGV[6])
redis.call('ZADD', KEYS[1], ARGV[7], ARGV[2])
return 1`;

const DELETE_SUBSCRIPTION_SCRIPT = `
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('DEL', KEYS[2])
return 1`;

/** Signing secrets, subscriptions and request fingerprints shared by every node of a fleet. */
export function createRedisWebhookStore(redis: Redis, fingerprintTtlSeconds: number): WebhookStore {
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
      const added = await redis.eval(
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
      const removed = await redis.eval(
        DELETE_SUBSCRIPTION_SCRIPT,
        2,
        subscriptionIndex(keyId),
        subscriptionKey(id),
        id,
      );
      return removed === 1;
    },
    async setRequestFingerprint(jobId, fingerprint) {
      await redis.set(fingerprintKey(jobId), fingerprint, 'EX', fingerprintTtlSeconds);
    },
    async getRequestFingerprint(jobId) {
      return redis.get(fingerprintKey(jobId));
    },
  };
}
