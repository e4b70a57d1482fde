import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILT_PACKAGES, staleBuildReason } from '../scripts/dist-freshness.js';
import { REPO_ROOT } from '../test/run-cli.js';

let packagesDir: string;

async function touch(path: string, secondsAgo: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, '');
  const time = new Date(Date.now() - secondsAgo * 1000);
  await utimes(path, time, time);
}

beforeEach(async () => {
  // A workspace whose every package was built (10 s ago) after its sources were last changed (60 s ago).
  packagesDir = await mkdtemp(join(tmpdir(), 'mailprobe-workspace-'));
  for (const { name, output } of BUILT_PACKAGES) {
    await touch(join(packagesDir, name, 'package.json'), 60);
    await touch(join(packagesDir, name, 'src', 'index.ts'), 60);
    await touch(join(packagesDir, name, 'src', 'deep', 'stage.ts'), 60);
    await touch(join(packagesDir, name, output), 10);
  }
});
afterEach(async () => {
  await rm(packagesDir, { recursive: true, force: true });
});

describe('staleBuildReason (which code `pnpm mailprobe` runs)', () => {
  it('runs the build when every dist/ is newer than its sources', () => {
    expect(staleBuildReason(packagesDir)).toBeNull();
  });

  it('falls back to the sources when any shipped source or package.json changed after the build', async () => {
    await touch(join(packagesDir, 'engine', 'src', 'deep', 'stage.ts'), 1);
    expect(staleBuildReason(packagesDir)).toBe('packages/engine/dist is older than its sources');
    await touch(join(packagesDir, 'engine', 'src', 'deep', 'stage.ts'), 60);
    await touch(join(packagesDir, 'cli', 'package.json'), 1);
    expect(staleBuildReason(packagesDir)).toBe('packages/cli/dist is older than its sources');
  });

  it('ignores tests and fixtures, which the build does not ship', async () => {
    await touch(join(packagesDir, 'core', 'src', 'index.test.ts'), 1);
    await touch(join(packagesDir, 'core', 'src', '__fixtures__', 'reply.txt'), 1);
    expect(staleBuildReason(packagesDir)).toBeNull();
  });

  it('falls back when a package was never built', async () => {
    await rm(join(packagesDir, 'prober', 'dist'), { recursive: true });
    expect(staleBuildReason(packagesDir)).toBe('packages/prober/dist/index.js is missing');
  });
});

describe('the workspace bin (`pnpm mailprobe`)', () => {
  it('answers --version, whichever code it runs', async () => {
    const { version } = JSON.parse(await readFile(join(REPO_ROOT, 'packages/cli/package.json'), 'utf8'));
    const run = spawnSync(process.execPath, ['packages/cli/scripts/workspace-bin.js', '--version'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    });
    expect([run.status, run.stdout, run.stderr]).toEqual([0, `${version}\n`, '']);
  });
});
