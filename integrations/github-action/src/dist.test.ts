import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildAction } from '../scripts/build.mjs';
import { BUNDLE } from '../test/run-bundle.js';

describe('dist/index.js', () => {
  const directories: string[] = [];
  afterAll(async () => {
    for (const directory of directories) await rm(directory, { recursive: true, force: true });
  });

  it('is exactly what the build produces from the current sources (run `pnpm --filter @mailprobe/github-action build`)', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'mailprobe-action-dist-'));
    directories.push(directory);
    const fresh = join(directory, 'index.js');
    await buildAction(fresh);
    const committed = await readFile(BUNDLE);
    const rebuilt = await readFile(fresh);
    expect(committed.length, 'dist/index.js is stale: rebuild and commit it').toBe(rebuilt.length);
    expect(committed.equals(rebuilt), 'dist/index.js is stale: rebuild and commit it').toBe(true);
  });

  it('builds deterministically', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'mailprobe-action-dist-'));
    directories.push(directory);
    await buildAction(join(directory, 'a.js'));
    await buildAction(join(directory, 'b.js'));
    expect((await readFile(join(directory, 'a.js'))).equals(await readFile(join(directory, 'b.js')))).toBe(
      true,
    );
  });
});
