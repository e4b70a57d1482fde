// The fleet limiter against a real redis-server: two limiters on two connections stand for two nodes.
import { type RedisServer, startRedisServer } from '@mailprobe/test-kit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisMxLimiter } from './redis-mx-limiter.js';

const tick = (ms = 80) => new Promise((resolve) => setTimeout(resolve, ms));

function watch<T>(promise: Promise<T>): { done: () => boolean; promise: Promise<T> } {
  let settled = false;
  const watched = promise.then((value) => {
    settled = true;
    return value;
  });
  return { done: () => settled, promise: watched };
}

describe('createRedisMxLimiter', () => {
  let server: RedisServer;
  const clients: Redis[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await server.stop();
  });

  function node(options: {
    maxSessionsPerMx: number;
    maxConnectionsPerMinute: number;
    rateWindowMs?: number;
  }) {
    const client = new Redis(server.url);
    clients.push(client);
    return createRedisMxLimiter(client, options);
  }

  it('holds maxSessionsPerMx per MX address across nodes, whatever names point at it', async () => {
    const ip = `192.0.2.${Math.floor(Math.random() * 200) + 1}`;
    const one = node({ maxSessionsPerMx: 2, maxConnectionsPerMinute: 100 });
    const two = node({ maxSessionsPerMx: 2, maxConnectionsPerMinute: 100 });
    const first = await one.acquire({ host: 'mx.a.redis.test', ip });
    await two.acquire({ host: 'mx.b.redis.test', ip });
    const third = watch(one.acquire({ host: 'mx.c.redis.test', ip }));
    const elsewhere = watch(two.acquire({ host: 'mx.d.redis.test', ip: '198.51.100.7' }));
    await tick();
    expect(third.done()).toBe(false);
    expect(elsewhere.done()).toBe(true);
    first();
    (await third.promise)();
    await one.close?.();
    await two.close?.();
  });

  it('holds maxSessionsPerMx per host name across addresses, and takes no address slot while it waits', async () => {
    const one = node({ maxSessionsPerMx: 1, maxConnectionsPerMinute: 100 });
    const two = node({ maxSessionsPerMx: 1, maxConnectionsPerMinute: 100 });
    const held = await one.acquire({ host: 'mx.busy.redis.test', ip: '198.51.100.20' });
    const waiting = watch(two.acquire({ host: 'mx.busy.redis.test', ip: '198.51.100.21' }));
    await tick();
    expect(waiting.done()).toBe(false);
    // The waiter holds nothing at 198.51.100.21: another name gets that address at once.
    const other = await one.acquire({ host: 'mx.other.redis.test', ip: '198.51.100.21' });
    other();
    held();
    (await waiting.promise)();
    await one.close?.();
    await two.close?.();
  });

  it('counts new connections per (source, address) across host names and nodes', async () => {
    const options = { maxSessionsPerMx: 2, maxConnectionsPerMinute: 1, rateWindowMs: 1000 };
    const one = node(options);
    const two = node(options);
    const ip = '198.51.100.30';
    await one.acquireConnection('203.0.113.1', { host: 'mx.one.redis.test', ip });
    const started = Date.now();
    await two.acquireConnection('203.0.113.1', { host: 'mx.two.redis.test', ip });
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    // Another source is counted on its own.
    const other = Date.now();
    await two.acquireConnection('203.0.113.2', { host: 'mx.two.redis.test', ip });
    expect(Date.now() - other).toBeLessThan(500);
  });

  it('gives up waiting for a slot when aborted', async () => {
    const limiter = node({ maxSessionsPerMx: 1, maxConnectionsPerMinute: 100 });
    await limiter.acquire({ host: 'mx.abort.redis.test', ip: '198.51.100.40' });
    await expect(
      limiter.acquire(
        { host: 'mx.abort.redis.test', ip: '198.51.100.40' },
        { signal: AbortSignal.timeout(50) },
      ),
    ).rejects.toThrow();
    await limiter.close?.();
  });
});
