import { RateLimiterMemory } from 'rate-limiter-flexible';
import { describe, expect, it } from 'vitest';
import { createMemoryMxLimiter, waitForRatePoints } from './mx-limiter.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

function watch<T>(promise: Promise<T>): { done: () => boolean; promise: Promise<T> } {
  let settled = false;
  const watched = promise.then((value) => {
    settled = true;
    return value;
  });
  return { done: () => settled, promise: watched };
}

describe('createMemoryMxLimiter', () => {
  it('allows at most maxSessionsPerMx sessions per host name, independently per host', async () => {
    const limiter = createMemoryMxLimiter({ maxSessionsPerMx: 2, maxConnectionsPerMinute: 100 });
    const a1 = await limiter.acquire({ host: 'mx-a', ip: '192.0.2.1' });
    await limiter.acquire({ host: 'mx-a', ip: '192.0.2.2' });
    await limiter.acquire({ host: 'mx-b', ip: '192.0.2.3' });
    const third = watch(limiter.acquire({ host: 'MX-A', ip: '192.0.2.4' }));
    await tick();
    expect(third.done()).toBe(false);
    a1();
    await third.promise;
    expect(third.done()).toBe(true);
  });

  it('allows at most maxSessionsPerMx sessions per MX address, whatever names point at it', async () => {
    const limiter = createMemoryMxLimiter({ maxSessionsPerMx: 2, maxConnectionsPerMinute: 100 });
    const first = await limiter.acquire({ host: 'mx.one.test', ip: '192.0.2.9' });
    await limiter.acquire({ host: 'mx.two.test', ip: '192.0.2.9' });
    const third = watch(limiter.acquire({ host: 'mx.three.test', ip: '192.0.2.9' }));
    const elsewhere = watch(limiter.acquire({ host: 'mx.four.test', ip: '192.0.2.10' }));
    await tick();
    expect(third.done()).toBe(false);
    expect(elsewhere.done()).toBe(true);
    first();
    await third.promise;
  });

  it('gives the name slot back when the wait for the address slot is aborted', async () => {
    const limiter = createMemoryMxLimiter({ maxSessionsPerMx: 1, maxConnectionsPerMinute: 100 });
    await limiter.acquire({ host: 'mx.one.test', ip: '192.0.2.9' });
    await expect(
      limiter.acquire({ host: 'mx.two.test', ip: '192.0.2.9' }, { signal: AbortSignal.timeout(20) }),
    ).rejects.toThrow();
    // mx.two.test's name slot is free again: another address under that name gets it at once.
    const release = await limiter.acquire(
      { host: 'mx.two.test', ip: '192.0.2.10' },
      { signal: AbortSignal.timeout(20) },
    );
    release();
  });

  it('queues connections beyond the rate per (source, host name) until the window frees a point', async () => {
    const limiter = createMemoryMxLimiter({
      maxSessionsPerMx: 2,
      maxConnectionsPerMinute: 1,
      rateWindowMs: 200,
    });
    await limiter.acquireConnection('127.0.2.1', { host: 'mx', ip: '192.0.2.1' });
    await limiter.acquireConnection('127.0.2.2', { host: 'mx', ip: '192.0.2.1' });
    const started = Date.now();
    await limiter.acquireConnection('127.0.2.1', { host: 'mx', ip: '192.0.2.2' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('queues connections beyond the rate per (source, address) across host names', async () => {
    const limiter = createMemoryMxLimiter({
      maxSessionsPerMx: 2,
      maxConnectionsPerMinute: 1,
      rateWindowMs: 200,
    });
    await limiter.acquireConnection('127.0.2.1', { host: 'mx.one.test', ip: '192.0.2.1' });
    const started = Date.now();
    await limiter.acquireConnection('127.0.2.1', { host: 'mx.two.test', ip: '192.0.2.1' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('gives up waiting when aborted', async () => {
    const limiter = createMemoryMxLimiter({ maxSessionsPerMx: 1, maxConnectionsPerMinute: 1 });
    const target = { host: 'mx', ip: '192.0.2.1' };
    await limiter.acquireConnection('s', target);
    await expect(
      limiter.acquireConnection('s', target, { signal: AbortSignal.timeout(20) }),
    ).rejects.toThrow();
  });
});

describe('waitForRatePoints', () => {
  it('charges no key while another is refused', async () => {
    const rate = new RateLimiterMemory({ points: 1, duration: 0.2 });
    await rate.consume('b');
    const started = Date.now();
    await waitForRatePoints(rate, ['a', 'b'], undefined);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    // 'a' was consumed once in all, for the connection that happened: its window has no point left.
    expect((await rate.get('a'))?.consumedPoints).toBe(1);
  });
});
