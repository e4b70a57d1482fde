import type { Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';

const WINDOW_SECONDS = 60;
const KEY_PREFIX = 'mp:rl:requests';

/** Per-key requests-per-minute limits (in memory for one node, in Redis for a fleet). */
export class RequestLimiter {
  private readonly limiters = new Map<number, RateLimiterAbstract>();

  constructor(private readonly redis: Redis | null) {}

  /** Counts one request; returns null when allowed, else the seconds to wait. */
  async take(keyId: string, requestsPerMinute: number): Promise<number | null> {
    try {
      await this.limiterFor(requestsPerMinute).consume(keyId);
      return null;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw rejection;
    }
  }

  private limiterFor(points: number): RateLimiterAbstract {
    let limiter = this.limiters.get(points);
    if (!limiter) {
      // One limiter per distinct limit, keyed by key id: keys with the same limit share the structure only.
      limiter = this.redis
        ? new RateLimiterRedis({
            storeClient: this.redis,
            keyPrefix: `${KEY_PREFIX}:${points}`,
            points,
            duration: WINDOW_SECONDS,
          })
        : new RateLimiterMemory({ keyPrefix: `${KEY_PREFIX}:${points}`, points, duration: WINDOW_SECONDS });
      this.limiters.set(points, limiter);
    }
    return limiter;
  }
}
