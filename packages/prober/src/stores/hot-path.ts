import type { ProberConfig } from '../config.js';
import { createCachedKeyStore } from '../keys/cached-key-store.js';
import type { Stores } from './create-stores.js';
import { createMemoryResultCache } from './memory-result-cache.js';

/** Problems the memory layers report instead of failing a request. */
export interface HotPathProblemLog {
  warn(fields: Record<string, unknown>, message: string): void;
}

/**
 * Puts the in-memory layers of the request path in front of a node's stores: key records (short TTL) with
 * quota usage counted in memory where this process alone counts it, and contract-checked results in an LRU.
 * Closing the returned stores writes pending usage before the stores behind close.
 */
export function withHotPath(
  stores: Stores,
  options: ProberConfig['hotPath'],
  log: () => HotPathProblemLog,
): Stores {
  const embedded = stores.kind === 'sqlite';
  const keys = createCachedKeyStore(stores.keys, {
    recordTtlMs: options.keyRecordTtlMs,
    // The embedded store belongs to one `serve` process; a fleet's nodes share usage, so Redis keeps counting it.
    usage: embedded ? 'local' : 'shared',
    flushIntervalMs: options.usageFlushIntervalMs,
    flushMaxUnits: options.usageFlushMaxUnits,
    onFlushProblem: ({ keyId, units, error }) =>
      log().warn({ keyId, units, err: error }, 'quota usage could not be written as counted'),
  });
  const cache = createMemoryResultCache(stores.cache, {
    maxEntries: options.resultMemoryEntries,
    // Every embedded write passes through this process; a fleet's other nodes may write newer results.
    maxAgeMs: embedded ? null : options.resultMemoryMaxAgeMs,
    onInvalid: (_normalized, issue) => log().warn({ issue }, 'cached result fails the contract; not served'),
  });
  return {
    ...stores,
    keys,
    cache,
    async close() {
      await keys.close();
      await cache.close();
      await stores.close();
    },
  };
}
