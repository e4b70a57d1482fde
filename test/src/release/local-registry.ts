import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unusedPort } from '../net/loopback.js';

const START_TIMEOUT_MS = 60_000;
const POLL_INTERVAL_MS = 200;
const USER = { name: 'mailprobe-release-test', password: 'not-a-secret-loopback-only' };

export interface LocalRegistry {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  /** An npmrc with the registry and a publish token: pass as `npm_config_userconfig`. */
  npmrc: string;
  /** Environment for npm and pnpm: this registry, its token, no update or funding chatter. */
  env: Record<string, string>;
  /** The registry's document for a package (404 → undefined). */
  packument(name: string): Promise<Packument | undefined>;
  close(): Promise<void>;
}

export interface Packument {
  name: string;
  versions: Record<string, PublishedManifest>;
  time: Record<string, string>;
}

export interface PublishedManifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  dist: { tarball: string };
  [field: string]: unknown;
}

function verdaccioBin(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('verdaccio/package.json')), 'bin', 'verdaccio');
}

async function waitForPing(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited with ${child.exitCode}`);
    try {
      if ((await fetch(new URL('-/ping', url))).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  throw new Error(`verdaccio did not answer on ${url} within ${START_TIMEOUT_MS} ms`);
}

/**
 * A real npm registry (verdaccio) on loopback with empty storage and no uplinks: it holds only what is published
 * to it, so a publish or install against it can never reach another registry.
 */
export async function startLocalRegistry(): Promise<LocalRegistry> {
  const home = await mkdtemp(join(tmpdir(), 'mailprobe-registry-'));
  const port = await unusedPort();
  const url = `http://127.0.0.1:${port}/`;
  const config = join(home, 'config.yaml');
  await writeFile(
    config,
    [
      `storage: ${join(home, 'storage')}`,
      'auth:',
      `  htpasswd: { file: ${join(home, 'htpasswd')}, max_users: 10 }`,
      'uplinks: {}',
      'packages:',
      "  '**': { access: $all, publish: $authenticated, unpublish: $authenticated }",
      'log: { type: stdout, format: json, level: error }',
      '',
    ].join('\n'),
  );
  const child = spawn(
    process.execPath,
    [verdaccioBin(), '--config', config, '--listen', `127.0.0.1:${port}`],
    {
      cwd: home,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = once(child, 'exit');
  const close = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(home, { recursive: true, force: true });
  };
  try {
    await waitForPing(url, child);
    const response = await fetch(new URL(`-/user/org.couchdb.user:${USER.name}`, url), {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: USER.name, password: USER.password }),
    });
    const { token } = (await response.json()) as { token?: string };
    if (!response.ok || !token) throw new Error(`verdaccio refused the test user: ${response.status}`);
    const npmrc = join(home, 'npmrc');
    await writeFile(npmrc, `registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`);
    return {
      url,
      npmrc,
      env: {
        npm_config_userconfig: npmrc,
        npm_config_registry: url,
        npm_config_update_notifier: 'false',
        npm_config_fund: 'false',
        npm_config_audit: 'false',
      },
      async packument(name) {
        const found = await fetch(new URL(name.replace('/', '%2f'), url));
        if (found.status === 404) return undefined;
        if (!found.ok) throw new Error(`registry answered ${found.status} for ${name}`);
        return (await found.json()) as Packument;
      },
      close,
    };
  } catch (error) {
    await close();
    throw new Error(`${(error as Error).message}\n${output}`);
  }
}
