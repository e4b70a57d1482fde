// The webhook delivery loop while the fleet's Redis is gone: a real redis-server (append-only file) is killed
// with SIGKILL while a delivery is waiting, and started again on the same port; the loop neither throws nor
// gives up, and the delivery arrives once Redis is back.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolveProberConfig } from '../config.js';
import { openStores, type Stores } from '../stores/create-stores.js';
import { createHostResolver } from './callback-target.js';
import { WebhookSender } from './webhook.js';

const READY_LINE = 'Ready to accept connections';
const START_TIMEOUT_MS = 30_000;
const logLines: string[] = [];
const log = pino(
  { level: 'warn' },
  { write: (line: string) => logLines.push(line) },
) as unknown as FastifyBaseLogger;

let dataDir: string;
let port: number;
let redis: ChildProcess | null = null;

async function freePort(): Promise<number> {
  const server = createNetServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port: free } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return free;
}

/** Starts redis-server on `port`, persisting to an append-only file in `dataDir` (so a restart keeps the data). */
async function startRedis(): Promise<void> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes'],
    { cwd: dataDir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server did not start')), START_TIMEOUT_MS);
    child.once('error', reject);
    child.stdout?.on('data', (text: string) => {
      if (text.includes(READY_LINE)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  redis = child;
}

async function killRedis(): Promise<void> {
  const child = redis;
  redis = null;
  if (!child || child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'mailprobe-webhook-outage-'));
  port = await freePort();
  await startRedis();
});

afterAll(async () => {
  await killRedis();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

it('keeps its delivery loop alive while Redis is gone, and delivers once Redis is back', async () => {
  const bodies: string[] = [];
  const receiver = createHttpServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (text: string) => {
      body += text;
    });
    request.on('end', () => {
      bodies.push(body);
      response.writeHead(204).end();
    });
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  let stores: Stores | null = null;
  let webhooks: WebhookSender | null = null;
  try {
    stores = await openStores({ dataDir: '', redisUrl: `redis://127.0.0.1:${port}` });
    // A fleet node gets an error listener from its server; this bare store needs its own.
    stores.redis?.on('error', () => {});
    const config = resolveProberConfig({
      webhook: {
        timeoutMs: 2000,
        maxAttempts: 3,
        initialBackoffMs: 50,
        maxBackoffMs: 100,
        pollIntervalMs: 50,
      },
    });
    webhooks = new WebhookSender({
      jobs: stores.jobs,
      store: stores.webhookStore,
      secrets: async () => ['an-outage-test-secret'],
      config: config.webhook,
      nodeId: 'outage-test',
      log,
      policy: { allowPrivateTargets: true, resolve: createHostResolver([]) },
    });
    webhooks.start();
    const { job } = await stores.jobs.createJob({
      id: 'job_outage',
      keyId: 'key',
      callbackUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
      idempotencyKey: null,
      createdAt: new Date().toISOString(),
      ingestLeaseUntil: Date.now() + 60_000,
    });
    await stores.jobs.setState(job.id, 'failed', ['ingesting'], 'test');

    await killRedis();
    webhooks.deliver(job.id);
    // Several turns of the loop against a store that does not answer.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(bodies).toEqual([]);
    // The loop met the outage (commands failed) and kept going.
    expect(logLines.some((line) => line.includes('webhook store unavailable'))).toBe(true);

    await startRedis();
    const deadline = Date.now() + 20_000;
    while (bodies.length === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(bodies).toHaveLength(1);
    expect(JSON.parse(bodies[0] as string).id).toBe(`evt_${job.id}`);
    await webhooks.settled();
    expect((await stores.jobs.getJob(job.id))?.webhookState).toBe('delivered');
    expect(unhandled).toEqual([]);
  } finally {
    process.off('unhandledRejection', onUnhandled);
    await webhooks?.close();
    await stores?.close();
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  }
});
