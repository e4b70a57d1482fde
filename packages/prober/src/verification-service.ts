import { createHash } from 'node:crypto';
import {
  type ParsedAddress,
  parseAddress,
  type Reason,
  syntaxErrorResult,
  timeoutResult,
  type VerificationResult,
} from '@mailprobe/core';
import type { Engine } from '@mailprobe/engine';
import { CACHE_TTL_BY_REASON, type CacheTtl, type ProberConfig } from './config.js';
import { type Deferred, deferred } from './deferred.js';
import type { ProberMetrics, VerificationSource } from './metrics.js';
import type { ResultCache } from './stores/types.js';
import { untilAborted } from './until-aborted.js';

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

/** An input that goes to the engine, with the form it was parsed into (the engine does not parse it again). */
interface Miss {
  position: number;
  address: string;
  parsed: ParsedAddress;
}

/**
 * Settles once: the probe of one normalised address, shared by every request that asks for it meanwhile. A probe
 * nobody waits for any more (its request ran out of time) does not crash the process if it fails.
 */
type Probe = Deferred<VerificationResult>;

export interface VerifyManyOptions {
  fresh?: boolean;
  source: VerificationSource;
  /**
   * Answer within this budget: addresses not finished by then are answered UNKNOWN `timeout`; their probes go on
   * and their results land in the cache. No budget: wait for every result.
   */
  timeoutMs?: number;
}

/** What `verifyEach` asks of its caller. */
export interface VerifyEachOptions {
  /** Skips the cache lookup (a re-probe needs a new answer); the fresh result is still cached. */
  fresh?: boolean;
  /**
   * Ends this call's engine work (a cancelled job, a lost lease): the call rejects with the abort reason. Without
   * one, probes are shared with every later call for the same address and run to their end.
   */
  signal?: AbortSignal;
  /**
   * Ends this call's engine work instead of `signal`, which then only ends the wait. A job worker passes one signal
   * for all its chunks (its own closing): the engine shares sessions between calls with the same signal.
   */
  probeSignal?: AbortSignal;
  /**
   * A bulk job's chunk: its fresh results go to the store's cache but not to the memory layer in front of it, which
   * keeps what interactive calls ask for (a list of thousands would evict all of it, for results nobody asks twice).
   */
  bulk?: boolean;
  /** Each input's result as soon as it is ready (cached or probed), by position in the inputs. */
  onResult(position: number, result: VerificationResult): void;
  /** An input that goes to the engine (no syntax error, no cache hit), with its parsed form. */
  onProbe?(position: number, parsed: ParsedAddress): void;
  /**
   * Awaited after the cache lookups, before the engine is asked (only when something is left to probe): a job
   * worker starts the chunks it claimed together at once, so the engine shares sessions across all of them.
   */
  beforeProbes?(): Promise<void>;
}

/**
 * The one verification path of the prober (single and batch calls, job chunks): each address parsed once, syntax
 * first, then the results cache, then one engine call for the misses (sessions shared per MX address with every
 * other call in flight); each fresh result is cached as it arrives.
 */
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

  /**
   * Verifies `addresses`, handing each result to `onResult` as it is ready; resolves once every input was
   * answered. Cache lookups run together, in one call to the cache (one round trip on Redis).
   */
  async verifyEach(addresses: readonly string[], options: VerifyEachOptions): Promise<void> {
    const misses: Miss[] = [];
    const lookedUp: Miss[] = [];
    addresses.forEach((address, position) => {
      const parsed = parseAddress(address);
      if (!parsed.ok) {
        options.onResult(position, syntaxErrorResult(address, parsed.error));
        return;
      }
      const miss = { position, address, parsed: parsed.address };
      if (options.fresh) misses.push(miss);
      else lookedUp.push(miss);
    });
    if (lookedUp.length > 0) {
      const hits = await untilAborted(
        this.lookupMany(lookedUp.map((miss) => miss.parsed.normalized)),
        options.signal,
      );
      lookedUp.forEach((miss, offset) => {
        const hit = hits[offset];
        if (hit) options.onResult(miss.position, { ...hit, address: miss.address, cached: true });
        else misses.push(miss);
      });
    }
    for (const miss of misses) options.onProbe?.(miss.position, miss.parsed);
    if (misses.length === 0) return;
    if (options.beforeProbes) await untilAborted(options.beforeProbes(), options.signal);
    misses.sort((a, b) => a.position - b.position);
    const probes = this.probe(misses, options.probeSignal ?? options.signal, options.bulk === true);
    await untilAborted(
      Promise.all(
        misses.map((miss, offset) =>
          (probes[offset] as Promise<VerificationResult>).then((result) => {
            // An aborted call answers no more (its caller has moved on).
            if (options.signal?.aborted) return;
            // A joined probe answered another input form of the same address (the same form: the result as built).
            options.onResult(
              miss.position,
              result.address === miss.address ? result : { ...result, address: miss.address },
            );
          }),
        ),
      ),
      options.signal,
    );
  }

  /** Verifies addresses in input order; `fresh` skips the cache lookup (the new result is still cached). */
  async verifyMany(addresses: readonly string[], options: VerifyManyOptions): Promise<VerificationResult[]> {
    const started = Date.now();
    const results: Array<VerificationResult | null> = addresses.map(() => null);
    const probed: Array<{ position: number; parsed: ParsedAddress }> = [];
    const everything = this.verifyEach(addresses, {
      fresh: options.fresh === true,
      onResult: (position, result) => {
        results[position] = result;
      },
      onProbe: (position, parsed) => probed.push({ position, parsed }),
    });
    if (options.timeoutMs === undefined) await everything;
    else await this.within(everything, options.timeoutMs);
    for (const { position, parsed } of probed) {
      if (results[position] !== null) continue;
      results[position] = timeoutResult(
        addresses[position] as string,
        parsed.normalized,
        parsed.domain,
        Date.now() - started,
      );
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
   * MX). Each result is cached as it arrives, whether or not its request still waits. Probes of a call with a
   * signal (which may end them early) are not offered to others to join.
   */
  private probe(
    misses: readonly Miss[],
    signal: AbortSignal | undefined,
    bulk: boolean,
  ): Array<Promise<VerificationResult>> {
    const started: Array<{ parsed: ParsedAddress; normalized: string; probe: Probe }> = [];
    const promises = misses.map((miss) => {
      const { normalized } = miss.parsed;
      const running = this.inFlight.get(normalized);
      if (running) return running.promise;
      const probe = deferred<VerificationResult>();
      if (!signal) this.inFlight.set(normalized, probe);
      started.push({ parsed: miss.parsed, normalized, probe });
      return probe.promise;
    });
    if (started.length > 0) {
      const settled = new Set<Probe>();
      const finish = (entry: (typeof started)[number], result: VerificationResult) => {
        if (settled.has(entry.probe)) return;
        settled.add(entry.probe);
        if (this.inFlight.get(entry.normalized) === entry.probe) this.inFlight.delete(entry.normalized);
        this.store(entry.normalized, result, { memory: !bulk }).then(
          () => entry.probe.resolve(result),
          () => entry.probe.resolve(result),
        );
      };
      this.engine
        .verifyParsed(
          started.map((entry) => entry.parsed),
          {
            ...(signal ? { signal } : {}),
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
              if (entry) finish(entry, result);
            });
          },
          (error: unknown) => {
            for (const entry of started) {
              if (settled.has(entry.probe)) continue;
              settled.add(entry.probe);
              if (this.inFlight.get(entry.normalized) === entry.probe) this.inFlight.delete(entry.normalized);
              entry.probe.reject(error);
            }
          },
        );
    }
    return promises;
  }

  /** Cached results for normalised addresses, in order, looked up together (one round trip on Redis). */
  private async lookupMany(normalized: readonly string[]): Promise<Array<VerificationResult | null>> {
    const { cache } = this;
    const hits = cache.getEntries
      ? (await cache.getEntries(normalized)).map((entry) => entry?.result ?? null)
      : await Promise.all(normalized.map((each) => cache.get(each)));
    for (const hit of hits) this.metrics.recordCacheLookup(hit !== null);
    return hits;
  }

  /** A cached result for a normalised address, counted in the hit ratio. */
  async lookup(normalized: string): Promise<VerificationResult | null> {
    const hit = await this.cache.get(normalized);
    this.metrics.recordCacheLookup(hit !== null);
    return hit;
  }

  /** Keeps a fresh result for its reason's TTL (not at all when that is 0). */
  async store(normalized: string, result: VerificationResult, options?: { memory?: boolean }): Promise<void> {
    if (result.cached) return;
    const ttlMs = cacheTtlMs(result, this.cacheTtl, this.maxCacheMs);
    if (ttlMs <= 0) return;
    await this.cache.set(normalized, result, ttlMs, options);
  }
}
