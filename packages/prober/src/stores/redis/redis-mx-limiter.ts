import { randomUUID } from 'node:crypto';
import {
  abortableSleep,
  connectionRateKeys,
  type MxLimiter,
  mxLimitKeys,
  waitForRatePoints,
} from '@mailprobe/engine';
import type { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';

const SLOT_PREFIX = 'mp:mx:slots:';
const RATE_PREFIX = 'mp:mx:rate';
const RATE_WINDOW_SECONDS = 60;
/** First wait between tries for a busy MX slot; doubles up to the maximum. */
const SLOT_POLL_INITIAL_MS = 20;
const SLOT_POLL_MAX_MS = 250;

// KEYS: the host name's and the address's slot sets. Drop expired leases (their node died), then take a slot in
// both at once if both have one free, so no node ever holds one while waiting for the other. Scores are lease
// expiry times.
const ACQUIRE_SCRIPT = `
for _, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', ARGV[1])
  if redis.call('ZCARD', key) >= tonumber(ARGV[2]) then return 0 end
end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, ARGV[3], ARGV[4])
  redis.call('PEXPIRE', key, ARGV[5])
end
return 1`;

export interface RedisMxLimiterOptions {
  maxSessionsPerMx: number;
  maxConnectionsPerMinute: number;
  /** A slot not renewed for this long is free again: a killed node gives its slots back after at most this. */
  leaseMs?: number;
  /** Length of the connection-rate window (default one minute); tests shorten it. */
  rateWindowMs?: number;
}

/** Default lease of an MX session slot; renewed every third of it while the session runs. */
const DEFAULT_MX_LEASE_MS = 15_000;
const MS_PER_SECOND = 1000;

/**
 * The engine's MxLimiter for a fleet: per-MX session slots are leases in Redis sorted sets, one per MX host name
 * and one per MX address (a semaphore whose slots expire unless renewed), taken together by one script; the
 * connection rate is rate-limiter-flexible's Redis limiter, per (source, host name) and (source, address), so
 * every node of the fleet counts against the same limits.
 */
export function createRedisMxLimiter(redis: Redis, options: RedisMxLimiterOptions): MxLimiter {
  const leaseMs = options.leaseMs ?? DEFAULT_MX_LEASE_MS;
  const rate = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: RATE_PREFIX,
    points: options.maxConnectionsPerMinute,
    duration: options.rateWindowMs ? options.rateWindowMs / MS_PER_SECOND : RATE_WINDOW_SECONDS,
  });
  const renewals = new Set<NodeJS.Timeout>();

  return {
    async acquire(target, acquireOptions = {}) {
      const keys = mxLimitKeys(target).map((key) => `${SLOT_PREFIX}${key}`);
      const token = randomUUID();
      let wait = SLOT_POLL_INITIAL_MS;
      for (;;) {
        const now = Date.now();
        const taken = await redis.eval(
          ACQUIRE_SCRIPT,
          keys.length,
          ...keys,
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
        for (const key of keys) redis.zadd(key, 'XX', Date.now() + leaseMs, token).catch(() => {});
      }, leaseMs / 3);
      renewal.unref();
      renewals.add(renewal);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        clearInterval(renewal);
        renewals.delete(renewal);
        for (const key of keys) redis.zrem(key, token).catch(() => {});
      };
    },
    acquireConnection(sourceAddress, target, acquireOptions = {}) {
      return waitForRatePoints(rate, connectionRateKeys(sourceAddress, target), acquireOptions.signal);
    },
    async close() {
      for (const renewal of renewals) clearInterval(renewal);
      renewals.clear();
    },
  };
}
