// The fleet limiter against a real redis-server: two limiters on two connections stand for two nodes.
import { type RedisServer, startRedisServer } from '@mailprobe/test-kit';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
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
    placeTtlMs?: number;
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

  it('serves waiters in order of arrival across nodes: a slot freed on one node goes to the waiter on the other', async () => {
    const one = node({ maxSessionsPerMx: 1, maxConnectionsPerMinute: 100 });
    const two = node({ maxSessionsPerMx: 1, maxConnectionsPerMinute: 100 });
    const target = { host: 'mx.fair.redis.test', ip: '198.51.100.60' };
    const order: string[] = [];
    let release = await one.acquire(target);
    // Each waiter, once served, holds the slot a moment and gives it back; the first to come is node two's.
    const waiter = (limiter: typeof one, name: string) =>
      limiter.acquire(target).then(async (held) => {
        order.push(name);
        await tick(30);
        held();
      });
    const remote = waiter(two, 'two');
    await tick();
    const local = [waiter(one, 'one#1'), waiter(one, 'one#2')];
    await tick();
    release();
    await Promise.all([remote, ...local]);
    // Without the line, node one's own waiters took the slot it freed before node two's poll came round.
    expect(order).toEqual(['two', 'one#1', 'one#2']);
    release = await two.acquire(target);
    release();
    await one.close?.();
    await two.close?.();
  });

  it("gives a dead waiter's place in line up once it stops asking", async () => {
    const one = node({ maxSessionsPerMx: 1, maxConnectionsPerMinute: 100, placeTtlMs: 300 });
    const two = node({ maxSessionsPerMx: 1, maxConnectionsPerMinute: 100, placeTtlMs: 300 });
    const target = { host: 'mx.lapse.redis.test', ip: '198.51.100.61' };
    const held = await one.acquire(target);
    // Node two's waiter takes a place in line, then its node goes (its connection closes mid-wait).
    const dead = two.acquire(target);
    dead.catch(() => {});
    await tick();
    clients.at(-1)?.disconnect();
    const next = watch(one.acquire(target));
    held();
    await tick(150);
    expect(next.done()).toBe(false);
    (await next.promise)();
    await one.close?.();
    await two.close?.();
  });

  describe('with its poll timers stopped', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('wakes a waiter on any node when a slot is given back', async () => {
      const one = node({ maxSessionsPerMx: 1, maxConnectionsPerMinute: 100 });
      const two = node({ maxSessionsPerMx: 1, maxConnectionsPerMinute: 100 });
      const target = { host: 'mx.wake.redis.test', ip: '198.51.100.50' };
      // Both nodes listen for freed slots before the clock stops.
      (await two.acquire({ host: 'mx.warm.redis.test', ip: '198.51.100.51' }))();
      const held = await one.acquire(target);
      await tick();
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const remote = watch(two.acquire(target));
      for (const client of clients.slice(-2)) await client.ping();
      expect(remote.done()).toBe(false);
      held();
      // No poll timer fires from here: only the message that the slot is free can wake it.
      (await remote.promise)();
      await one.close?.();
      await two.close?.();
    });
  });

  it('tells waiting nodes of a slot given back, and of nothing when a waiter gives up its place', async () => {
    const limiter = node({ maxSessionsPerMx: 1, maxConnectionsPerMinute: 100 });
    // The waiter on another node, so it waits in the fleet's line (a node's own waiters line up locally first).
    const other = node({ maxSessionsPerMx: 1, maxConnectionsPerMinute: 100 });
    const listener = new Redis(server.url);
    clients.push(listener);
    const heard: string[] = [];
    listener.on('message', (_channel: string, message: string) => heard.push(message));
    await listener.subscribe('mp:mx:freed');
    const target = { host: 'mx.tell.redis.test', ip: '198.51.100.62' };
    const held = await limiter.acquire(target);
    await expect(other.acquire(target, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    await tick();
    expect(heard).toEqual([]);
    held();
    await tick();
    expect(heard).toHaveLength(1);
    await limiter.close?.();
    await other.close?.();
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
