import { randomUUID } from 'node:crypto';
import { abortableSleep, type MxLimiter, waitForRatePoint } from '@mailprobe/engine';
import type { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';

const SLOT_PREFIX = 'mp:mx:slots:';
const RATE_PREFIX = 'mp:mx:rate';
const RATE_WINDOW_SECONDS = 60;
/** First wait between tries for a busy MX slot; doubles up to the maximum. */
const SLOT_POLL_INITIAL_MS = 20;
const SLOT_POLL_MAX_MS = 250;

// Drop expired leases (their node died), then take a slot if one is free. Scores are lease expiry times.
const ACQUIRE_SCRIPT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  return 1
end
return 0`;

export interface RedisMxLimiterOptions {
  maxSessionsPerMx: number;
  maxConnectionsPerMinute: number;
  /** A slot not renewed for this long is free again: a killed node gives its slots back after at most this. */
  leaseMs?: number;
}

/** Default lease of an MX session slot; renewed every third of it while the session runs. */
const DEFAULT_MX_LEASE_MS = 15_000;

/**
 * The engine's MxLimiter for a fleet: per-MX session slots are leases in a Redis sorted set (a semaphore whose
 * slots expire unless renewed), and the connection rate is rate-limiter-flexible's Redis limiter, so every
 * node of the fleet counts against the same limits.
 */
export function createRedisMxLimiter(redis: Redis, options: RedisMxLimiterOptions): MxLimiter {
  const leaseMs = options.leaseMs ?? DEFAULT_MX_LEASE_MS;
  const rate = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: RATE_PREFIX,
    points: options.maxConnectionsPerMinute,
    duration: RATE_WINDOW_SECONDS,
  });
  const renewals = new Set<NodeJS.Timeout>();

  return {
    async acquire(mxHost, acquireOptions = {}) {
      const key = `${SLOT_PREFIX}${mxHost}`;
      const token = randomUUID();
      let wait = SLOT_POLL_INITIAL_MS;
      for (;;) {
        const now = Date.now();
        const taken = await redis.eval(
          ACQUIRE_SCRIPT,
          1,
          key,
          now,
          options.maxSessionsPerMx,
          now + leaseMs,
          token,
          leaseMs * 2,
        );
        if (taken === 1) break;
        await abortableSleep(wait, acquireOptions.signal);
        wait = Math.min(wait * 2, SLOT_POLL_MAX_MS);
      }
      const renewal = setInterval(() => {
        redis.zadd(key, 'XX', Date.now() + leaseMs, token).catch(() => {});
      }, leaseMs / 3);
      renewal.unref();
      renewals.add(renewal);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        clearInterval(renewal);
        renewals.delete(renewal);
        redis.zrem(key, token).catch(() => {});
      };
    },
    acquireConnection(sourceAddress, mxHost, acquireOptions = {}) {
      return waitForRatePoint(rate, `${sourceAddress} ${mxHost}`, acquireOptions.signal);
    },
    async close() {
      for (const renewal of renewals) clearInterval(renewal);
      renewals.clear();
    },
  };
}
