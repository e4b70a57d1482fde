// Webhook deliveries (issue #23 item 6, issue #21 §3) against real probers, real HTTP receivers on loopback, a real
// SQLite data folder and a real redis-server: deliveries outlive a restart, stay within the per-key and overall
// bounds with a receiver that never answers (sockets counted at the receiver), stop at once on unsubscribe, and on
// a fleet of two nodes each event arrives once.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createProberClient, type ProberClient, verifyWebhookSignature } from '@mailprobe/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedProber, startProber } from '../../../packages/prober/src/index.js';
import { type FakeInternet, type RedisServer, startFakeInternet, startRedisServer } from '../index.js';
import { createKeyInStore, fakeInternetEnv } from './prober-api.js';
import { type ProberProcess, startProberProcess } from './prober-process.js';

const WAIT_MS = 20_000;
/** How long after a DELETE returns an attempt already past its last check may still reach the receiver. */
const LATE_WINDOW_MS = 1000;

interface Arrival {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  eventId: string;
  /** When the whole request had arrived (epoch ms). */
  at: number;
}

/** How the receiver answers a request: a status, or never (the socket stays open until the client gives up). */
type Answer = number | 'never';

interface Receiver {
  url: string;
  arrivals: Arrival[];
  answer: (path: string) => Answer;
  /** Connections open now, and the most open at once. */
  open: number;
  maxOpen: number;
  /** Open requests per path prefix (`/a/1` → `a`), and the most at once for each. */
  openByPrefix: Map<string, number>;
  maxOpenByPrefix: Map<string, number>;
  /** Wait before answering (ms). */
  delayMs: number;
  /** Longest a connection stayed open (ms). */
  longestMs: number;
  closed: number;
  close(): Promise<void>;
}

async function startReceiver(answer: (path: string) => Answer): Promise<Receiver> {
  const openByPrefix = new Map<string, number>();
  const server = createServer((request, response: ServerResponse) => {
    const url = request.url ?? '';
    const prefix = url.split('/')[1] ?? '';
    const count = (openByPrefix.get(prefix) ?? 0) + 1;
    openByPrefix.set(prefix, count);
    receiver.maxOpenByPrefix.set(prefix, Math.max(receiver.maxOpenByPrefix.get(prefix) ?? 0, count));
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      openByPrefix.set(prefix, (openByPrefix.get(prefix) ?? 1) - 1);
    };
    request.socket.once('end', end);
    request.socket.once('close', end);
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (text: string) => {
      body += text;
    });
    request.on('end', () => {
      receiver.arrivals.push({
        path: url,
        headers: request.headers,
        body,
        eventId: (JSON.parse(body) as { id: string }).id,
        at: Date.now(),
      });
      const how = receiver.answer(url);
      if (how === 'never') return;
      setTimeout(() => response.writeHead(how).end(), receiver.delayMs);
    });
  });
  server.on('connection', (socket: Socket) => {
    const openedAt = Date.now();
    // Counted from the end of this turn of the event loop until the client's FIN: a connection the prober already
    // closed, whose FIN is read in the same turn as the next connection's arrival, is not counted as still open.
    let ended = false;
    let counted = false;
    setImmediate(() => {
      if (ended) return;
      counted = true;
      receiver.open += 1;
      receiver.maxOpen = Math.max(receiver.maxOpen, receiver.open);
    });
    const end = () => {
      if (ended) return;
      ended = true;
      if (counted) receiver.open -= 1;
      receiver.closed += 1;
      receiver.longestMs = Math.max(receiver.longestMs, Date.now() - openedAt);
    };
    socket.once('end', end);
    socket.once('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const receiver: Receiver = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals: [],
    answer,
    open: 0,
    maxOpen: 0,
    openByPrefix,
    maxOpenByPrefix: new Map(),
    delayMs: 0,
    longestMs: 0,
    closed: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return receiver;
}

async function waitFor<T>(
  what: string,
  probe: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  waitMs = WAIT_MS,
): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForJob(client: ProberClient, id: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const job = await client.getJob(id);
    if (job.status !== 'queued' && job.status !== 'running') return;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status}`);
    await sleep(25);
  }
}

/** The node's `mailprobe_webhook_attempts_total`, all outcomes together. */
async function attemptsOf(prober: StartedProber): Promise<number> {
  const text = await (await fetch(prober.metricsUrl as string)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('mailprobe_webhook_attempts_total{')) total += Number(line.split(' ').pop());
  }
  return total;
}

let internet: FakeInternet;
let redis: RedisServer;
const folders: string[] = [];

beforeAll(async () => {
  internet = await startFakeInternet({
    domains: { 'hooks.test': { mx: [{ host: 'mx.hooks.test', smtp: { mailboxes: ['ann@hooks.test'] } }] } },
  });
  redis = await startRedisServer();
});

afterAll(async () => {
  await internet?.close();
  await redis?.stop();
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

function clientOf(prober: StartedProber, key: string): ProberClient {
  return createProberClient({ baseUrl: prober.url, apiKey: key, maxRetries: 0 });
}

describe.each([
  { store: 'SQLite (embedded)', useRedis: false },
  { store: 'Redis (fleet)', useRedis: true },
])('webhook deliveries, $store', ({ useRedis }) => {
  async function storeOptions(): Promise<{ dataDir?: string; redisUrl?: string }> {
    if (useRedis) {
      const stores = await import('../../../packages/prober/src/stores/create-stores.js');
      const flushing = await stores.openStores({ dataDir: '', redisUrl: redis.url });
      await flushing.redis?.flushdb();
      await flushing.close();
      return { redisUrl: redis.url };
    }
    const dataDir = await mkdtemp(path.join(tmpdir(), 'mailprobe-deliveries-'));
    folders.push(dataDir);
    return { dataDir };
  }

  it('resumes a delivery waiting for its retry on a new prober after a restart, with the same signed event', async () => {
    let failing = true;
    const receiver = await startReceiver(() => (failing ? 500 : 204));
    const options = {
      ...(await storeOptions()),
      engine: internet.engineOptions,
      config: {
        jobs: { pollIntervalMs: 20 },
        // The retry is due 1.5 s after the first attempt: the first prober is gone by then.
        webhook: {
          timeoutMs: 2000,
          maxAttempts: 4,
          initialBackoffMs: 1500,
          maxBackoffMs: 1500,
          pollIntervalMs: 100,
        },
      },
    };
    let first: StartedProber | null = await startProber(options);
    let second: StartedProber | null = null;
    try {
      const { key, webhookSecret } = await first.createKeyWithWebhookSecret('restart');
      const client = clientOf(first, key);
      await client.createWebhook({ targetUrl: `${receiver.url}/sub`, events: ['job.completed'] });
      const job = await client.createJob({
        emails: ['ann@hooks.test'],
        callbackUrl: `${receiver.url}/callback`,
      });
      await waitFor('both first attempts', () => receiver.arrivals.length >= 2);
      await first.close();
      first = null;
      expect(receiver.arrivals.map((arrival) => arrival.path).sort()).toEqual(['/callback', '/sub']);

      failing = false;
      second = await startProber(options);
      await waitFor('both retries', () => receiver.arrivals.length >= 4);
      await sleep(300);
      expect(receiver.arrivals).toHaveLength(4);
      for (const target of ['/callback', '/sub']) {
        const [refused, delivered] = receiver.arrivals.filter((arrival) => arrival.path === target);
        expect(delivered?.eventId).toBe(`evt_${job.id}`);
        expect(refused?.body).toBe(delivered?.body);
        const signature = delivered?.headers['mailprobe-signature'] as string;
        expect(verifyWebhookSignature(webhookSecret, signature, delivered?.body ?? '')).toMatchObject({
          ok: true,
        });
      }
      await waitFor(
        'the store emptied',
        async () => (await second?.server.stores.webhookStore.countDeliveries()) === 0,
      );
      expect((await second.server.stores.jobs.getJob(job.id))?.webhookState).toBe('delivered');
    } finally {
      await first?.close();
      await second?.close();
      await receiver.close();
    }
  });

  it('keeps outbound sockets within the per-key and overall bounds with a receiver that never answers', async () => {
    const receiver = await startReceiver(() => 'never');
    const timeoutMs = 150;
    const prober = await startProber({
      ...(await storeOptions()),
      engine: internet.engineOptions,
      config: {
        jobs: { pollIntervalMs: 20 },
        webhook: {
          timeoutMs,
          maxAttempts: 1,
          maxConcurrent: 6,
          maxConcurrentPerKey: 4,
          pollIntervalMs: 50,
        },
      },
    });
    try {
      // The case: 21 subscriptions of one key to a silent receiver, 8 jobs (168 deliveries); beside it
      // two other keys with 3 subscriptions and 2 jobs each.
      const tenants = [
        { prefix: 'a', subscriptions: 21, jobs: 8 },
        { prefix: 'b', subscriptions: 3, jobs: 2 },
        { prefix: 'c', subscriptions: 3, jobs: 2 },
      ];
      let expected = 0;
      for (const tenant of tenants) {
        const client = clientOf(prober, await prober.createKey(`tenant ${tenant.prefix}`));
        for (let index = 0; index < tenant.subscriptions; index += 1) {
          await client.createWebhook({
            targetUrl: `${receiver.url}/${tenant.prefix}/${index}`,
            events: ['job.completed'],
          });
        }
        for (let index = 0; index < tenant.jobs; index += 1) {
          await client.createJob({ emails: ['ann@hooks.test'] });
        }
        expected += tenant.subscriptions * tenant.jobs;
      }
      // Counted by the prober: on a loaded machine an attempt may be cut before its body reached the receiver.
      await waitFor('every delivery attempted', async () => (await attemptsOf(prober)) >= expected);
      await waitFor('every socket closed', () => receiver.open === 0);
      await sleep(200);
      expect(await attemptsOf(prober)).toBe(expected);
      expect(receiver.arrivals.length).toBeLessThanOrEqual(expected);
      expect(new Set(receiver.arrivals.map((arrival) => `${arrival.path} ${arrival.eventId}`)).size).toBe(
        receiver.arrivals.length,
      );
      console.log(
        `webhook bounds: ${expected} deliveries to a silent receiver (${receiver.arrivals.length} arrived), at most ${receiver.maxOpen} sockets open ` +
          `(key a: ${receiver.maxOpenByPrefix.get('a')}, b: ${receiver.maxOpenByPrefix.get('b')}, c: ` +
          `${receiver.maxOpenByPrefix.get('c')}), longest ${receiver.longestMs} ms`,
      );
      expect(receiver.maxOpen).toBeLessThanOrEqual(6);
      for (const prefix of ['a', 'b', 'c'])
        expect(receiver.maxOpenByPrefix.get(prefix)).toBeLessThanOrEqual(4);
      // The bounds were reached (the test saw concurrency), and each silent attempt was cut at its timeout.
      expect(receiver.maxOpenByPrefix.get('a')).toBe(4);
      expect(receiver.maxOpen).toBe(6);
      expect(receiver.closed).toBeLessThanOrEqual(expected);
      expect(receiver.longestMs).toBeLessThan(timeoutMs + 2000);
      expect(await prober.server.stores.webhookStore.countDeliveries()).toBe(0);
    } finally {
      await prober.close();
      await receiver.close();
    }
  });

  it('cancels a deleted subscription’s deliveries at once and aborts the one in flight', async () => {
    const receiver = await startReceiver((url) => (url.startsWith('/gone') ? 'never' : 204));
    const config = {
      jobs: { pollIntervalMs: 20 },
      // A long timeout: an attempt that ends early was aborted by the DELETE, not timed out.
      webhook: {
        timeoutMs: 8000,
        maxAttempts: 3,
        initialBackoffMs: 50,
        maxConcurrentPerKey: 2,
        pollIntervalMs: 100,
      },
    };
    const common = { ...(await storeOptions()), engine: internet.engineOptions, config };
    const nodes = [await startProber(common)];
    // On a fleet the attempt may be in flight on the other node: it learns from the store.
    if (useRedis) nodes.push(await startProber(common));
    try {
      const [node] = nodes as [StartedProber];
      const key = await node.createKey('unsubscriber');
      const client = clientOf(node, key);
      const gone = await client.createWebhook({
        targetUrl: `${receiver.url}/gone`,
        events: ['job.completed'],
      });
      await client.createWebhook({ targetUrl: `${receiver.url}/kept`, events: ['job.completed'] });
      const jobs = await Promise.all(
        [1, 2, 3, 4].map(() => client.createJob({ emails: ['ann@hooks.test'] })),
      );
      for (const job of jobs) await waitForJob(client, job.id);
      await waitFor('an attempt to the deleted receiver in flight', () =>
        receiver.arrivals.some((arrival) => arrival.path === '/gone'),
      );
      await client.deleteWebhook(gone.id);
      const deletedAt = Date.now();
      await waitFor('the attempts in flight aborted', () => receiver.openByPrefix.get('gone') === 0, 5000);
      const abortedAfterMs = Date.now() - deletedAt;
      await waitFor(
        'the kept subscription served',
        () => receiver.arrivals.filter((arrival) => arrival.path === '/kept').length >= jobs.length,
      );
      await sleep(LATE_WINDOW_MS + 500);
      // The window a fleet cannot close: an attempt whose last check (just before sending) came before the DELETE
      // committed may reach the receiver just after the DELETE returned, and is aborted then. At most one per slot
      // a node has for the key, and only within the window; nothing starts later.
      const late = receiver.arrivals.filter((arrival) => arrival.path === '/gone' && arrival.at > deletedAt);
      expect(late.length).toBeLessThanOrEqual(nodes.length * config.webhook.maxConcurrentPerKey);
      for (const arrival of late) expect(arrival.at - deletedAt).toBeLessThan(LATE_WINDOW_MS);
      expect(abortedAfterMs).toBeLessThan(config.webhook.timeoutMs);
      expect(await node.server.stores.webhookStore.countDeliveries()).toBe(0);
    } finally {
      for (const node of nodes) await node.close();
      await receiver.close();
    }
  });
});

describe('webhook deliveries of a prober process killed mid-retry', () => {
  it('are sent by the next process on the same data folder', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'mailprobe-deliveries-kill-'));
    folders.push(dataDir);
    let failing = true;
    const receiver = await startReceiver(() => (failing ? 503 : 200));
    const env = {
      MAILPROBE_DATA_DIR: dataDir,
      ...fakeInternetEnv(internet),
      MAILPROBE_JOB_POLL_INTERVAL_MS: '20',
      // The retry is due 2 s after the first attempt: the first process is dead by then.
      MAILPROBE_WEBHOOK_INITIAL_BACKOFF_MS: '2000',
      MAILPROBE_WEBHOOK_MAX_ATTEMPTS: '4',
    };
    const key = await createKeyInStore({ dataDir, redisUrl: null }, 'killed');
    let node: ProberProcess | null = await startProberProcess(env);
    try {
      const client = createProberClient({ baseUrl: node.url, apiKey: key, maxRetries: 0 });
      await client.createWebhook({ targetUrl: `${receiver.url}/sub`, events: ['job.completed'] });
      const job = await client.createJob({
        emails: ['ann@hooks.test'],
        callbackUrl: `${receiver.url}/callback`,
      });
      await waitFor('both first attempts', () => receiver.arrivals.length >= 2);
      await node.kill();
      failing = false;
      node = await startProberProcess(env);
      await waitFor('both retries', () => receiver.arrivals.length >= 4);
      await sleep(300);
      expect(receiver.arrivals.map((arrival) => arrival.path).sort()).toEqual([
        '/callback',
        '/callback',
        '/sub',
        '/sub',
      ]);
      expect(new Set(receiver.arrivals.map((arrival) => arrival.eventId))).toEqual(
        new Set([`evt_${job.id}`]),
      );
    } finally {
      await node?.stop();
      await receiver.close();
    }
  });
});

describe('webhook deliveries on a fleet of two nodes', () => {
  it('delivers each event to each receiver once', async () => {
    const flushing = await (await import('../../../packages/prober/src/stores/create-stores.js')).openStores({
      dataDir: '',
      redisUrl: redis.url,
    });
    await flushing.redis?.flushdb();
    await flushing.close();
    // Answers after a while, so deliveries overlap and both nodes find due ones.
    const receiver = await startReceiver(() => 200);
    receiver.delayMs = 100;
    const common = {
      redisUrl: redis.url,
      engine: internet.engineOptions,
      config: {
        jobs: { pollIntervalMs: 20 },
        webhook: { timeoutMs: 3000, maxConcurrentPerKey: 2, pollIntervalMs: 50 },
      },
    };
    const nodes = [await startProber(common), await startProber(common)] as const;
    try {
      const key = await nodes[0].createKey('fleet');
      const clients = nodes.map((node) => clientOf(node, key));
      const subscriptions = 5;
      for (let index = 0; index < subscriptions; index += 1) {
        await clients[0]?.createWebhook({
          targetUrl: `${receiver.url}/s/${index}`,
          events: ['job.completed'],
        });
      }
      const jobs = [];
      for (let index = 0; index < 6; index += 1) {
        const client = clients[index % 2] as ProberClient;
        jobs.push(
          await client.createJob({ emails: ['ann@hooks.test'], callbackUrl: `${receiver.url}/cb/${index}` }),
        );
      }
      const expected = jobs.length * (subscriptions + 1);
      await waitFor('every delivery', () => receiver.arrivals.length >= expected);
      await sleep(500);
      const seen = new Map<string, number>();
      for (const arrival of receiver.arrivals) {
        const id = `${arrival.path} ${arrival.eventId}`;
        seen.set(id, (seen.get(id) ?? 0) + 1);
      }
      expect(seen.size).toBe(expected);
      expect([...seen.values()].every((count) => count === 1)).toBe(true);
      const attempts = await Promise.all(nodes.map(attemptsOf));
      console.log(`fleet webhooks: ${expected} deliveries, attempts per node ${attempts.join(' + ')}`);
      // Exactly one attempt per delivery in all, and both nodes took part (each is held to 2 at once for the key).
      expect(attempts.reduce((sum, count) => sum + count, 0)).toBe(expected);
      expect(attempts.every((count) => count > 0)).toBe(true);
    } finally {
      for (const node of nodes) await node.close();
      await receiver.close();
    }
  });
});
