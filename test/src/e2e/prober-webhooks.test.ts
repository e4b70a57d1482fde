// Webhook subscriptions (REST hooks, issue #14) end to end: core's client subscribes a real HTTP receiver on
// loopback, a job completes on the fake internet, the signed `job.completed` event arrives with the counts and a
// results URL the receiver downloads the CSV from with the key; then unsubscribe. Embedded store and Redis fleet.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createProberClient,
  JobCompletedEventSchema,
  jobResultCsvHeader,
  ProberApiError,
  verifyWebhookSignature,
} from '@mailprobe/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedProber, startProber } from '../../../packages/prober/src/index.js';
import { type FakeInternet, type RedisServer, startFakeInternet, startRedisServer } from '../index.js';

const WAIT_MS = 15_000;

interface Delivery {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on loopback that answers `failFirst` deliveries per path with 500, then 200. */
async function startReceiver(
  failFirst = 0,
): Promise<{ url: string; deliveries: Delivery[]; close(): Promise<void> }> {
  const deliveries: Delivery[] = [];
  const seen = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (text: string) => {
      body += text;
    });
    request.on('end', () => {
      const path = request.url ?? '';
      deliveries.push({ path, headers: request.headers, body });
      const count = (seen.get(path) ?? 0) + 1;
      seen.set(path, count);
      response.writeHead(count <= failFirst ? 500 : 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    deliveries,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function waitFor<T>(what: string, probe: () => T | null | undefined): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = probe();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

let internet: FakeInternet;
let redis: RedisServer;

beforeAll(async () => {
  internet = await startFakeInternet({
    domains: {
      'hooks.test': {
        mx: [{ host: 'mx.hooks.test', smtp: { mailboxes: ['ann@hooks.test', 'bob@hooks.test'] } }],
      },
    },
  });
  redis = await startRedisServer();
});

afterAll(async () => {
  await internet?.close();
  await redis?.stop();
});

describe.each([
  { store: 'SQLite (embedded)', redis: false },
  { store: 'Redis (fleet)', redis: true },
])('webhook subscriptions, $store', ({ redis: useRedis }) => {
  let prober: StartedProber;

  beforeAll(async () => {
    prober = await startProber({
      ...(useRedis ? { redisUrl: redis.url } : {}),
      // allowPrivateTargets (fake internet) also admits the loopback receiver, as for job callbacks.
      engine: internet.engineOptions,
      config: {
        jobs: { pollIntervalMs: 20 },
        webhook: { timeoutMs: 2000, maxAttempts: 4, initialBackoffMs: 40, maxBackoffMs: 100 },
      },
    });
  });

  afterAll(async () => {
    await prober?.close();
  });

  it('subscribes, delivers a signed job.completed with counts and a results URL, retries, and unsubscribes', async () => {
    const receiver = await startReceiver(1);
    try {
      const { key, webhookSecret } = await prober.createKeyWithWebhookSecret('zapier');
      const other = await prober.createKeyWithWebhookSecret('someone else');
      const client = createProberClient({ baseUrl: prober.url, apiKey: key, maxRetries: 0 });
      const otherClient = createProberClient({ baseUrl: prober.url, apiKey: other.key, maxRetries: 0 });

      const subscription = await client.createWebhook({
        targetUrl: `${receiver.url}/zap`,
        events: ['job.completed'],
      });
      expect(subscription).toMatchObject({
        id: expect.stringMatching(/^whk_/),
        targetUrl: `${receiver.url}/zap`,
      });
      // Subscribing again (a retried POST) answers the same subscription.
      expect(
        (await client.createWebhook({ targetUrl: `${receiver.url}/zap`, events: ['job.completed'] })).id,
      ).toBe(subscription.id);
      expect((await client.listWebhooks()).webhooks.map((webhook) => webhook.id)).toEqual([subscription.id]);
      expect((await otherClient.listWebhooks()).webhooks).toEqual([]);
      // Another key's subscription is invisible, and not deletable.
      await expect(otherClient.deleteWebhook(subscription.id)).rejects.toMatchObject({
        code: 'not_found',
        status: 404,
      });

      const job = await client.createJob({
        emails: ['ann@hooks.test', 'nobody@hooks.test', 'not-an-address'],
      });
      // First attempt answered 500, the retry 200: two deliveries of one event.
      await waitFor('the retried delivery', () => (receiver.deliveries.length >= 2 ? true : null));
      const [refused, delivered] = receiver.deliveries as [Delivery, Delivery];
      expect(delivered.path).toBe('/zap');
      expect(delivered.headers['mailprobe-event']).toBe('job.completed');
      const signature = delivered.headers['mailprobe-signature'] as string;
      expect(verifyWebhookSignature(webhookSecret, signature, delivered.body)).toMatchObject({ ok: true });
      expect(verifyWebhookSignature(other.webhookSecret, signature, delivered.body)).toEqual({
        ok: false,
        reason: 'mismatch',
      });
      const event = JobCompletedEventSchema.parse(JSON.parse(delivered.body));
      expect(JSON.parse(refused.body).id).toBe(event.id);
      expect(event.job).toMatchObject({
        id: job.id,
        status: 'completed',
        total: 3,
        done: 3,
        counts: { VALID: 1, INVALID: 2, UNKNOWN: 0 },
      });
      expect(event.resultsUrl).toBe(`${prober.url}/v1/jobs/${job.id}/results`);

      // What the Zapier app does next: download the CSV with the key, no other request needed.
      const csv = await fetch(event.resultsUrl as string, {
        headers: { authorization: `Bearer ${key}`, accept: 'text/csv' },
      });
      expect(csv.status).toBe(200);
      const lines = (await csv.text()).trim().split('\r\n');
      // A JSON list gets an `email` column, then the result columns (one line per row).
      expect(lines[0]).toBe(jobResultCsvHeader(['email']));
      expect(lines).toHaveLength(4);

      const removed = await client.deleteWebhook(subscription.id);
      expect(removed.id).toBe(subscription.id);
      expect((await client.listWebhooks()).webhooks).toEqual([]);
      await expect(client.deleteWebhook(subscription.id)).rejects.toBeInstanceOf(ProberApiError);
      const seen = receiver.deliveries.length;
      const later = await client.createJob({ emails: ['bob@hooks.test'] });
      const finished = await waitForJob(client, later.id);
      expect(finished).toBe('completed');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(receiver.deliveries).toHaveLength(seen);
    } finally {
      await receiver.close();
    }
  });

  it('refuses targets the SSRF guard refuses, and bounds subscriptions per key', async () => {
    const guarded = await startProber({
      ...(useRedis ? { redisUrl: redis.url } : {}),
      config: { webhook: { maxSubscriptionsPerKey: 2 } },
    });
    try {
      const key = await guarded.createKey('guarded');
      const client = createProberClient({ baseUrl: guarded.url, apiKey: key, maxRetries: 0 });
      for (const targetUrl of [
        'http://127.0.0.1:9/hook',
        'http://[::7f00:1]/hook',
        'http://169.254.169.254/latest',
        'http://user:pass@example.com/hook',
        'ftp://example.com/hook',
      ]) {
        const refused = await client
          .createWebhook({ targetUrl, events: ['job.completed'] })
          .catch((error) => error);
        expect(refused).toMatchObject({ code: 'bad_request', status: 400 });
      }
      const raw = await fetch(`${guarded.url}/v1/webhooks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ targetUrl: 'https://93.184.215.14/hook', events: ['job.finished'] }),
      });
      expect(raw.status).toBe(400);
      // Public literal addresses pass the guard at creation (nothing is sent until a job finishes).
      await client.createWebhook({ targetUrl: 'https://93.184.215.14/a', events: ['job.completed'] });
      await client.createWebhook({ targetUrl: 'https://93.184.215.14/b', events: ['job.completed'] });
      const third = await client
        .createWebhook({ targetUrl: 'https://93.184.215.14/c', events: ['job.completed'] })
        .catch((error) => error);
      expect(third).toMatchObject({ code: 'conflict', status: 409 });
    } finally {
      await guarded.close();
    }
  });
});

async function waitForJob(client: ReturnType<typeof createProberClient>, id: string): Promise<string> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const job = await client.getJob(id);
    if (job.status !== 'queued' && job.status !== 'running') return job.status;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
