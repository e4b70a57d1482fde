import { AbortedError } from '../errors.js';
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
const IN_FLIGHT = Number.POSITIVE_INFINITY;

/**
 * A true rolling-window limiter. HubSpot's burst policy is TEN_SECONDLY_ROLLING; fixed-window limiters let
 * twice the limit through across a window edge, which is exactly what earns 429s, so the window slides.
 *
 * HubSpot counts a request when it arrives, which this process cannot see. So a slot is held while the
 * call is in flight and frees one window after the *response* came back: a reused slot's next request then
 * arrives more than a window after the previous one, whatever the network delay, and no window at
 * HubSpot ever sees more than `requests` arrivals.
 */
export class RollingWindowLimiter {
  /** When each occupied slot's call finished (IN_FLIGHT while it runs). */
  private readonly finishedAt: number[] = [];
  private pausedUntil = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private onRelease: (() => void) | null = null;

  constructor(
    readonly limit: RollingWindowLimit,
    private readonly clock: Clock = systemClock,
  ) {
    if (!(limit.requests >= 1) || !(limit.windowMs > 0)) {
      throw new RangeError(`invalid rolling window limit ${JSON.stringify(limit)}`);
    }
  }

  /** Waits (in arrival order) for a slot; call the returned function when the call has finished. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    const turn = this.queue.then(() => this.waitForSlot(signal));
    // A waiter that aborts must not stall the ones behind it.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Holds every caller until `time` (after HubSpot said 429). */
  pauseUntil(time: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, time);
  }

  private async waitForSlot(signal?: AbortSignal): Promise<() => void> {
    for (;;) {
      const now = this.clock.now();
      for (let index = this.finishedAt.length - 1; index >= 0; index--) {
        if ((this.finishedAt[index] as number) <= now - this.limit.windowMs) this.finishedAt.splice(index, 1);
      }
      const full = this.finishedAt.length >= this.limit.requests;
      const freeAt = full ? Math.min(...this.finishedAt) + this.limit.windowMs : now;
      const readyAt = Math.max(freeAt, this.pausedUntil);
      if (readyAt <= now) {
        this.finishedAt.push(IN_FLIGHT);
        let released = false;
        return () => {
          if (released) return;
          released = true;
          this.release();
        };
      }
      if (readyAt === IN_FLIGHT) {
        await this.nextRelease(signal);
      } else {
        await sleep(readyAt - now, signal);
      }
    }
  }

  private release(): void {
    // Slots are interchangeable: only the multiset of finish times matters, so any in-flight entry will do.
    const index = this.finishedAt.indexOf(IN_FLIGHT);
    if (index >= 0) this.finishedAt[index] = this.clock.now();
    this.onRelease?.();
  }

  private nextRelease(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new AbortedError());
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.onRelease = null;
        reject(new AbortedError());
      };
      this.onRelease = () => {
        this.onRelease = null;
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
