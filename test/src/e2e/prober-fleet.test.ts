import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeInternet, type RedisServer, startFakeInternet, startRedisServer } from '../index.js';
import { createKeyInStore, fakeInternetEnv, jobResults, jobState, waitForCompletion } from './prober-api.js';
import { type ProberProcess, startProberProcess } from './prober-process.js';

const DOMAINS = 4;
const PER_DOMAIN = 100;
const MAX_SESSIONS_PER_MX = 2;
const SOURCES = { a: '127.0.2.0/29', b: '127.0.3.0/29' };

let internet: FakeInternet;
let redis: RedisServer;
const nodes: ProberProcess[] = [];

function addressesOf(domain: number): { all: string[]; existing: string[] } {
  const all = Array.from({ length: PER_DOMAIN }, (_, index) => `user${index}@f${domain}.test`);
  return { all, existing: all.filter((_, index) => index % 3 !== 0) };
}

function sessionsFrom(prefix: string): number {
  return Object.values(internet.smtp)
    .flatMap((server) => server.sessions)
    .filter((session) => session.clientAddress.replace(/^::ffff:/, '').startsWith(prefix)).length;
}

beforeAll(async () => {
  const domains: Parameters<typeof startFakeInternet>[0]['domains'] = {};
  for (let domain = 0; domain < DOMAINS; domain += 1) {
    domains[`f${domain}.test`] = {
      mx: [
        { host: `mx.f${domain}.test`, smtp: { mailboxes: addressesOf(domain).existing, replyDelayMs: 25 } },
      ],
    };
  }
  internet = await startFakeInternet({ domains });
  redis = await startRedisServer();
});

afterAll(async () => {
  for (const node of nodes) await node.kill();
  await redis?.stop();
  await internet?.close();
});

describe('prober fleet on Redis', () => {
  it('splits a job across two nodes, survives losing one, and keeps per-MX limits fleet-wide', async () => {
    const common = {
      MAILPROBE_REDIS_URL: redis.url,
      ...fakeInternetEnv(internet),
      MAILPROBE_MAX_SESSIONS_PER_MX: String(MAX_SESSIONS_PER_MX),
      MAILPROBE_MAX_CONNECTIONS_PER_MINUTE: '10000',
      MAILPROBE_RECIPIENTS_PER_SESSION: '5',
      MAILPROBE_JOB_CHUNK_SIZE: '10',
      // A few chunks in flight per node: left to its default a node may claim all 40 chunks of the job in one burst
      // before the other has woken (its start-up checks still running), and probe it alone.
      MAILPROBE_JOB_CONCURRENCY: '4',
      // Chunk and MX-slot leases at their defaults (8 s): the takeover time printed below is the one a fleet gets.
      MAILPROBE_JOB_POLL_INTERVAL_MS: '50',
    };
    const key = await createKeyInStore({ dataDir: '', redisUrl: redis.url }, 'fleet-test');

    const [a, b] = await Promise.all([
      startProberProcess({ ...common, MAILPROBE_NODE_ID: 'node-a', MAILPROBE_SOURCE_ADDRESSES: SOURCES.a }),
      startProberProcess({ ...common, MAILPROBE_NODE_ID: 'node-b', MAILPROBE_SOURCE_ADDRESSES: SOURCES.b }),
    ]);
    nodes.push(a, b);

    const emails = Array.from({ length: DOMAINS }, (_, domain) => addressesOf(domain).all).flat();
    const created = await fetch(`${a.url}/v1/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ emails }),
    });
    expect(created.status).toBe(202);
    const { id, total } = (await created.json()) as { id: string; total: number };

    // Both nodes take part (each probes from its own source range); then node B dies mid-job.
    const workDeadline = Date.now() + 30_000;
    while ((sessionsFrom('127.0.2.') === 0 || sessionsFrom('127.0.3.') === 0) && Date.now() < workDeadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(sessionsFrom('127.0.2.')).toBeGreaterThan(0);
    expect(sessionsFrom('127.0.3.')).toBeGreaterThan(0);
    const beforeKill = await jobState(a.url, key, id);
    await b.kill();
    const killedAt = Date.now();
    expect(beforeKill.done).toBeLessThan(total);

    const after = await waitForCompletion(a.url, key, id, 90_000);
    const takeover = a.logs.find(
      (line) => String(line.msg).startsWith('took over a chunk') && Number(line.time) >= killedAt,
    );
    expect(takeover).toBeDefined();
    console.log(
      `fleet: node B's first chunk taken over by node A ${((Number(takeover?.time) - killedAt) / 1000).toFixed(1)} s ` +
        `after B was killed; job completed ${((Date.now() - killedAt) / 1000).toFixed(1)} s after`,
    );
    expect(after).toMatchObject({ status: 'completed', done: total, total });

    const results = await jobResults(a.url, key, id);
    expect(results).toHaveLength(total);
    expect(new Set(results.map((result) => result.address)).size).toBe(total);
    const existing = new Set(
      Array.from({ length: DOMAINS }, (_, domain) => addressesOf(domain).existing).flat(),
    );
    for (const result of results)
      expect(result.status).toBe(existing.has(result.address) ? 'VALID' : 'INVALID');
    expect(after.counts.VALID).toBe(existing.size);

    for (const server of Object.values(internet.smtp)) {
      expect(server.peakConcurrency).toBeLessThanOrEqual(MAX_SESSIONS_PER_MX);
    }
    await a.stop();
  });
});
