import { describe, expect, it } from 'vitest';
import { createMemoryMxLimiter } from './mx-limiter.js';

describe('createMemoryMxLimiter', () => {
  it('allows at most maxSessionsPerMx sessions per host, independently per host', async () => {
    const limiter = createMemoryMxLimiter({ maxSessionsPerMx: 2, maxConnectionsPerMinute: 100 });
    const a1 = await limiter.acquire('mx-a');
    await limiter.acquire('mx-a');
    await limiter.acquire('mx-b');
    let third = false;
    const waiting = limiter.acquire('mx-a').then((release) => {
      third = true;
      return release;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(third).toBe(false);
    a1();
    await waiting;
    expect(third).toBe(true);
  });

  it('queues connections beyond the rate until the window frees a point', async () => {
    const limiter = createMemoryMxLimiter({
      maxSessionsPerMx: 2,
      maxConnectionsPerMinute: 1,
      rateWindowMs: 200,
    });
    await limiter.acquireConnection('127.0.2.1', 'mx');
    await limiter.acquireConnection('127.0.2.2', 'mx');
    const started = Date.now();
    await limiter.acquireConnection('127.0.2.1', 'mx');
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('gives up waiting when aborted', async () => {
    const limiter = createMemoryMxLimiter({ maxSessionsPerMx: 1, maxConnectionsPerMinute: 1 });
    await limiter.acquireConnection('s', 'mx');
    await expect(limiter.acquireConnection('s', 'mx', { signal: AbortSignal.timeout(20) })).rejects.toThrow();
  });
});
