import type { ProxyBench } from '@mailprobe/engine';
import type { Redis } from 'ioredis';

const BENCH_PREFIX = 'mp:proxy:bench:';

/**
 * The engine's ProxyBench for a fleet: a proxy benched by one node is a key in Redis, expiring with the bench, so
 * every node leaves it unused until then. Holds the proxy's name only, never its URL.
 */
export function createRedisProxyBench(redis: Redis): ProxyBench {
  return {
    async bench(name, untilMs) {
      const ttlMs = Math.max(1, Math.round(untilMs - Date.now()));
      // A longer bench already there (another node's) stays.
      const current = Number((await redis.get(`${BENCH_PREFIX}${name}`)) ?? 0);
      if (current >= untilMs) return;
      await redis.set(`${BENCH_PREFIX}${name}`, String(untilMs), 'PX', ttlMs);
    },
    async benchedUntil(name) {
      return Number((await redis.get(`${BENCH_PREFIX}${name}`)) ?? 0);
    },
  };
}
