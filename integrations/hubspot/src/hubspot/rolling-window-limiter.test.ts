import { describe, expect, it } from 'vitest';
import { AbortedError } from '../errors.js';
import { sleep } from '../sleep.js';
import { RollingWindowLimiter } from './rolling-window-limiter.js';

describe('RollingWindowLimiter', () => {
  it('never lets more than the limit start within any window, even across window edges', async () => {
    const limiter = new RollingWindowLimiter({ requests: 5, windowMs: 200 });
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 17 }, async () => {
        const release = await limiter.acquire();
        starts.push(Date.now());
        await sleep(5);
        release();
      }),
    );
    starts.sort((a, b) => a - b);
    for (let index = 5; index < starts.length; index++) {
      // The 6th start after any start is at least one window later (1 ms timer slack).
      expect((starts[index] as number) - (starts[index - 5] as number)).toBeGreaterThanOrEqual(199);
    }
  });

  it('keeps a slot until the call finished, so slow calls cannot bunch arrivals at the server', async () => {
    const limiter = new RollingWindowLimiter({ requests: 1, windowMs: 50 });
    const release = await limiter.acquire();
    let second = false;
    const next = limiter.acquire().then((done) => {
      second = true;
      done();
    });
    await sleep(120);
    expect(second).toBe(false);
    const finishedAt = Date.now();
    release();
    await next;
    expect(Date.now() - finishedAt).toBeGreaterThanOrEqual(49);
  });

  it('holds everyone after a pause and lets an aborted waiter leave without blocking the rest', async () => {
    const limiter = new RollingWindowLimiter({ requests: 1, windowMs: 50 });
    (await limiter.acquire())();
    const controller = new AbortController();
    const aborted = limiter.acquire(controller.signal);
    controller.abort();
    await expect(aborted).rejects.toBeInstanceOf(AbortedError);
    const pausedAt = Date.now();
    limiter.pauseUntil(pausedAt + 150);
    (await limiter.acquire())();
    expect(Date.now() - pausedAt).toBeGreaterThanOrEqual(149);
  });

  it('rejects nonsense limits', () => {
    expect(() => new RollingWindowLimiter({ requests: 0, windowMs: 10 })).toThrow(RangeError);
  });
});
