import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPublishedPackages } from './build-published.js';
import { type LocalRegistry, type Packument, startLocalRegistry } from './local-registry.js';
import {
  PUBLISHED_IN_ORDER,
  RELEASE_TESTS,
  REPO_ROOT,
  readManifest,
  workspacePackages,
} from './workspace.js';

const run = promisify(execFile);
const PUBLISH_TIMEOUT_MS = 300_000;

const published = workspacePackages().filter((pkg) => PUBLISHED_IN_ORDER.includes(pkg.manifest.name));
const rootManifest = readManifest(REPO_ROOT);

/** Runs the release script's publish step (`pnpm run publish-packages`) against the local registry. */
function publishToRegistry(registry: LocalRegistry) {
  // The release runs on a clean main; a test runs on any branch and work tree.
  return run('pnpm', ['run', 'publish-packages', '--no-git-checks'], {
    cwd: REPO_ROOT,
    timeout: PUBLISH_TIMEOUT_MS,
    env: { ...process.env, ...registry.env },
  });
}

// Builds and publishes for real (to a registry on loopback): minutes, so opt-in — `pnpm test:release`.
describe.skipIf(!RELEASE_TESTS)(
  'the release script publishes the four public packages in dependency order',
  () => {
    let registry: LocalRegistry;
    const packuments = new Map<string, Packument>();
    let work: string;

    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), 'mailprobe-publish-'));
      await buildPublishedPackages();
      registry = await startLocalRegistry();
      await publishToRegistry(registry);
      for (const name of PUBLISHED_IN_ORDER) {
        const packument = await registry.packument(name);
        if (packument) packuments.set(name, packument);
      }
    }, 900_000);

    afterAll(async () => {
      await registry?.close();
      if (work) await rm(work, { recursive: true, force: true });
    });

    it('the release script is build, publish, tag', () => {
      expect(rootManifest.scripts?.release).toBe(
        'turbo run build && pnpm run publish-packages && changeset tag',
      );
    });

    it('publishes exactly the public packages, each at its version in package.json', () => {
      expect(published.map((pkg) => pkg.manifest.name).sort()).toEqual([...PUBLISHED_IN_ORDER].sort());
      for (const pkg of published) {
        expect(Object.keys(packuments.get(pkg.manifest.name)?.versions ?? {})).toEqual([
          pkg.manifest.version,
        ]);
      }
      for (const pkg of workspacePackages().filter((candidate) => candidate.manifest.private)) {
        expect(packuments.has(pkg.manifest.name)).toBe(false);
      }
    });

    it('publishes each package after the packages it depends on', () => {
      const publishedAt = (name: string) => {
        const pkg = published.find((candidate) => candidate.manifest.name === name);
        return Date.parse(packuments.get(name)?.time[pkg?.manifest.version ?? ''] ?? '');
      };
      const times = PUBLISHED_IN_ORDER.map(publishedAt);
      for (const time of times) expect(Number.isFinite(time)).toBe(true);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      // Every internal dependency is published strictly before its dependant.
      for (const pkg of published) {
        for (const dependency of Object.keys(pkg.manifest.dependencies ?? {})) {
          if (!PUBLISHED_IN_ORDER.includes(dependency)) continue;
          expect(publishedAt(dependency), `${dependency} before ${pkg.manifest.name}`).toBeLessThan(
            publishedAt(pkg.manifest.name),
          );
        }
      }
    });

    it('writes real version ranges for workspace dependencies and keeps the manifest complete', () => {
      for (const pkg of published) {
        const manifest = packuments.get(pkg.manifest.name)?.versions[pkg.manifest.version];
        expect(manifest).toBeDefined();
        for (const [dependency, range] of Object.entries(manifest?.dependencies ?? {})) {
          expect(range, dependency).not.toMatch(/^workspace:/);
          if (PUBLISHED_IN_ORDER.includes(dependency)) {
            expect(range).toBe(
              `^${readManifest(join(REPO_ROOT, published.find((p) => p.manifest.name === dependency)?.path ?? '')).version}`,
            );
          }
        }
        expect(manifest).toMatchObject({
          license: 'MIT',
          engines: { node: rootManifest.engines?.node },
          repository: { type: 'git', directory: pkg.path },
        });
        for (const field of ['description', 'homepage', 'bugs', 'keywords'])
          expect(manifest?.[field]).toBeTruthy();
      }
    });

    it('ships LICENSE, README and the built dist in every tarball', async () => {
      for (const pkg of published) {
        const tarballUrl =
          packuments.get(pkg.manifest.name)?.versions[pkg.manifest.version]?.dist.tarball ?? '';
        const tarball = join(work, `${pkg.path.replace('/', '-')}.tgz`);
        await writeFile(tarball, Buffer.from(await (await fetch(tarballUrl)).arrayBuffer()));
        const { stdout } = await run('tar', ['-tzf', tarball]);
        const files = stdout.split('\n');
        expect(files).toEqual(
          expect.arrayContaining(['package/LICENSE', 'package/README.md', 'package/dist/index.js']),
        );
        expect(files.filter((file) => /\.test\.(?:js|d\.ts)$/.test(file))).toEqual([]);
        await run('tar', ['-xzf', tarball, '-C', work, 'package/LICENSE']);
        expect(await readFile(join(work, 'package/LICENSE'), 'utf8')).toBe(
          await readFile(join(REPO_ROOT, 'LICENSE'), 'utf8'),
        );
      }
    });

    it('publishing again skips what the registry already has and succeeds', async () => {
      await publishToRegistry(registry);
      for (const pkg of published) {
        expect(Object.keys((await registry.packument(pkg.manifest.name))?.versions ?? {})).toEqual([
          pkg.manifest.version,
        ]);
      }
    });
  },
);
