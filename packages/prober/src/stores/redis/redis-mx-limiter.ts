import { randomUUID } from 'node:crypto';
import {
  abortableSleep,
  connectionRateKeys,
  createMemoryMxLimiter,
  type MxLimiter,
  mxLimitKeys,
  waitForRatePoints,
} from '@mailprobe/engine';
import type { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { evalScript } from './redis-script.js';
import { subscribe } from './redis-subscription.js';

const SLOT_PREFIX = 'mp:mx:slots:';
const LINE_PREFIX = 'mp:mx:line:';
const ALIVE_PREFIX = 'mp:mx:alive:';
/** Published with a slot key when a slot there is given back, so waiting nodes try at once. */
const FREED_CHANNEL = 'mp:mx:freed';
const RATE_PREFIX = 'mp:mx:rate';
const RATE_WINDOW_SECONDS = 60;
/** First wait between tries for a busy MX slot; doubles up to the maximum. A freed slot wakes waiters sooner. */
const SLOT_POLL_INITIAL_MS = 20;
const SLOT_POLL_MAX_MS = 250;
/** A place in line not refreshed by its waiter for this long is given up (its node died or stalled). */
const PLACE_TTL_MS = 5000;

// Every slot key has a line: the tickets of waiters that key holds back, by arrival (Redis's clock, microseconds,
// kept by the waiter as a string so no digit is lost), and the tickets' expiry times. A waiter may take its slots
// when every key has more free slots than earlier tickets in its line; else it stands in the line of each key that
// holds it back, and only there, so a waiter held back by a busy host name keeps no one from a free address. The
// first ticket of all can always go as soon as its slots are free, on whichever node it waits.
// KEYS: the slot sets (host name's, address's), then their lines, then their expiry sets. ARGV: now, max sessions,
// lease expiry, ticket, key TTL, ticket expiry, arrival ('' on the first try). Answers {taken (1|0), arrival}.
const ACQUIRE_SCRIPT = `
local n = #KEYS / 3
local now = tonumber(ARGV[1])
local arrival = ARGV[7]
if arrival == '' then
  local time = redis.call('TIME')
  arrival = time[1] .. string.format('%06d', tonumber(time[2]))
end
local held = {}
local ready = true
for i = 1, n do
  local slots, line, alive = KEYS[i], KEYS[n + i], KEYS[2 * n + i]
  redis.call('ZREMRANGEBYSCORE', slots, '-inf', now)
  local gone = redis.call('ZRANGEBYSCORE', alive, '-inf', now)
  if #gone > 0 then
    redis.call('ZREM', line, unpack(gone))
    redis.call('ZREMRANGEBYSCORE', alive, '-inf', now)
  end
  local free = tonumber(ARGV[2]) - redis.call('ZCARD', slots)
  held[i] = free <= redis.call('ZCOUNT', line, '-inf', '(' .. arrival)
  if held[i] then ready = false end
end
for i = 1, n do
  local line, alive = KEYS[n + i], KEYS[2 * n + i]
  if held[i] then
    redis.call('ZADD', line, arrival, ARGV[4])
    redis.call('ZADD', alive, ARGV[6], ARGV[4])
    redis.call('PEXPIRE', line, ARGV[5])
    redis.call('PEXPIRE', alive, ARGV[5])
  else
    redis.call('ZREM', line, ARGV[4])
    redis.call('ZREM', alive, ARGV[4])
  end
end
if not ready then return {0, arrival} end
for i = 1, n do
  redis.call('ZADD', KEYS[i], ARGV[3], ARGV[4])
  redis.call('PEXPIRE', KEYS[i], ARGV[5])
end
return {1, arrival}`;

// Gives a slot back (or a place in line up) in every key and, when a slot was held, tells waiting nodes which (a
// waiter that gave up its place frees nothing, and wakes no one). KEYS as above; ARGV: ticket, channel, message
// (the slot keys, one per line).
const RELEASE_SCRIPT = `
local freed = 0
for i = 1, #KEYS do
  local removed = redis.call('ZREM', KEYS[i], ARGV[1])
  if i <= #KEYS / 3 then freed = freed + removed end
end
if freed > 0 then redis.call('PUBLISH', ARGV[2], ARGV[3]) end
return freed`;

export interface RedisMxLimiterOptions {
  maxSessionsPerMx: number;
  maxConnectionsPerMinute: number;
  /** A slot not renewed for this long is free again: a killed node gives its slots back after at most this. */
  leaseMs?: number;
  /** Length of the connection-rate window (default one minute); tests shorten it. */
  rateWindowMs?: number;
  /** A waiter's place in the fleet's line lapses when not refreshed for this long (default 5 s); tests shorten it. */
  placeTtlMs?: number;
}

/** Default lease of an MX session slot; renewed every third of it while the session runs. */
const DEFAULT_MX_LEASE_MS = 15_000;
const MS_PER_SECOND = 1000;

/**
 * The engine's MxLimiter for a fleet: per-MX session slots are leases in Redis sorted sets, one per MX host name
 * and one per MX address (a semaphore whose slots expire unless renewed), taken together by one script, in order
 * of arrival across the fleet (a line in Redis beside each slot set); a slot given back wakes the nodes waiting for
 * it (Redis pub/sub), polling covers a lost message. The connection rate is rate-limiter-flexible's Redis limiter,
 * per (source, host name) and (source, address), so every node of the fleet counts against the same limits.
 */
export function createRedisMxLimiter(redis: Redis, options: RedisMxLimiterOptions): MxLimiter {
  const leaseMs = options.leaseMs ?? DEFAULT_MX_LEASE_MS;
  const placeTtlMs = options.placeTtlMs ?? PLACE_TTL_MS;
  const rate = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: RATE_PREFIX,
    points: options.maxConnectionsPerMinute,
    duration: options.rateWindowMs ? options.rateWindowMs / MS_PER_SECOND : RATE_WINDOW_SECONDS,
  });
  const renewals = new Set<NodeJS.Timeout>();
  // This node's sessions first wait in a line of its own, as on a single node, so only the first few of them wait
  // in the fleet's line (the one that decides, in order of arrival, whichever node a waiter is on).
  const local = createMemoryMxLimiter({
    maxSessionsPerMx: options.maxSessionsPerMx,
    // Its connection rate is never asked: the fleet's is the one above.
    maxConnectionsPerMinute: options.maxConnectionsPerMinute,
  });
  // Waiters of this node per slot key, woken when any node gives a slot there back.
  const waiters = new Map<string, Set<() => void>>();
  let unsubscribe: (() => void) | null = null;
  function listen(): void {
    // While the subscription is away, waiters still find freed slots by polling.
    unsubscribe ??= subscribe(redis, FREED_CHANNEL, (message) => {
      for (const key of message.split('\n')) for (const wake of waiters.get(key) ?? []) wake();
    });
  }

  /** Waits `ms`, or less when a slot at one of `keys` is given back. */
  async function nap(keys: readonly string[], ms: number, signal: AbortSignal | undefined): Promise<void> {
    const woken = new AbortController();
    const wake = () => woken.abort();
    for (const key of keys) {
      const set = waiters.get(key) ?? new Set();
      set.add(wake);
      waiters.set(key, set);
    }
    try {
      await abortableSleep(ms, signal ? AbortSignal.any([signal, woken.signal]) : woken.signal);
    } catch (error) {
      if (signal?.aborted) throw error;
    } finally {
      for (const key of keys) {
        const set = waiters.get(key);
        set?.delete(wake);
        if (set?.size === 0) waiters.delete(key);
      }
    }
  }

  return {
    async acquire(target, acquireOptions = {}) {
      listen();
      const releaseLocal = await local.acquire(target, acquireOptions);
      const limitKeys = mxLimitKeys(target);
      const slotKeys = limitKeys.map((key) => `${SLOT_PREFIX}${key}`);
      const keys = [
        ...slotKeys,
        ...limitKeys.map((key) => `${LINE_PREFIX}${key}`),
        ...limitKeys.map((key) => `${ALIVE_PREFIX}${key}`),
      ];
      const message = slotKeys.join('\n');
      const token = randomUUID();
      const giveBack = () =>
        evalScript(redis, RELEASE_SCRIPT, keys.length, ...keys, token, FREED_CHANNEL, message).catch(
          () => {},
        );
      let wait = SLOT_POLL_INITIAL_MS;
      let arrival = '';
      try {
        for (;;) {
          const now = Date.now();
          const [taken, arrived] = (await evalScript(
            redis,
            ACQUIRE_SCRIPT,
            keys.length,
            ...keys,
            now,
            options.maxSessionsPerMx,
            now + leaseMs,
            token,
            leaseMs * 2,
            now + placeTtlMs,
            arrival,
          )) as [number, string];
          if (taken === 1) break;
          arrival = arrived;
          await nap(slotKeys, wait, acquireOptions.signal);
          wait = Math.min(wait * 2, SLOT_POLL_MAX_MS);
        }
      } catch (error) {
        // Its place in line goes (it would lapse anyway), and the next of this node's waiters comes forward.
        void giveBack();
        releaseLocal();
        throw error;
      }
      const renewal = setInterval(() => {
        for (const key of slotKeys) redis.zadd(key, 'XX', Date.now() + leaseMs, token).catch(() => {});
      }, leaseMs / 3);
      renewal.unref();
      renewals.add(renewal);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        clearInterval(renewal);
        renewals.delete(renewal);
        void giveBack();
        // Commands on one connection run in order: this node's next waiter asks after the slot is back.
        releaseLocal();
      };
    },
    acquireConnection(sourceAddress, target, acquireOptions = {}) {
      return waitForRatePoints(rate, connectionRateKeys(sourceAddress, target), acquireOptions.signal);
    },
    async close() {
      for (const renewal of renewals) clearInterval(renewal);
      renewals.clear();
      unsubscribe?.();
      unsubscribe = null;
    },
  };
}
