import { type VerificationResult, VerificationResultSchema } from '@mailprobe/core';
import type { CachedResultEntry, ResultCache } from './types.js';

export interface MemoryResultCacheOptions {
  /** Most results kept in memory; the least recently used goes first. 0 keeps none. */
  maxEntries: number;
  /** Longest a memory copy is served before the store is asked again; null = until the entry expires. */
  maxAgeMs: number | null;
  now?: () => number;
  /** Told about a result that does not satisfy the contract (it is neither served nor kept). */
  onInvalid?: (normalized: string, issue: string) => void;
}

/**
 * Keeps recently used results in memory in front of a store. Every result read from the store is checked against
 * the contract (`VerificationResultSchema`) when it enters memory (an older version or a damaged row may have
 * written it), so a hit can be answered without checking it again. A written result is this process's own engine's
 * (built to the contract): it is kept as it is, unchecked — checking it cost a bulk job a fifth of its per-row work.
 * Results served from here are shared: callers copy before changing them.
 */
export function createMemoryResultCache(inner: ResultCache, options: MemoryResultCacheOptions): ResultCache {
  const now = options.now ?? Date.now;
  // A Map keeps insertion order: re-inserting on use makes the first key the least recently used.
  const entries = new Map<string, CachedResultEntry>();

  function remember(normalized: string, entry: CachedResultEntry): void {
    if (options.maxEntries === 0) return;
    const expiresAt =
      options.maxAgeMs === null ? entry.expiresAt : Math.min(entry.expiresAt, now() + options.maxAgeMs);
    entries.delete(normalized);
    entries.set(normalized, { result: entry.result, expiresAt });
    if (entries.size > options.maxEntries) {
      const oldest = entries.keys().next().value as string;
      entries.delete(oldest);
    }
  }

  function checked(normalized: string, result: unknown): VerificationResult | null {
    const parsed = VerificationResultSchema.safeParse(result);
    if (parsed.success) return parsed.data;
    options.onInvalid?.(normalized, parsed.error.issues[0]?.message ?? 'invalid result');
    return null;
  }

  /** The memory copy of `normalized`, if one is kept and fresh (then it becomes the most recently used). */
  function kept(normalized: string): CachedResultEntry | null {
    const entry = entries.get(normalized);
    if (!entry) return null;
    entries.delete(normalized);
    if (entry.expiresAt <= now()) return null;
    entries.set(normalized, entry);
    return entry;
  }

  /** A stored entry, checked against the contract and kept in memory. */
  function fromStore(normalized: string, stored: CachedResultEntry | null): CachedResultEntry | null {
    if (!stored) return null;
    const result = checked(normalized, stored.result);
    if (!result) return null;
    const entry = { result, expiresAt: stored.expiresAt };
    remember(normalized, entry);
    return entry;
  }

  async function getEntry(normalized: string): Promise<CachedResultEntry | null> {
    return kept(normalized) ?? fromStore(normalized, await inner.getEntry(normalized));
  }

  return {
    getEntry,
    async getEntries(normalized) {
      const found = normalized.map(kept);
      const missing = normalized.filter((_, position) => found[position] === null);
      if (missing.length === 0) return found;
      const stored = inner.getEntries
        ? await inner.getEntries(missing)
        : await Promise.all(missing.map((each) => inner.getEntry(each)));
      let next = 0;
      return found.map((entry, position) => {
        if (entry) return entry;
        const each = normalized[position] as string;
        const fetched = stored[next] ?? null;
        next += 1;
        return fromStore(each, fetched);
      });
    },
    async get(normalized) {
      return (await getEntry(normalized))?.result ?? null;
    },
    async set(normalized, result, ttlMs, setOptions) {
      if (ttlMs <= 0 || setOptions?.memory === false) {
        // An older memory copy would now be staler than the store.
        entries.delete(normalized);
        if (ttlMs > 0) await inner.set(normalized, result, ttlMs);
        return;
      }
      await inner.set(normalized, result, ttlMs);
      remember(normalized, { result, expiresAt: now() + ttlMs });
    },
    async purgeExpired() {
      const at = now();
      for (const [normalized, entry] of entries) if (entry.expiresAt <= at) entries.delete(normalized);
      await inner.purgeExpired();
    },
    async close() {
      entries.clear();
      await inner.close();
    },
  };
}
