import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { type VerificationResult, VerificationResultSchema } from '@mailprobe/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeInternet, startFakeInternet } from '../fake-internet.js';
import { unusedPort } from '../net/loopback.js';
import { buildPublishedPackages } from './build-published.js';
import { type NodeDistribution, nodeDistribution } from './node-distribution.js';
import { PUBLISHED_IN_ORDER, RELEASE_TESTS, REPO_ROOT, workspacePackages } from './workspace.js';

const run = promisify(execFile);
const NODE_MAJORS = [20, 22, 24];
const INSTALL_TIMEOUT_MS = 900_000;
const SERVE_START_TIMEOUT_MS = 60_000;
// Kept between runs: npm's cache serves the dependencies again without the network, and the Node downloads stay.
const CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'mailprobe-release');
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'];

const VALID = 'alice@ok.test';
const INVALID = 'nobody@ok.test';

/** Packages in an installed tree that would run something at install time (scripts, or a binding.gyp). */
function packagesWithInstallSteps(nodeModules: string): string[] {
  const found = new Set<string>();
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === '.bin') continue;
      const path = join(dir, entry.name);
      if (entry.name.startsWith('@')) {
        visit(path);
        continue;
      }
      const manifestPath = join(path, 'package.json');
      if (existsSync(manifestPath)) {
        const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
          name: string;
          scripts?: Record<string, string>;
        };
        const scripts = INSTALL_SCRIPTS.filter((script) => manifest.scripts?.[script]);
        if (scripts.length > 0 || existsSync(join(path, 'binding.gyp'))) found.add(manifest.name);
      }
      if (existsSync(join(path, 'node_modules'))) visit(join(path, 'node_modules'));
    }
  };
  visit(nodeModules);
  return [...found].sort();
}

interface Installed {
  distribution: NodeDistribution;
  dir: string;
  env: Record<string, string>;
  installScripts: string[];
}

/** An empty folder, the four tarballs installed with plain npm (no install scripts), then better-sqlite3 built. */
async function installTarballs(
  distribution: NodeDistribution,
  tarballs: string[],
  root: string,
): Promise<Installed> {
  const dir = join(root, `node-${distribution.major}`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'try-mailprobe', private: true }));
  const env = {
    ...process.env,
    // The target Node first: npm, node-gyp and npx all run on it.
    PATH: `${dirname(distribution.node)}${delimiter}${process.env.PATH ?? ''}`,
    npm_config_cache: join(CACHE_DIR, 'npm-cache'),
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_nodedir: distribution.nodedir,
    // No prebuilt binary download: compile against the headers above.
    npm_config_build_from_source: 'true',
  } as Record<string, string>;
  for (const name of Object.keys(env))
    if (name.startsWith('npm_config_') && env[name] === undefined) delete env[name];
  await run('npm', ['install', '--ignore-scripts', ...tarballs], {
    cwd: dir,
    env,
    timeout: INSTALL_TIMEOUT_MS,
  });
  const installScripts = packagesWithInstallSteps(join(dir, 'node_modules'));
  await run('npm', ['rebuild', 'better-sqlite3'], { cwd: dir, env, timeout: INSTALL_TIMEOUT_MS });
  return { distribution, dir, env, installScripts };
}

function engineEnv(internet: FakeInternet): Record<string, string> {
  return {
    MAILPROBE_DNS_SERVERS: internet.engineOptions.dnsServers.join(','),
    MAILPROBE_PORTS: String(internet.port),
    MAILPROBE_FALLBACK_PORTS: '',
    MAILPROBE_ALLOW_PRIVATE_TARGETS: '1',
    MAILPROBE_HELO_NAME: 'probe.mailprobe.test',
    MAILPROBE_TIMEOUT_MS: '5000',
  };
}

async function waitForReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + SERVE_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`mailprobe serve exited with ${child.exitCode}:\n${output()}`);
    try {
      if ((await fetch(new URL('/readyz', url))).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`mailprobe serve did not become ready:\n${output()}`);
}

// Builds, packs, downloads Node 22 and 24 and compiles better-sqlite3 three times: many minutes, so opt-in.
describe.skipIf(!RELEASE_TESTS)('the packed packages installed with plain npm, on Node 20, 22 and 24', () => {
  let internet: FakeInternet;
  let work: string;
  const installs = new Map<number, Installed>();

  beforeAll(async () => {
    internet = await startFakeInternet({
      domains: { 'ok.test': { mx: [{ host: 'mx.ok.test', smtp: { mailboxes: [VALID] } }] } },
    });
    work = await mkdtemp(join(tmpdir(), 'mailprobe-install-'));
    await buildPublishedPackages();
    const tarballs: string[] = [];
    for (const pkg of workspacePackages().filter((candidate) =>
      PUBLISHED_IN_ORDER.includes(candidate.manifest.name),
    )) {
      // pnpm pack, as the release publishes: workspace:^ becomes a real range and the root LICENSE is added.
      const { stdout } = await run('pnpm', ['pack', '--json', '--pack-destination', work], { cwd: pkg.dir });
      tarballs.push((JSON.parse(stdout) as { filename: string }).filename);
    }
    for (const major of NODE_MAJORS) {
      installs.set(major, await installTarballs(await nodeDistribution(major, CACHE_DIR), tarballs, work));
    }
  }, 3_600_000);

  afterAll(async () => {
    await internet?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  describe.each(NODE_MAJORS)('Node %i', (major) => {
    const installed = () => {
      const found = installs.get(major);
      if (!found) throw new Error(`no install for Node ${major}`);
      return found;
    };

    it('runs the Node it was asked to', async () => {
      const { stdout } = await run('node', ['-p', 'process.versions.node'], { env: installed().env });
      expect(Number(stdout.split('.')[0])).toBe(major);
    });

    it('needed no install script but better-sqlite3 build', () => {
      expect(installed().installScripts).toEqual(['better-sqlite3']);
    });

    it('npx mailprobe verify gives one verdict per address', async () => {
      const { dir, env } = installed();
      const { stdout } = await run(
        'npx',
        ['--no-install', 'mailprobe', 'verify', '--format', 'jsonl', VALID, INVALID, 'not an address'],
        { cwd: dir, env: { ...env, ...engineEnv(internet) } },
      );
      const results: VerificationResult[] = stdout
        .trim()
        .split('\n')
        .map((line) => VerificationResultSchema.parse(JSON.parse(line)));
      expect(results.map((result) => [result.address, result.status, result.reason])).toEqual([
        [VALID, 'VALID', expect.any(String)],
        [INVALID, 'INVALID', expect.any(String)],
        ['not an address', 'INVALID', 'invalid_syntax'],
      ]);
    });

    it('mailprobe serve answers /v1/verify with a key from mailprobe keys create, on SQLite', async () => {
      const { dir, env } = installed();
      const dataDir = join(dir, 'data');
      const bin = join(dir, 'node_modules', '.bin', 'mailprobe');
      const { stdout: key } = await run(
        bin,
        ['keys', 'create', '--name', 'install-check', '--data-dir', dataDir],
        {
          cwd: dir,
          env,
        },
      );
      const port = await unusedPort();
      const url = `http://127.0.0.1:${port}`;
      const child = spawn(bin, ['serve', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir], {
        cwd: dir,
        env: { ...env, ...engineEnv(internet), MAILPROBE_LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      const exited = once(child, 'exit');
      try {
        await waitForReady(url, child, () => output);
        const response = await fetch(new URL('/v1/verify', url), {
          method: 'POST',
          headers: { authorization: `Bearer ${key.trim()}`, 'content-type': 'application/json' },
          body: JSON.stringify({ email: VALID }),
        });
        expect(response.status).toBe(200);
        const result = VerificationResultSchema.parse(await response.json());
        expect([result.address, result.status]).toEqual([VALID, 'VALID']);
      } finally {
        child.kill('SIGTERM');
        await exited;
      }
      expect(child.exitCode, output).toBe(0);
    });
  });
});
