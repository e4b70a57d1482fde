import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { unusedPort } from '../net/loopback.js';

const START_TIMEOUT_MS = 30_000;
const READY_LINE = 'Ready to accept connections';

export interface RedisServer {
  url: string;
  /** SIGKILL and wait for the exit. */
  stop(): Promise<void>;
}

/** Starts a throw-away `redis-server` (no persistence) on a free loopback port, for store and fleet tests. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await unusedPort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
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
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
