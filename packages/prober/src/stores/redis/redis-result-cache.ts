import type { VerificationResult } from '@mailprobe/core';
import type { Redis } from 'ioredis';
import type { ResultCache } from '../types.js';

const CACHE_PREFIX = 'mp:cache:';

/** The results cache shared by a fleet; Redis expires entries itself. */
export function createRedisResultCache(redis: Redis, now: () => number = Date.now): ResultCache {
  return {
    async get(normalized) {
      const value = await redis.get(`${CACHE_PREFIX}${normalized}`);
      return value === null ? null : (JSON.parse(value) as VerificationResult);
    },
    async getEntry(normalized) {
      const key = `${CACHE_PREFIX}${normalized}`;
      const replies = await redis.multi().get(key).pttl(key).exec();
      const value = replies?.[0]?.[1];
      const ttlMs = replies?.[1]?.[1];
      if (typeof value !== 'string' || typeof ttlMs !== 'number' || ttlMs <= 0) return null;
      return { result: JSON.parse(value) as VerificationResult, expiresAt: now() + ttlMs };
    },
    async set(normalized, result, ttlMs) {
      if (ttlMs <= 0) return;
      await redis.set(`${CACHE_PREFIX}${normalized}`, JSON.stringify(result), 'PX', ttlMs);
    },
    async purgeExpired() {
      // Redis drops each entry at its own PX expiry.
    },
    async close() {},
  };
}
