import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { abortError, sleep } from '../abort.js';
import { type Release, Semaphore } from './semaphore.js';

/** One MX target as the limits see it: the host name from the MX record and the address connected to. */
export interface MxTarget {
  host: string;
  ip: string;
}

/**
 * Per-MX politeness, shared by every probe of one engine (or, with a shared store, of a fleet). Receiving
 * servers count clients against their own address, and many MX names share one address, so both limits hold per
 * MX host name and per MX IP address: concurrent sessions, and new connections per minute per source address.
 * Both calls wait rather than fail.
 */
export interface MxLimiter {
  /** Waits for a session slot at the host name and at the address; call the returned release when the session ends. */
  acquire(target: MxTarget, options?: { signal?: AbortSignal }): Promise<Release>;
  /** Waits until one more new connection from `sourceAddress` fits in the rate of the host name and of the address. */
  acquireConnection(
    sourceAddress: string,
    target: MxTarget,
    options?: { signal?: AbortSignal },
  ): Promise<void>;
  close?(): Promise<void>;
}

export interface MemoryMxLimiterOptions {
  maxSessionsPerMx: number;
  maxConnectionsPerMinute: number;
  /** Length of the rate window (default one minute); tests shorten it to watch the queue drain. */
  rateWindowMs?: number;
}

const MINUTE_MS = 60_000;
const MS_PER_SECOND = 1000;
// Waiters re-check a little after the window frees a point, so they do not spin on the boundary.
const RATE_RECHECK_SLACK_MS = 5;

/** The keys one target is counted under: its name and its address, never confused with each other. */
export function mxLimitKeys(target: MxTarget): [string, string] {
  return [`host ${target.host.toLowerCase()}`, `ip ${target.ip}`];
}

/** The rate keys of one connection: (source, host name) and (source, address). */
export function connectionRateKeys(sourceAddress: string, target: MxTarget): string[] {
  return mxLimitKeys(target).map((key) => `${sourceAddress} ${key}`);
}

/** The in-process MxLimiter: FIFO semaphores per host name and per address, and rate-limiter-flexible's memory limiter. */
export function createMemoryMxLimiter(options: MemoryMxLimiterOptions): MxLimiter {
  const semaphores = new Map<string, Semaphore>();
  const rate = new RateLimiterMemory({
    points: options.maxConnectionsPerMinute,
    duration: (options.rateWindowMs ?? MINUTE_MS) / MS_PER_SECOND,
  });

  async function acquireOne(key: string, signal: AbortSignal | undefined): Promise<Release> {
    let semaphore = semaphores.get(key);
    if (!semaphore) {
      semaphore = new Semaphore(options.maxSessionsPerMx);
      semaphores.set(key, semaphore);
    }
    const owned = semaphore;
    try {
      const release = await owned.acquire(signal);
      return () => {
        release();
        forgetIdle(key, owned);
      };
    } catch (error) {
      forgetIdle(key, owned);
      throw error;
    }
  }

  // Idle keys are forgotten so a long run over many domains keeps memory flat.
  function forgetIdle(key: string, semaphore: Semaphore): void {
    if (semaphore.active === 0 && semaphore.waiting === 0 && semaphores.get(key) === semaphore)
      semaphores.delete(key);
  }

  return {
    async acquire(target, acquireOptions = {}) {
      const [hostKey, ipKey] = mxLimitKeys(target);
      // Always the name first, then the address: no one holds an address slot while waiting for a name's, so
      // two waiters can never hold what the other needs.
      const releaseHost = await acquireOne(hostKey, acquireOptions.signal);
      let releaseIp: Release;
      try {
        releaseIp = await acquireOne(ipKey, acquireOptions.signal);
      } catch (error) {
        releaseHost();
        throw error;
      }
      return () => {
        releaseIp();
        releaseHost();
      };
    },
    acquireConnection(sourceAddress, target, acquireOptions = {}) {
      return waitForRatePoints(rate, connectionRateKeys(sourceAddress, target), acquireOptions.signal);
    },
  };
}

/**
 * Waits until `rate` grants one point for `key`, sleeping until the window frees one (never failing for lack of
 * points). Shared by every MxLimiter, whatever store backs its rate limiter.
 */
export function waitForRatePoint(
  rate: RateLimiterAbstract,
  key: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  return waitForRatePoints(rate, [key], signal);
}

/**
 * Waits until `rate` grants one point for every key at once (asked together: one round trip with a shared store).
 * A key granted while another is refused is given its point back before the wait, so no key is ever charged for a
 * connection that did not happen then.
 */
export async function waitForRatePoints(
  rate: RateLimiterAbstract,
  keys: readonly string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  for (;;) {
    if (signal?.aborted) throw abortError(signal);
    const answers = await Promise.allSettled(keys.map((key) => rate.consume(key)));
    const granted = keys.filter((_, position) => answers[position]?.status === 'fulfilled');
    if (granted.length === keys.length) return;
    await Promise.all(granted.map((key) => rate.reward(key, 1)));
    let waitMs = 0;
    for (const answer of answers) {
      if (answer.status === 'fulfilled') continue;
      // A store failure (not a refusal) is the caller's to handle.
      if (!(answer.reason instanceof RateLimiterRes)) throw answer.reason;
      waitMs = Math.max(waitMs, answer.reason.msBeforeNext + RATE_RECHECK_SLACK_MS);
    }
    await sleep(waitMs, signal);
  }
}
