// A fleet that loses nothing: two real prober nodes (child processes) on a real redis-server with an append-only
// file. Mid-job one node is SIGKILLed, then Redis is SIGKILLed and started again from its file, then the dead node
// is started again. The job must complete with every row exactly once and right, and both nodes must be alive.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeInternet, type RedisServer, startFakeInternet, startRedisServer } from '../index.js';
import { createKeyInStore, fakeInternetEnv, jobState, waitForCompletion } from './prober-api.js';
import { type ProberProcess, startProberProcess } from './prober-process.js';

const DOMAINS = 4;
const PER_DOMAIN = 150;
/** Slow enough that the job is still running through the node kill and the Redis outage. */
const REPLY_DELAY_MS = 40;
/** How long Redis stays dead (CHAOS_REDIS_DOWN_MS tries a longer outage than a lease). */
const REDIS_DOWN_MS = Number(process.env.CHAOS_REDIS_DOWN_MS ?? 2000);
const POLL_MS = 50;

let internet: FakeInternet;
let redis: RedisServer;
const nodes: ProberProcess[] = [];

function addressesOf(domain: number): { all: string[]; existing: string[] } {
  const all = Array.from({ length: PER_DOMAIN }, (_, index) => `c${index}@chaos${domain}.test`);
  return { all, existing: all.filter((_, index) => index % 4 !== 0) };
}

async function until(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

const alive = (node: ProberProcess) => node.child.exitCode === null && node.child.signalCode === null;

beforeAll(async () => {
  const domains: Parameters<typeof startFakeInternet>[0]['domains'] = {};
  for (let domain = 0; domain < DOMAINS; domain += 1) {
    domains[`chaos${domain}.test`] = {
      mx: [
        {
          host: `mx.chaos${domain}.test`,
          smtp: { mailboxes: addressesOf(domain).existing, replyDelayMs: REPLY_DELAY_MS },
        },
      ],
    };
  }
  internet = await startFakeInternet({ domains });
  redis = await startRedisServer({ appendOnly: true });
});

afterAll(async () => {
  for (const node of nodes) await node.kill();
  await redis?.stop();
  await internet?.close();
});

describe('prober fleet under chaos', () => {
  it('completes a job with every row once and right through a node kill and a Redis kill and restart', async () => {
    const env = {
      MAILPROBE_REDIS_URL: redis.url,
      ...fakeInternetEnv(internet),
      MAILPROBE_MAX_SESSIONS_PER_MX: '2',
      MAILPROBE_MAX_CONNECTIONS_PER_MINUTE: '10000',
      MAILPROBE_RECIPIENTS_PER_SESSION: '5',
      MAILPROBE_JOB_CHUNK_SIZE: '10',
      MAILPROBE_JOB_POLL_INTERVAL_MS: '50',
      // Lease and heartbeats at their defaults: a dead node's chunks are taken over within the 10 s they promise.
    };
    const key = await createKeyInStore({ dataDir: '', redisUrl: redis.url }, 'chaos-test');
    const start = (id: string) => startProberProcess({ ...env, MAILPROBE_NODE_ID: id });
    let [a, b] = await Promise.all([start('node-a'), start('node-b')]);
    nodes.push(a, b);

    const emails = Array.from({ length: DOMAINS }, (_, domain) => addressesOf(domain).all).flat();
    const created = await fetch(`${a.url}/v1/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ emails }),
    });
    expect(created.status).toBe(202);
    const { id, total } = (await created.json()) as { id: string; total: number };
    expect(total).toBe(emails.length);
    const done = async () => (await jobState(a.url, key, id)).done;

    // 1. Node B dies (SIGKILL) while it holds chunks.
    await until(async () => (await done()) >= total * 0.15, 30_000, 'the job to start');
    await b.kill();
    const killedAt = Date.now();

    // 2. Redis dies (SIGKILL) while node A works on; A stays up, says it is not ready and answers 503.
    const beforeRedisKill = await done();
    await until(async () => (await done()) >= beforeRedisKill + 20, 30_000, 'node A to go on alone');
    await redis.kill();
    await until(
      async () => (await fetch(`${a.url}/readyz`)).status === 503,
      5000,
      'node A to report not ready',
    );
    const readyz = await fetch(`${a.url}/readyz`);
    const notReady = (await readyz.json()) as { error: { code: string; message: string } };
    expect(notReady.error.code).toBe('unavailable');
    expect(notReady.error.message).toMatch(/store not reachable/);
    const duringOutage = await fetch(`${a.url}/v1/jobs/${id}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(duringOutage.status).toBe(503);
    expect(Number(duringOutage.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await duringOutage.json()) as { error: { code: string } }).error.code).toBe('unavailable');
    expect((await fetch(`${a.url}/healthz`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, REDIS_DOWN_MS));
    expect(alive(a)).toBe(true);

    // 3. Redis comes back from its append-only file; node B is started again; A resumes by itself.
    await redis.restart();
    b = await start('node-b');
    nodes.push(b);
    await until(async () => (await fetch(`${a.url}/readyz`)).status === 200, 10_000, 'node A to be ready');

    const finished = await waitForCompletion(a.url, key, id, 45_000);
    const takeover = [...a.logs, ...b.logs].find((line) => String(line.msg).startsWith('took over a chunk'));
    console.log(
      `chaos: job of ${total} rows completed ${((Date.now() - killedAt) / 1000).toFixed(1)} s after node B was ` +
        `killed (first of its chunks taken over after ${((Number(takeover?.time) - killedAt) / 1000).toFixed(1)} s, ` +
        `Redis down ${REDIS_DOWN_MS / 1000} s meanwhile)`,
    );
    expect(finished).toMatchObject({ status: 'completed', done: total, total });

    // Every row exactly once, in order, each with its own address and the right verdict.
    const response = await fetch(`${b.url}/v1/jobs/${id}/results`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(response.status).toBe(200);
    const rows = (await response.text())
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { row: number; input: string; address: string; status: string });
    expect(rows.map((row) => row.row)).toEqual(emails.map((_, index) => index + 1));
    expect(rows.map((row) => row.input)).toEqual(emails);
    const existing = new Set(
      Array.from({ length: DOMAINS }, (_, domain) => addressesOf(domain).existing).flat(),
    );
    for (const row of rows) expect(row.status).toBe(existing.has(row.address) ? 'VALID' : 'INVALID');
    expect(finished.counts.VALID).toBe(existing.size);
    expect(finished.counts.INVALID).toBe(total - existing.size);

    // Both nodes alive and ready; node A lived through the outage without an unhandled error.
    for (const node of [a, b]) {
      expect(alive(node)).toBe(true);
      expect((await fetch(`${node.url}/readyz`)).status).toBe(200);
    }
    expect(a.stderr()).not.toMatch(
      /Unhandled error event|MaxRetriesPerRequestError|UnhandledPromiseRejection/,
    );
    expect(a.logs.some((line) => line.msg === 'redis connection lost; reconnecting')).toBe(true);
    expect(a.logs.some((line) => line.msg === 'redis connection back')).toBe(true);
    await Promise.all([a.stop(), b.stop()]);
  }, 90_000);
});
