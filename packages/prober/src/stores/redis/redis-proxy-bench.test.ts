// Two engines on one real redis-server stand for two nodes of a fleet sharing a SOCKS5 egress named `eu`.
import { createServer } from 'node:net';
import { createEngine, type Engine } from '@mailprobe/engine';
import {
  type FakeInternet,
  type RedisServer,
  type SocksServer,
  startFakeInternet,
  startMicrosocks,
  startRedisServer,
} from '@mailprobe/test-kit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisMxLimiter } from './redis-mx-limiter.js';
import { createRedisProxyBench } from './redis-proxy-bench.js';

const BENCH_MS = 1500;
let redis: RedisServer;
let internet: FakeInternet;
let proxy: SocksServer;
const clients: Redis[] = [];
const engines: Engine[] = [];

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function node(url: string): Engine {
  const client = new Redis(redis.url);
  clients.push(client);
  const engine = createEngine({
    ...internet.engineOptions,
    timeouts: { totalMs: 5000 },
    proxies: [{ name: 'eu', url }],
    proxyTimeouts: { connectMs: 500, greetingMs: 500, replyMs: 1000 },
    proxyBenchMs: BENCH_MS,
    proxyBench: createRedisProxyBench(client),
  });
  engines.push(engine);
  return engine;
}

beforeAll(async () => {
  [redis, internet, proxy] = await Promise.all([
    startRedisServer(),
    startFakeInternet({
      domains: { 'ok.test': { mx: [{ host: 'mx.ok.test', smtp: { mailboxes: ['ann@ok.test'] } }] } },
    }),
    startMicrosocks({ egressAddress: '127.0.7.1' }),
  ]);
});

afterAll(async () => {
  await Promise.all(engines.map((engine) => engine.close()));
  for (const client of clients) client.disconnect();
  await Promise.all([proxy?.close(), internet?.close(), redis?.stop()]);
});

describe('createRedisProxyBench', () => {
  it('a proxy benched by one node is left unused by the other until the bench ends', async () => {
    const broken = node(`socks5://127.0.0.1:${await closedPort()}`);
    const healthy = node(proxy.url);
    const [failed] = await broken.verifyMany(['ann@ok.test']);
    expect(failed?.smtp?.proxy).toMatchObject({ name: 'eu', failure: 'proxy_unreachable' });

    const [skipped] = await healthy.verifyMany(['ann@ok.test']);
    expect(skipped).toMatchObject({ status: 'UNKNOWN', reason: 'connection_failed' });
    expect(skipped?.smtp?.proxy?.failure).toBe('proxy_benched');
    expect(healthy.proxyStatus()[0]?.benched).toBe(true);
    expect(internet.smtp['mx.ok.test']?.sessions ?? []).toEqual([]);

    await new Promise((resolve) => setTimeout(resolve, BENCH_MS + 100));
    const [after] = await healthy.verifyMany(['ann@ok.test']);
    expect(after).toMatchObject({ status: 'VALID', smtp: { proxy: { name: 'eu', failure: null } } });
    expect(internet.smtp['mx.ok.test']?.sessions[0]?.clientAddress).toBe('127.0.7.1');
  });

  it('counts connections per (proxy, MX address) in the fleet limiter: one node fills the window for both', async () => {
    const nodes = [0, 1].map(() => {
      const client = new Redis(redis.url);
      clients.push(client);
      const engine = createEngine({
        ...internet.engineOptions,
        timeouts: { totalMs: 5000 },
        proxies: [{ name: 'shared', url: proxy.url }],
        maxConnectionsPerMinute: 1,
        mxLimiter: createRedisMxLimiter(client, { maxSessionsPerMx: 2, maxConnectionsPerMinute: 1 }),
      });
      engines.push(engine);
      return engine;
    });
    const [first] = await (nodes[0] as Engine).verifyMany(['ann@ok.test']);
    expect(first).toMatchObject({ status: 'VALID', smtp: { proxy: { name: 'shared' } } });
    const keys = await (clients.at(-1) as Redis).keys('mp:mx:rate*');
    expect(keys.some((key) => key.includes('proxy:shared'))).toBe(true);
    // The other node finds the window spent: its session waits instead of connecting.
    const controller = new AbortController();
    const before = internet.smtp['mx.ok.test']?.sessions.length ?? 0;
    const waiting = (nodes[1] as Engine).verifyMany(['ann@ok.test'], { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(internet.smtp['mx.ok.test']?.sessions.length ?? 0).toBe(before);
    controller.abort();
    await waiting.catch(() => {});
  });

  it('a store that went away changes nothing but sharing: the node judges the proxy alone', async () => {
    const client = new Redis(redis.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
    });
    clients.push(client);
    const bench = createRedisProxyBench(client);
    await expect(bench.benchedUntil('eu')).rejects.toThrow();
    const engine = createEngine({
      ...internet.engineOptions,
      timeouts: { totalMs: 5000 },
      proxies: [{ name: 'eu', url: proxy.url }],
      proxyBench: bench,
    });
    engines.push(engine);
    const [result] = await engine.verifyMany(['ann@ok.test']);
    expect(result).toMatchObject({ status: 'VALID', smtp: { proxy: { name: 'eu', failure: null } } });
  });
});
