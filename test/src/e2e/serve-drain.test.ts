// SIGTERM drain of `mailprobe serve` as a plain process (the image test does the same through `docker stop`):
// the node stops taking work, lets chunks in flight finish within MAILPROBE_DRAIN_MS or hands their leases
// back, writes pending quota usage, and exits 0.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, openStores } from '../../../packages/prober/src/index.js';
import { type FakeInternet, startFakeInternet } from '../index.js';
import { fakeInternetEnv } from './prober-api.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CLI_BIN = path.join(REPO_ROOT, 'packages/cli/src/bin.ts');
const START_TIMEOUT_MS = 30_000;
/** A lease far longer than the test: a chunk claimable again before it ran out was handed back. */
const LEASE_MS = 120_000;

let internet: FakeInternet;
const children: ChildProcess[] = [];

interface Serve {
  url: string;
  child: ChildProcess;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
  logs: Array<Record<string, unknown>>;
}

async function startServe(env: Record<string, string>): Promise<Serve> {
  const child = spawn(
    process.execPath,
    ['--conditions=@mailprobe/source', '--import', 'tsx', CLI_BIN, 'serve', '--listen', '127.0.0.1:0'],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, MAILPROBE_LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const logs: Array<Record<string, unknown>> = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), START_TIMEOUT_MS);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry.msg === 'prober listening') {
          clearTimeout(timer);
          resolve(entry.url as string);
        }
      } catch {
        // Not a log line.
      }
    });
  });
  return { url, child, exited, logs };
}

async function createJob(url: string, key: string, emails: string[]): Promise<string> {
  const response = await fetch(`${url}/v1/jobs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ emails }),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

/** Waits until the job's chunk is being probed: its MX has a session open. */
async function waitForSession(mxHost: string): Promise<void> {
  const server = internet.smtp[mxHost];
  for (let attempt = 0; attempt < 400; attempt += 1) {
    if ((server?.activeSessions ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no session reached ${mxHost}`);
}

function addresses(domain: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `user${index}@${domain}`);
}

beforeAll(async () => {
  internet = await startFakeInternet({
    domains: {
      // Each reply takes 300 ms: a chunk of 6 addresses in one session takes ~3 s, far beyond a 300 ms drain.
      'slow.test': {
        mx: [{ host: 'mx.slow.test', smtp: { mailboxes: addresses('slow.test', 3), replyDelayMs: 300 } }],
      },
      'quick.test': {
        mx: [{ host: 'mx.quick.test', smtp: { mailboxes: addresses('quick.test', 2), replyDelayMs: 100 } }],
      },
    },
  });
});

afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await internet?.close();
});

describe('mailprobe serve: SIGTERM drain (plain process)', () => {
  const baseEnv = () => ({
    ...fakeInternetEnv(internet),
    MAILPROBE_JOB_LEASE_MS: String(LEASE_MS),
    MAILPROBE_JOB_POLL_INTERVAL_MS: '20',
    MAILPROBE_MAX_CONNECTIONS_PER_MINUTE: '10000',
    // Usage is only written on close, so a correct count afterwards proves the flush at shutdown.
    MAILPROBE_USAGE_FLUSH_INTERVAL_MS: '3600000',
  });

  it('lets the chunk in flight finish, writes quota usage, and exits 0', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'mailprobe-drain-'));
    try {
      const stores = await openStores({ dataDir, redisUrl: null });
      const { key, record } = await createApiKey(stores.keys, 'drain', { quota: 1000 });
      await stores.close();
      const serve = await startServe({
        ...baseEnv(),
        MAILPROBE_DATA_DIR: dataDir,
        MAILPROBE_DRAIN_MS: '20000',
      });
      const emails = addresses('quick.test', 4);
      const id = await createJob(serve.url, key, emails);
      await waitForSession('mx.quick.test');
      const started = Date.now();
      serve.child.kill('SIGTERM');
      const [code, signal] = await serve.exited;
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(serve.logs.some((entry) => entry.msg === 'draining: no new requests or chunks')).toBe(true);

      const after = await openStores({ dataDir, redisUrl: null });
      try {
        const job = await after.jobs.getJob(id);
        expect(job).toMatchObject({ state: 'completed', total: 4, done: 4 });
        expect(job?.counts).toMatchObject({ VALID: 2, INVALID: 2 });
        expect((await after.keys.get(record.id))?.used).toBe(4);
      } finally {
        await after.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('hands the lease of an unfinished chunk back when the drain bound passes, and exits 0', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'mailprobe-drain-'));
    try {
      const stores = await openStores({ dataDir, redisUrl: null });
      const { key } = await createApiKey(stores.keys, 'drain');
      await stores.close();
      const drainMs = 300;
      const serve = await startServe({
        ...baseEnv(),
        MAILPROBE_DATA_DIR: dataDir,
        MAILPROBE_DRAIN_MS: String(drainMs),
      });
      const id = await createJob(serve.url, key, addresses('slow.test', 6));
      await waitForSession('mx.slow.test');
      const started = Date.now();
      serve.child.kill('SIGTERM');
      const [code, signal] = await serve.exited;
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      // The drain bound, then the abort and the store's close: well under the ~3 s the chunk would need.
      expect(Date.now() - started).toBeLessThan(drainMs + 2500);
      expect(serve.logs.some((entry) => entry.msg === 'chunk handed back')).toBe(true);

      // No restart (which would release every lease anyway): the chunk is claimable at once.
      const after = await openStores({ dataDir, redisUrl: null });
      try {
        expect((await after.jobs.getJob(id))?.done).toBeLessThan(6);
        const claimed = await after.queue.claim('inspector', LEASE_MS);
        expect(claimed?.message.jobId).toBe(id);
      } finally {
        await after.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
