import type { VerificationResult } from '@mailprobe/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, openStores } from '../../../packages/prober/src/index.js';
import { type FakeInternet, startFakeInternet } from '../index.js';
import {
  type ProberProcess,
  type RedisProcess,
  startProberProcess,
  startRedisServer,
} from './prober-process.js';

const DOMAINS = 4;
const PER_DOMAIN = 100;
const MAX_SESSIONS_PER_MX = 2;
const SOURCES = { a: '127.0.2.0/29', b: '127.0.3.0/29' };

let internet: FakeInternet;
let redis: RedisProcess;
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

async function jobState(url: string, key: string, id: string) {
  const response = await fetch(`${url}/v1/jobs/${id}`, { headers: { authorization: `Bearer ${key}` } });
  return (await response.json()) as {
    status: string;
    done: number;
    total: number;
    counts: Record<string, number>;
  };
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
      MAILPROBE_DNS_SERVERS: internet.engineOptions.dnsServers.join(','),
      MAILPROBE_PORTS: String(internet.port),
      MAILPROBE_FALLBACK_PORTS: '',
      MAILPROBE_ALLOW_PRIVATE_TARGETS: '1',
      MAILPROBE_MAX_SESSIONS_PER_MX: String(MAX_SESSIONS_PER_MX),
      MAILPROBE_MAX_CONNECTIONS_PER_MINUTE: '10000',
      MAILPROBE_RECIPIENTS_PER_SESSION: '5',
      MAILPROBE_JOB_CHUNK_SIZE: '10',
      MAILPROBE_JOB_LEASE_MS: '3000',
      MAILPROBE_MX_LEASE_MS: '3000',
      MAILPROBE_JOB_POLL_INTERVAL_MS: '50',
    };
    const stores = await openStores({ dataDir: '', redisUrl: redis.url });
    const { key } = await createApiKey(stores.keys, 'fleet-test');
    await stores.close();

    const [nodeA, nodeB] = await Promise.all([
      startProberProcess({ ...common, MAILPROBE_NODE_ID: 'node-a', MAILPROBE_SOURCE_ADDRESSES: SOURCES.a }),
      startProberProcess({ ...common, MAILPROBE_NODE_ID: 'node-b', MAILPROBE_SOURCE_ADDRESSES: SOURCES.b }),
    ]);
    nodes.push(nodeA as ProberProcess, nodeB as ProberProcess);
    const a = nodeA as ProberProcess;
    const b = nodeB as ProberProcess;

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
    expect(beforeKill.done).toBeLessThan(total);

    let after = await jobState(a.url, key, id);
    const deadline = Date.now() + 90_000;
    while (after.status !== 'completed' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await jobState(a.url, key, id);
    }
    expect(after).toMatchObject({ status: 'completed', done: total, total });

    const response = await fetch(`${a.url}/v1/jobs/${id}/results`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const results = (await response.text())
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as VerificationResult);
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
