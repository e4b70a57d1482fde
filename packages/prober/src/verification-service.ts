import { createHash } from 'node:crypto';
import {
  parseAddress,
  type Reason,
  syntaxErrorResult,
  timeoutResult,
  type VerificationResult,
} from '@mailprobe/core';
import type { Engine } from '@mailprobe/engine';
import { CACHE_TTL_BY_REASON, type CacheTtl, type ProberConfig } from './config.js';
import type { ProberMetrics, VerificationSource } from './metrics.js';
import type { ResultCache } from './stores/types.js';

const ADDRESS_HASH_LENGTH = 16;

/** A short, stable hash of an address for info-level logs (never the address itself). */
export function hashAddress(address: string): string {
  return createHash('sha256').update(address).digest('hex').slice(0, ADDRESS_HASH_LENGTH);
}

const MS_PER_SECOND = 1000;

/** How long a result is worth keeping, by reason and verdict (CACHE_TTL_BY_REASON), never past `maxMs`. */
export function cacheTtlMs(
  result: VerificationResult,
  ttl: ProberConfig['cacheTtl'],
  maxMs: number = Number.POSITIVE_INFINITY,
): number {
  const rule = (CACHE_TTL_BY_REASON as Partial<Record<Reason, keyof CacheTtl | 'untilRetry' | 'never'>>)[
    result.reason
  ];
  let ms: number;
  if (rule === 'never') ms = 0;
  else if (rule === 'untilRetry')
    ms = Math.min(
      (result.retryAfterSeconds ?? Number.POSITIVE_INFINITY) * MS_PER_SECOND,
      ttl.greylistedMaxMs,
    );
  else if (rule !== undefined) ms = ttl[rule];
  else if (result.status === 'VALID') ms = ttl.validMs;
  else if (result.status === 'INVALID') ms = ttl.invalidMs;
  else ms = ttl.unknownMs;
  return Math.min(ms, maxMs);
}

/** Settles once: the probe of one normalised address, shared by every request that asks for it meanwhile. */
interface Probe {
  promise: Promise<VerificationResult>;
  resolve(result: VerificationResult): void;
  reject(error: unknown): void;
}

function newProbe(): Probe {
  let resolve!: (result: VerificationResult) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<VerificationResult>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  // A probe nobody waits for any more (its request ran out of time) must not crash the process if it fails.
  promise.catch(() => {});
  return { promise, resolve, reject };
}

export interface VerifyManyOptions {
  fresh?: boolean;
  source: VerificationSource;
  /**
   * Answer within this budget: addresses not finished by then are answered UNKNOWN `timeout`; their probes go on
   * and their results land in the cache. No budget: wait for every result.
   */
  timeoutMs?: number;
}

/** Single and batch verification: syntax first, then the results cache, then the engine for the misses. */
export class VerificationService {
  /** Probes running for single/batch calls, by normalised address, so a repeated call joins instead of re-probing. */
  private readonly inFlight = new Map<string, Probe>();

  constructor(
    private readonly engine: Engine,
    private readonly cache: ResultCache,
    private readonly metrics: ProberMetrics,
    private readonly cacheTtl: ProberConfig['cacheTtl'],
    /** Cached results are never kept longer than this (the retention period). */
    private readonly maxCacheMs: number = Number.POSITIVE_INFINITY,
  ) {}

  /** Verifies addresses in input order; `fresh` skips the cache lookup (the new result is still cached). */
  async verifyMany(addresses: readonly string[], options: VerifyManyOptions): Promise<VerificationResult[]> {
    const started = Date.now();
    const results: Array<VerificationResult | null> = addresses.map(() => null);
    const misses: Array<{ position: number; address: string; normalized: string; domain: string }> = [];
    await Promise.all(
      addresses.map(async (address, position) => {
        const parsed = parseAddress(address);
        if (!parsed.ok) {
          results[position] = syntaxErrorResult(address, parsed.error);
          return;
        }
        const { normalized, domain } = parsed.address;
        const hit = options.fresh ? null : await this.lookup(normalized);
        if (hit) results[position] = { ...hit, address, cached: true };
        else misses.push({ position, address, normalized, domain });
      }),
    );
    if (misses.length > 0) {
      misses.sort((a, b) => a.position - b.position);
      const probes = this.probe(misses);
      const waits = misses.map((miss, offset) =>
        (probes[offset] as Promise<VerificationResult>).then((result) => {
          // A joined probe answered another input form of the same address.
          results[miss.position] = { ...result, address: miss.address };
        }),
      );
      const everything = Promise.all(waits);
      if (options.timeoutMs === undefined) await everything;
      else await this.within(everything, options.timeoutMs);
      for (const miss of misses) {
        if (results[miss.position] !== null) continue;
        results[miss.position] = timeoutResult(
          miss.address,
          miss.normalized,
          miss.domain,
          Date.now() - started,
        );
      }
    }
    const answered = results as VerificationResult[];
    for (const result of answered) this.metrics.recordVerification(result, options.source);
    return answered;
  }

  /** Waits for `work` at most `ms`; a failure of `work` is still thrown. */
  private async within(work: Promise<unknown>, ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    });
    try {
      await Promise.race([work, budget]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * One probe per address: joins those already running, starts the rest in one engine call (sessions shared per
   * MX). Each result is cached as it arrives, whether or not its request still waits.
   */
  private probe(
    misses: ReadonlyArray<{ address: string; normalized: string }>,
  ): Array<Promise<VerificationResult>> {
    const started: Array<{ address: string; normalized: string; probe: Probe }> = [];
    const promises = misses.map((miss) => {
      const running = this.inFlight.get(miss.normalized);
      if (running) return running.promise;
      const probe = newProbe();
      this.inFlight.set(miss.normalized, probe);
      started.push({ ...miss, probe });
      return probe.promise;
    });
    if (started.length > 0) {
      const finish = (entry: (typeof started)[number], result: VerificationResult) => {
        if (this.inFlight.get(entry.normalized) === entry.probe) this.inFlight.delete(entry.normalized);
        this.store(entry.normalized, result).then(
          () => entry.probe.resolve(result),
          () => entry.probe.resolve(result),
        );
      };
      this.engine
        .verifyMany(
          started.map((entry) => entry.address),
          {
            onResult: (position, result) => {
              const entry = started[position];
              if (entry) finish(entry, result);
            },
          },
        )
        .then(
          (all) => {
            all.forEach((result, position) => {
              const entry = started[position];
              if (entry && this.inFlight.get(entry.normalized) === entry.probe) finish(entry, result);
            });
          },
          (error: unknown) => {
            for (const entry of started) {
              if (this.inFlight.get(entry.normalized) === entry.probe) this.inFlight.delete(entry.normalized);
              entry.probe.reject(error);
            }
          },
        );
    }
    return promises;
  }

  /** A cached result for a normalised address, counted in the hit ratio. */
  async lookup(normalized: string): Promise<VerificationResult | null> {
    const hit = await this.cache.get(normalized);
    this.metrics.recordCacheLookup(hit !== null);
    return hit;
  }

  /** Keeps a fresh result for its reason's TTL (not at all when that is 0). */
  async store(normalized: string, result: VerificationResult): Promise<void> {
    if (result.cached) return;
    const ttlMs = cacheTtlMs(result, this.cacheTtl, this.maxCacheMs);
    if (ttlMs <= 0) return;
    await this.cache.set(normalized, result, ttlMs);
  }
}
