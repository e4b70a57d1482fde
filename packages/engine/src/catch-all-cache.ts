import { LruTtlCache } from './lru-cache.js';

/**
 * Remembers whether a domain accepts every local part. `get` returns undefined when unknown or
 * expired. The prober may plug a shared store so a fleet probes each domain once per TTL.
 */
export interface CatchAllCache {
  get(domain: string): Promise<boolean | undefined>;
  set(domain: string, catchAll: boolean, ttlMs: number): Promise<void>;
}

const DEFAULT_CATCH_ALL_DOMAINS = 10_000;

/** The in-memory CatchAllCache: bounded LRU, each verdict kept for its TTL. */
export function createMemoryCatchAllCache(maxDomains: number = DEFAULT_CATCH_ALL_DOMAINS): CatchAllCache {
  const cache = new LruTtlCache<string, boolean>(maxDomains);
  return {
    async get(domain) {
      return cache.get(domain);
    },
    async set(domain, catchAll, ttlMs) {
      cache.set(domain, catchAll, ttlMs);
    },
  };
}
