import { sleep } from '../sleep.js';

/** At most `requests` calls in any `windowMs` interval. */
export interface RollingWindowLimit {
  requests: number;
  windowMs: number;
}

export interface Clock {
  now(): number;
}

const systemClock: Clock = { now: () => Date.now() };

/**
 * A true rolling-window limiter (a log of recent start times). HubSpot's burst policy is
 * TEN_SECONDLY_ROLLING; fixed-window limiters can let twice the limit through across a window
 * edge, which is exactly what earns 429s, so the window here slides.
 */
export class RollingWindowLimiter {
  private readonly startTimes: number[] = [];
  private pausedUntil = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly limit: RollingWindowLimit,
    private readonly clock: Clock = systemClock,
  ) {
    if (!(limit.requests >= 1) || !(limit.windowMs > 0)) {
      throw new RangeError(`invalid rolling window limit ${JSON.stringify(limit)}`);
    }
  }

  /** Waits (in arrival order) until one more call fits in the window, then records it. */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.waitForSlot(signal));
    // A waiter that aborts must not stall the ones behind it.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Holds every caller until `time` (after HubSpot said 429). */
  pauseUntil(time: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, time);
  }

  private async waitForSlot(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      while (this.startTimes.length > 0 && (this.startTimes[0] as number) <= now - this.limit.windowMs) {
        this.startTimes.shift();
      }
      const freeAt =
        this.startTimes.length < this.limit.requests ? now : (this.startTimes[0] as number) + this.limit.windowMs;
      const readyAt = Math.max(freeAt, this.pausedUntil);
      if (readyAt <= now) {
        this.startTimes.push(now);
        return;
      }
      await sleep(readyAt - now, signal);
    }
  }
}
