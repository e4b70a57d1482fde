import { createHash } from 'node:crypto';
import { parseAddress, syntaxErrorResult, type VerificationResult } from '@mailprobe/core';
import type { Engine } from '@mailprobe/engine';
import type { ProberConfig } from './config.js';
import type { ProberMetrics, VerificationSource } from './metrics.js';
import type { ResultCache } from './stores/types.js';

const ADDRESS_HASH_LENGTH = 16;

/** A short, stable hash of an address for info-level logs (never the address itself). */
export function hashAddress(address: string): string {
  return createHash('sha256').update(address).digest('hex').slice(0, ADDRESS_HASH_LENGTH);
}

/** How long a result is worth keeping, by verdict. */
export function cacheTtlMs(result: VerificationResult, ttl: ProberConfig['cacheTtl']): number {
  if (result.status === 'VALID') return ttl.validMs;
  if (result.status === 'INVALID') return ttl.invalidMs;
  return ttl.unknownMs;
}

/** Single and batch verification: syntax first, then the results cache, then the engine for the misses. */
export class VerificationService {
  constructor(
    private readonly engine: Engine,
    private readonly cache: ResultCache,
    private readonly metrics: ProberMetrics,
    private readonly cacheTtl: ProberConfig['cacheTtl'],
  ) {}

  /** Verifies addresses in input order; `fresh` skips the cache lookup (the new result is still cached). */
  async verifyMany(
    addresses: readonly string[],
    options: { fresh?: boolean; source: VerificationSource; signal?: AbortSignal },
  ): Promise<VerificationResult[]> {
    const results: Array<VerificationResult | null> = addresses.map(() => null);
    const misses: Array<{ position: number; address: string; normalized: string }> = [];
    await Promise.all(
      addresses.map(async (address, position) => {
        const parsed = parseAddress(address);
        if (!parsed.ok) {
          results[position] = syntaxErrorResult(address, parsed.error);
          return;
        }
        const { normalized } = parsed.address;
        const hit = options.fresh ? null : await this.lookup(normalized);
        if (hit) results[position] = { ...hit, address, cached: true };
        else misses.push({ position, address, normalized });
      }),
    );
    if (misses.length > 0) {
      misses.sort((a, b) => a.position - b.position);
      const fresh = await this.engine.verifyMany(
        misses.map((miss) => miss.address),
        options.signal ? { signal: options.signal } : {},
      );
      await Promise.all(
        misses.map(async (miss, offset) => {
          const result = fresh[offset] as VerificationResult;
          results[miss.position] = result;
          await this.store(miss.normalized, result);
        }),
      );
    }
    const answered = results as VerificationResult[];
    for (const result of answered) this.metrics.recordVerification(result, options.source);
    return answered;
  }

  /** A cached result for a normalised address, counted in the hit ratio. */
  async lookup(normalized: string): Promise<VerificationResult | null> {
    const hit = await this.cache.get(normalized);
    this.metrics.recordCacheLookup(hit !== null);
    return hit;
  }

  /** Keeps a fresh result for its verdict's TTL. */
  async store(normalized: string, result: VerificationResult): Promise<void> {
    if (result.cached) return;
    await this.cache.set(normalized, result, cacheTtlMs(result, this.cacheTtl));
  }
}
