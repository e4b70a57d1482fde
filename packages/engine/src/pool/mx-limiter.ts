import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { sleep } from '../abort.js';
import { type Release, Semaphore } from './semaphore.js';

/**
 * Per-MX politeness, shared by every probe of one engine (or, with a shared store, of a fleet):
 * concurrent sessions per MX host and new connections per minute per (source address, MX host).
 * Both calls wait rather than fail.
 */
export interface MxLimiter {
  /** Waits for one of the MX host's session slots; call the returned release when the session ends. */
  acquire(mxHost: string, options?: { signal?: AbortSignal }): Promise<Release>;
  /** Waits until one more new connection from `sourceAddress` to `mxHost` fits in the rate. */
  acquireConnection(sourceAddress: string, mxHost: string, options?: { signal?: AbortSignal }): Promise<void>;
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

/** The in-process MxLimiter: a FIFO semaphore per MX host and rate-limiter-flexible's memory limiter. */
export function createMemoryMxLimiter(options: MemoryMxLimiterOptions): MxLimiter {
  const semaphores = new Map<string, Semaphore>();
  const rate = new RateLimiterMemory({
    points: options.maxConnectionsPerMinute,
    duration: (options.rateWindowMs ?? MINUTE_MS) / MS_PER_SECOND,
  });

  return {
    async acquire(mxHost, acquireOptions = {}) {
      let semaphore = semaphores.get(mxHost);
      if (!semaphore) {
        semaphore = new Semaphore(options.maxSessionsPerMx);
        semaphores.set(mxHost, semaphore);
      }
      const owned = semaphore;
      const release = await owned.acquire(acquireOptions.signal);
      return () => {
        release();
        // Idle hosts are forgotten so a long run over many domains keeps memory flat.
        if (owned.active === 0 && owned.waiting === 0 && semaphores.get(mxHost) === owned)
          semaphores.delete(mxHost);
      };
    },
    acquireConnection(sourceAddress, mxHost, acquireOptions = {}) {
      return waitForRatePoint(rate, `${sourceAddress} ${mxHost}`, acquireOptions.signal);
    },
  };
}

/**
 * Waits until `rate` grants one point for `key`, sleeping until the window frees one (never failing for lack of
 * points). Shared by every MxLimiter, whatever store backs its rate limiter.
 */
export async function waitForRatePoint(
  rate: RateLimiterAbstract,
  key: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  for (;;) {
    try {
      await rate.consume(key);
      return;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      await sleep(rejection.msBeforeNext + RATE_RECHECK_SLACK_MS, signal);
    }
  }
}
