import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unusedPort } from '../net/loopback.js';

const START_TIMEOUT_MS = 30_000;
const READY_LINE = 'Ready to accept connections';

export interface RedisServerOptions {
  /**
   * Keep an append-only file (fsync every second, as `deploy/compose.yaml` runs Redis) in a temporary folder, so
   * `restart()` brings back what was written (all but up to the last second).
   */
  appendOnly?: boolean;
}

export interface RedisServer {
  url: string;
  /** SIGKILL and wait for the exit (the temporary folder of an append-only server is removed). */
  stop(): Promise<void>;
  /** SIGKILL and wait, as in a crash; `restart()` starts it again on the same port. */
  kill(): Promise<void>;
  /** Starts a killed server again on the same port, loading its append-only file if it keeps one. */
  restart(): Promise<void>;
}

async function spawnRedis(args: string[]): Promise<{ child: ChildProcess; exited: Promise<unknown> }> {
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server did not start')), START_TIMEOUT_MS);
    child.once('error', reject);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes(READY_LINE)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { child, exited };
}

/** Starts a throw-away `redis-server` on a free loopback port (no persistence unless asked), for store and fleet tests. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const port = await unusedPort();
  const dir = options.appendOnly ? mkdtempSync(path.join(tmpdir(), 'mailprobe-redis-')) : null;
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', ''];
  args.push(
    ...(dir ? ['--appendonly', 'yes', '--appendfsync', 'everysec', '--dir', dir] : ['--appendonly', 'no']),
  );
  let running: { child: ChildProcess; exited: Promise<unknown> } | null = await spawnRedis(args);
  const kill = async () => {
    if (!running) return;
    running.child.kill('SIGKILL');
    await running.exited;
    running = null;
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      await kill();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
    kill,
    async restart() {
      if (running) throw new Error('redis-server is still running');
      running = await spawnRedis(args);
    },
  };
}
