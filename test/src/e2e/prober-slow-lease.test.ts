// A live node keeps its chunk however slow the SMTP session: heartbeats run on their own timer, so another node
// never takes over a chunk whose session outlasts the lease many times, and every address is probed once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeInternet, type RedisServer, startFakeInternet, startRedisServer } from '../index.js';
import { createKeyInStore, fakeInternetEnv, jobResults, waitForCompletion } from './prober-api.js';
import { type ProberProcess, startProberProcess } from './prober-process.js';

const LEASE_MS = 1200;
/** Every reply this late: one session of a few recipients lasts several leases. */
const REPLY_DELAY_MS = 1000;
const ADDRESSES = ['a@slow.test', 'b@slow.test', 'c@slow.test', 'd@slow.test'];

let internet: FakeInternet;
let redis: RedisServer;
const nodes: ProberProcess[] = [];

beforeAll(async () => {
  internet = await startFakeInternet({
    domains: {
      'slow.test': {
        mx: [
          { host: 'mx.slow.test', smtp: { mailboxes: ADDRESSES.slice(0, 2), replyDelayMs: REPLY_DELAY_MS } },
        ],
      },
    },
  });
  redis = await startRedisServer();
});

afterAll(async () => {
  for (const node of nodes) await node.kill();
  await redis?.stop();
  await internet?.close();
});

describe('prober fleet with a slow mail server', () => {
  it('keeps the lease of a chunk whose session outlasts it, so no other node probes it again', async () => {
    const env = {
      MAILPROBE_REDIS_URL: redis.url,
      ...fakeInternetEnv(internet),
      MAILPROBE_MAX_SESSIONS_PER_MX: '1',
      MAILPROBE_RECIPIENTS_PER_SESSION: '10',
      MAILPROBE_JOB_LEASE_MS: String(LEASE_MS),
      MAILPROBE_JOB_POLL_INTERVAL_MS: '50',
    };
    const key = await createKeyInStore({ dataDir: '', redisUrl: redis.url }, 'slow-test');
    const [a, b] = await Promise.all([
      startProberProcess({ ...env, MAILPROBE_NODE_ID: 'slow-a' }),
      startProberProcess({ ...env, MAILPROBE_NODE_ID: 'slow-b' }),
    ]);
    nodes.push(a, b);
    const created = await fetch(`${a.url}/v1/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ emails: ADDRESSES }),
    });
    const { id } = (await created.json()) as { id: string };
    const started = Date.now();
    const finished = await waitForCompletion(a.url, key, id, 60_000);
    expect(finished).toMatchObject({ status: 'completed', done: ADDRESSES.length });
    // The chunk ran for several leases…
    expect(Date.now() - started).toBeGreaterThan(LEASE_MS * 3);
    // …and nobody took it over: each address was asked for once.
    for (const node of [a, b])
      expect(node.logs.some((line) => String(line.msg).startsWith('took over'))).toBe(false);
    const recipients = Object.values(internet.smtp)
      .flatMap((server) => server.sessions)
      .flatMap((session) => session.commands)
      .filter((command) => /^RCPT TO:/i.test(command))
      .map((command) => command.toLowerCase());
    for (const address of ADDRESSES)
      expect(recipients.filter((command) => command.includes(`<${address}>`))).toHaveLength(1);
    const results = await jobResults(a.url, key, id);
    expect(results.map((result) => [result.address, result.status])).toEqual([
      ['a@slow.test', 'VALID'],
      ['b@slow.test', 'VALID'],
      ['c@slow.test', 'INVALID'],
      ['d@slow.test', 'INVALID'],
    ]);
    await Promise.all([a.stop(), b.stop()]);
  }, 90_000);
});
