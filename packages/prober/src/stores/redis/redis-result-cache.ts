import type { VerificationResult } from '@mailprobe/core';
import type { Redis } from 'ioredis';
import type { ResultCache } from '../types.js';
import { decodeResult, dictionaryNamesOf, encodeResult } from './compact-result.js';
import { evalScript } from './redis-script.js';

const CACHE_PREFIX = 'mp:cache:';
/** What cached results share (sessions, replies), one key per content-hash name: see compact-result.ts. */
const DICTIONARY_PREFIX = 'mp:cache-dict:';

// Writes entries with the dictionary entries they name, a batch at once; a dictionary entry lives as long as the
// longest-lived entry naming it. KEYS: entries, then dictionary entries. ARGV: the number of entries, each entry's
// value and TTL (ms), then each dictionary entry's value and TTL.
const SET_MANY_SCRIPT = `
local n = tonumber(ARGV[1])
for j = 1, #KEYS - n do
  local ttl = ARGV[2 * n + 2 * j + 1]
  if redis.call('PTTL', KEYS[n + j]) < tonumber(ttl) then redis.call('SET', KEYS[n + j], ARGV[2 * n + 2 * j], 'PX', ttl) end
end
for i = 1, n do redis.call('SET', KEYS[i], ARGV[2 * i], 'PX', ARGV[2 * i + 1]) end
return n`;
/** Entries per script call: a batch of a busy window is split so no one script holds Redis long. */
const SET_MANY_BATCH = 500;

/**
 * How long a write waits for others to share its round trip: a bulk job stores thousands of results a second, and one
 * command each cost more client CPU (a socket write each) than the probe that found them. Reads see what waits.
 */
const WRITE_WINDOW_MS = 10;

/** A write waiting for its window: the value and dictionary entries as they go to Redis. */
interface WaitingWrite {
  value: string;
  entries: Array<[name: string, value: string]>;
  ttlMs: number;
  expiresAt: number;
}

// Each entry's value and time to live, flat (value₁, TTL₁, value₂, TTL₂, …); a missing value is nil. KEYS: entries.
const GET_ENTRIES_SCRIPT = `
local out = {}
for i, key in ipairs(KEYS) do
  out[2 * i - 1] = redis.call('GET', key)
  out[2 * i] = redis.call('PTTL', key)
end
return out`;

/**
 * The results cache shared by a fleet, one key per normalised address that Redis expires itself. Values are
 * compact results (the address is the key; what many share is kept once); values written by 0.1.0 (a result's
 * JSON object) are still read.
 */
export function createRedisResultCache(redis: Redis, now: () => number = Date.now): ResultCache {
  let waiting = new Map<string, WaitingWrite>();
  let written: Promise<void> | null = null;
  let pendingWrite: { timer: NodeJS.Timeout; run: () => void } | null = null;

  /**
   * Sends the waiting writes, SET_MANY_BATCH entries per script call, each dictionary entry once per call (the
   * results of one session share theirs); rejects when any of them failed.
   */
  async function writeWaiting(): Promise<void> {
    const batch = [...waiting];
    waiting = new Map();
    written = null;
    pendingWrite = null;
    const calls: Array<Promise<unknown>> = [];
    for (let from = 0; from < batch.length; from += SET_MANY_BATCH) {
      const keys: string[] = [];
      const values: Array<string | number> = [];
      const dictionary = new Map<string, { value: string; ttlMs: number }>();
      for (const [normalized, { value, entries, ttlMs }] of batch.slice(from, from + SET_MANY_BATCH)) {
        keys.push(`${CACHE_PREFIX}${normalized}`);
        values.push(value, ttlMs);
        for (const [name, entry] of entries) {
          const known = dictionary.get(name);
          if (!known || known.ttlMs < ttlMs) dictionary.set(name, { value: entry, ttlMs });
        }
      }
      const entryCount = keys.length;
      for (const [name, { value, ttlMs }] of dictionary) {
        keys.push(`${DICTIONARY_PREFIX}${name}`);
        values.push(value, ttlMs);
      }
      calls.push(evalScript(redis, SET_MANY_SCRIPT, keys.length, ...keys, entryCount, ...values));
    }
    const outcomes = await Promise.allSettled(calls);
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** A write still waiting for its window, as a read would find it in Redis. */
  function waitingEntry(normalized: string): WaitingWrite | null {
    const entry = waiting.get(normalized);
    return entry && entry.expiresAt > now() ? entry : null;
  }

  async function decode(
    normalized: string,
    stored: string,
    entries?: ReadonlyArray<[string, string]>,
  ): Promise<VerificationResult | null> {
    if (stored.startsWith('{')) return JSON.parse(stored) as VerificationResult;
    // `<address as JSON>TAB<compact result>` when the address was not the normalised one (JSON never holds a raw tab).
    const tab = stored.indexOf('\t');
    const address = tab < 0 ? normalized : (JSON.parse(stored.slice(0, tab)) as string);
    const value = stored.slice(tab + 1);
    const names = dictionaryNamesOf(value);
    const dictionary = new Map<string, string>();
    if (names.length > 0) {
      const own = entries ? new Map(entries) : null;
      const values = own
        ? names.map((name) => own.get(name) ?? null)
        : await redis.mget(...names.map((name) => `${DICTIONARY_PREFIX}${name}`));
      for (const [position, name] of names.entries()) {
        const entry = values[position];
        // An entry whose shared part expired first is a miss, never a wrong answer.
        if (entry == null) return null;
        dictionary.set(name, entry);
      }
    }
    return decodeResult(value, address, dictionary);
  }

  /** A waiting write as the entry a read returns (or null when its shared part is missing, as in Redis). */
  async function waitingResult(normalized: string, entry: WaitingWrite) {
    const result = await decode(normalized, entry.value, entry.entries);
    return result === null ? null : { result, expiresAt: entry.expiresAt };
  }

  return {
    async get(normalized) {
      const pending = waitingEntry(normalized);
      if (pending) return (await waitingResult(normalized, pending))?.result ?? null;
      const value = await redis.get(`${CACHE_PREFIX}${normalized}`);
      return value === null ? null : decode(normalized, value);
    },
    async getEntry(normalized) {
      const pending = waitingEntry(normalized);
      if (pending) return waitingResult(normalized, pending);
      const key = `${CACHE_PREFIX}${normalized}`;
      const replies = await redis.multi().get(key).pttl(key).exec();
      const value = replies?.[0]?.[1];
      const ttlMs = replies?.[1]?.[1];
      if (typeof value !== 'string' || typeof ttlMs !== 'number' || ttlMs <= 0) return null;
      const result = await decode(normalized, value);
      return result === null ? null : { result, expiresAt: now() + ttlMs };
    },
    async getEntries(normalized) {
      if (normalized.length === 0) return [];
      const replies = (await evalScript(
        redis,
        GET_ENTRIES_SCRIPT,
        normalized.length,
        ...normalized.map((each) => `${CACHE_PREFIX}${each}`),
      )) as Array<string | number | null>;
      return Promise.all(
        normalized.map(async (each, position) => {
          const pending = waitingEntry(each);
          if (pending) return waitingResult(each, pending);
          const value = replies[2 * position];
          const ttlMs = replies[2 * position + 1];
          if (typeof value !== 'string' || typeof ttlMs !== 'number' || ttlMs <= 0) return null;
          const result = await decode(each, value);
          return result === null ? null : { result, expiresAt: now() + ttlMs };
        }),
      );
    },
    async set(normalized, result, ttlMs) {
      if (ttlMs <= 0) return;
      const { encoded, entries } = encodeResult(result);
      const value = result.address === normalized ? encoded : `${JSON.stringify(result.address)}\t${encoded}`;
      waiting.set(normalized, { value, entries, ttlMs, expiresAt: now() + ttlMs });
      if (!written) {
        written = new Promise<void>((resolve, reject) => {
          const run = () => writeWaiting().then(resolve, reject);
          pendingWrite = { timer: setTimeout(run, WRITE_WINDOW_MS), run };
        });
        // Each writer awaits it; one nobody awaits any more must not end the process if Redis is away.
        written.catch(() => {});
      }
      await written;
    },
    async purgeExpired() {
      // Redis drops each entry at its own PX expiry.
    },
    async close() {
      // What still waits is written now, before the connection closes.
      if (!pendingWrite || !written) return;
      clearTimeout(pendingWrite.timer);
      const flushing = written;
      pendingWrite.run();
      await flushing.catch(() => {});
    },
  };
}
