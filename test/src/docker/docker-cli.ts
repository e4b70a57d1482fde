// Runs docker / compose commands for the image and fleet tests, and the helpers both need.
import { execFile, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** Base image of the builds: the official one by default; `local/node:20` on machines without Docker Hub. */
export const BASE_IMAGE = process.env.MAILPROBE_BASE_IMAGE ?? 'node:20-bookworm-slim';
export const REDIS_BASE_IMAGE = process.env.MAILPROBE_REDIS_BASE_IMAGE ?? 'debian:bookworm-slim';
export const IMAGE = process.env.MAILPROBE_IMAGE ?? 'mailprobe:test';

const run = promisify(execFile);
const BUILD_BUFFER = 64 * 1024 * 1024;

/** Runs a command; rejects with its output when it fails. */
export async function sh(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<string> {
  try {
    const { stdout } = await run(command, args, {
      cwd: options.cwd ?? REPO_ROOT,
      env: options.env ?? process.env,
      maxBuffer: BUILD_BUFFER,
      timeout: options.timeoutMs ?? 0,
    });
    return stdout;
  } catch (error) {
    const failed = error as Error & { stdout?: string; stderr?: string };
    throw new Error(
      `${command} ${args.join(' ')} failed: ${failed.message}\n${failed.stdout ?? ''}\n${failed.stderr ?? ''}`,
    );
  }
}

/** `docker compose` (v2) when installed, else `docker-compose` (v1): the file works with both. */
export function composeCommand(): [string, ...string[]] {
  const forced = process.env.MAILPROBE_COMPOSE;
  if (forced === 'v1') return ['docker-compose'];
  if (forced === 'v2') return ['docker', 'compose'];
  return spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0
    ? ['docker', 'compose']
    : ['docker-compose'];
}

/** A free TCP port on 127.0.0.1 (closed again, so a container can listen on it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls `url` until it answers 200 or `timeoutMs` passes. */
export async function waitForOk(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${url} did not become ready within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
