import type { VerificationResult } from '@mailprobe/core';
import type { Redis } from 'ioredis';
import type { ResultCache } from '../types.js';

const CACHE_PREFIX = 'mp:cache:';

/** The results cache shared by a fleet; Redis expires entries itself. */
export function createRedisResultCache(redis: Redis): ResultCache {
  return {
    async get(normalized) {
      const value = await redis.get(`${CACHE_PREFIX}${normalized}`);
      return value === null ? null : (JSON.parse(value) as VerificationResult);
    },
    async set(normalized, result, ttlMs) {
      if (ttlMs <= 0) return;
      await redis.set(`${CACHE_PREFIX}${normalized}`, JSON.stringify(result), 'PX', ttlMs);
    },
    async close() {},
  };
}
