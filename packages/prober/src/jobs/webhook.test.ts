import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type FakeDns, startFakeDns } from '@mailprobe/test-kit';
import type { FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveProberConfig } from '../config.js';
import { openStores, type Stores } from '../stores/create-stores.js';
import {
  type CallbackPolicy,
  CallbackUrlError,
  checkCallbackUrl,
  createHostResolver,
} from './callback-target.js';
import { WEBHOOK_MAX_RESPONSE_BYTES, WebhookSender } from './webhook.js';

// A public unicast address: only ever checked, never connected to (every delivery here goes to loopback).
const PUBLIC_IP = '93.184.216.34';
const log = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;

let dns: FakeDns;
let dataDir: string;
let stores: Stores;

interface Hook {
  url: string;
  port: number;
  requests: number;
  closedConnections: number;
  close(): Promise<void>;
}

async function startHook(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<Hook> {
  const server: Server = createServer((request, response) => {
    hook.requests += 1;
    request.resume();
    handler(request, response);
  });
  server.on('connection', (socket) => socket.on('close', () => (hook.closedConnections += 1)));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const hook: Hook = {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    requests: 0,
    closedConnections: 0,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return hook;
}

function policy(allowPrivateTargets: boolean): CallbackPolicy {
  return { allowPrivateTargets, resolve: createHostResolver([dns.server]) };
}

function sender(allowPrivateTargets: boolean, webhook: Record<string, number> = {}): WebhookSender {
  const config = resolveProberConfig({
    webhook: { timeoutMs: 2000, maxAttempts: 2, initialBackoffMs: 10, maxBackoffMs: 20, ...webhook },
  });
  const webhooks = new WebhookSender({
    jobs: stores.jobs,
    store: stores.webhookStore,
    secrets: async () => ['a-webhook-test-secret'],
    config: config.webhook,
    nodeId: 'webhook-test',
    log,
    policy: policy(allowPrivateTargets),
  });
  webhooks.start();
  return webhooks;
}

/** A finished job with a pending webhook to `callbackUrl`. */
async function finishedJob(callbackUrl: string): Promise<string> {
  const { job } = await stores.jobs.createJob({
    id: `job_${Math.random().toString(16).slice(2)}`,
    keyId: 'key',
    callbackUrl,
    idempotencyKey: null,
    createdAt: new Date().toISOString(),
    ingestLeaseUntil: Date.now() + 60_000,
  });
  await stores.jobs.setState(job.id, 'failed', ['ingesting'], 'test');
  return job.id;
}

async function deliver(webhooks: WebhookSender, jobId: string) {
  webhooks.deliver(jobId);
  await webhooks.settled();
  await webhooks.close();
  return (await stores.jobs.getJob(jobId))?.webhookState;
}

beforeAll(async () => {
  dns = await startFakeDns({
    zones: {
      'public.test': { a: [PUBLIC_IP] },
      'internal.test': { a: ['10.0.0.5'], aaaa: ['::1'] },
      'metadata.test': { a: ['169.254.169.254'] },
      'mixed.test': { a: ['127.0.0.1', PUBLIC_IP] },
      'hook.test': { a: ['127.0.0.1'] },
    },
  });
  dataDir = await mkdtemp(path.join(tmpdir(), 'mailprobe-webhook-'));
  stores = await openStores({ dataDir, redisUrl: null });
});

afterAll(async () => {
  await stores?.close();
  await dns?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function refusal(raw: string, allowPrivateTargets = false) {
  try {
    await checkCallbackUrl(raw, policy(allowPrivateTargets), 'body.callbackUrl');
  } catch (error) {
    if (error instanceof CallbackUrlError) return { reason: error.reason, message: error.message };
    throw error;
  }
  return null;
}

describe('callback URL check at job creation', () => {
  it('refuses private, loopback, link-local, CGNAT, multicast and reserved literal addresses', async () => {
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://10.1.2.3/hook',
      'http://172.16.0.1/',
      'http://192.168.1.1/',
      'http://169.254.169.254/latest/meta-data',
      'http://100.64.0.1/',
      'http://224.0.0.1/',
      'http://0.0.0.0/',
      'http://[::1]/hook',
      'http://[fe80::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://192.0.2.10/',
    ]) {
      const refused = await refusal(url);
      expect(refused, url).toMatchObject({ reason: 'private_address' });
      expect(refused?.message.startsWith('body.callbackUrl: ')).toBe(true);
    }
  });

  it('refuses host names that resolve only to such addresses, or not at all', async () => {
    expect(await refusal('https://internal.test/hook')).toMatchObject({ reason: 'private_address' });
    expect(await refusal('https://metadata.test/')).toMatchObject({ reason: 'private_address' });
    expect(await refusal('https://missing.test/')).toMatchObject({ reason: 'not_found' });
  });

  it('refuses other schemes and credentials in the URL', async () => {
    expect(await refusal('ftp://public.test/hook')).toMatchObject({ reason: 'scheme' });
    expect(await refusal('file:///etc/passwd')).toMatchObject({ reason: 'scheme' });
    expect(await refusal('https://user:secret@public.test/hook')).toMatchObject({ reason: 'credentials' });
    expect(await refusal('not a url')).toMatchObject({ reason: 'invalid_url' });
  });

  it('accepts public hosts, hosts with at least one public address, and anything when private targets are allowed', async () => {
    expect(await refusal(`https://${PUBLIC_IP}/hook`)).toBeNull();
    expect(await refusal('https://public.test/hook')).toBeNull();
    expect(await refusal('https://mixed.test/hook')).toBeNull();
    expect(await refusal('http://127.0.0.1:8080/hook', true)).toBeNull();
    expect(await refusal('http://internal.test/hook', true)).toBeNull();
  });
});

describe('webhook delivery', () => {
  it('resolves again before delivering, so a host rebound to a private address is not called', async () => {
    const hook = await startHook((_request, response) => response.end());
    try {
      dns.setZone('rebind.test', { a: [PUBLIC_IP] });
      const callbackUrl = `http://rebind.test:${hook.port}/hook`;
      expect(await refusal(callbackUrl)).toBeNull();
      dns.setZone('rebind.test', { a: ['127.0.0.1'] });
      const jobId = await finishedJob(callbackUrl);
      const asked = dns.queries.filter((query) => query.name === 'rebind.test').length;
      expect(await deliver(sender(false), jobId)).toBe('failed');
      expect(dns.queries.filter((query) => query.name === 'rebind.test').length).toBeGreaterThan(asked);
      expect(hook.requests).toBe(0);
    } finally {
      await hook.close();
    }
  });

  it('connects to the address it checked (a name only the configured DNS knows)', async () => {
    const bodies: string[] = [];
    const hook = await startHook((request, response) => {
      bodies.push(String(request.headers.host));
      response.statusCode = 204;
      response.end();
    });
    try {
      const jobId = await finishedJob(`http://hook.test:${hook.port}/hook`);
      expect(await deliver(sender(true), jobId)).toBe('delivered');
      expect(bodies).toEqual([`hook.test:${hook.port}`]);
    } finally {
      await hook.close();
    }
  });

  it('follows no redirect', async () => {
    const target = await startHook((_request, response) => response.end());
    const hook = await startHook((_request, response) => {
      response.writeHead(307, { location: target.url });
      response.end();
    });
    try {
      const jobId = await finishedJob(hook.url);
      expect(await deliver(sender(true), jobId)).toBe('failed');
      expect(hook.requests).toBe(2);
      expect(target.requests).toBe(0);
    } finally {
      await hook.close();
      await target.close();
    }
  });

  it('reads a bounded part of the answer and closes the connection', async () => {
    let written = 0;
    const hook = await startHook((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(16 * 1024, 120);
      // Writes until the client hangs up (bounded, so the test cannot loop for ever).
      const pump = () => {
        while (written < WEBHOOK_MAX_RESPONSE_BYTES * 64 && !response.destroyed) {
          written += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
        response.end();
      };
      pump();
    });
    try {
      const jobId = await finishedJob(hook.url);
      expect(await deliver(sender(true), jobId)).toBe('delivered');
      expect(written).toBeLessThan(WEBHOOK_MAX_RESPONSE_BYTES * 64);
    } finally {
      await hook.close();
    }
  });

  it('does not send a delivery whose subscription was deleted on another node after it was claimed', async () => {
    const paths: string[] = [];
    const hook = await startHook((request, response) => {
      paths.push(String(request.url));
      response.statusCode = 204;
      response.end();
    });
    const keyId = `key_${Math.random().toString(16).slice(2)}`;
    const subscription = (name: string) => ({
      id: `sub_${name}_${keyId}`,
      keyId,
      targetUrl: hook.url.replace('/hook', `/${name}`),
      events: ['job.completed'],
      createdAt: new Date().toISOString(),
    });
    try {
      for (const name of ['gone', 'kept'])
        expect(await stores.webhookStore.addSubscription(subscription(name), 10)).toBe(true);
      const { job } = await stores.jobs.createJob({
        id: `job_${keyId}`,
        keyId,
        callbackUrl: null,
        idempotencyKey: null,
        createdAt: new Date().toISOString(),
        ingestLeaseUntil: Date.now() + 60_000,
      });
      await stores.jobs.setState(job.id, 'failed', ['ingesting'], 'test');
      let deleted = false;
      const webhooks = new WebhookSender({
        jobs: stores.jobs,
        store: stores.webhookStore,
        // Both deliveries are claimed in one turn before either asks for the secrets: the DELETE of another node
        // commits here, between this node's claim and its request.
        secrets: async () => {
          if (!deleted) {
            deleted = true;
            expect(await stores.webhookStore.deleteSubscription(keyId, subscription('gone').id)).toBe(true);
          }
          return ['a-webhook-test-secret'];
        },
        config: resolveProberConfig({ webhook: { maxConcurrentPerKey: 4 } }).webhook,
        nodeId: 'webhook-test',
        log,
        policy: policy(true),
      });
      webhooks.start();
      webhooks.deliver(job.id);
      await webhooks.settled();
      await webhooks.close();
      expect(deleted).toBe(true);
      expect(paths).toEqual(['/kept']);
      expect(await stores.webhookStore.countDeliveries()).toBe(0);
    } finally {
      await hook.close();
    }
  });

  it('gives up on a receiver that never answers after the timeout, retrying with backoff', async () => {
    const hook = await startHook(() => {});
    try {
      const jobId = await finishedJob(hook.url);
      expect(await deliver(sender(true, { timeoutMs: 150, maxAttempts: 2 }), jobId)).toBe('failed');
      expect(hook.requests).toBe(2);
    } finally {
      await hook.close();
    }
  });
});
