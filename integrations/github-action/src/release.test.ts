import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tagRelease, tagsFor } from '../scripts/tag-release.mjs';

describe('tagsFor', () => {
  it('gives the immutable release tag and the moving major and minor tags users pin', () => {
    expect(tagsFor('1.4.2')).toEqual({ release: 'github-action@v1.4.2', moving: ['v1', 'v1.4'] });
    expect(tagsFor('0.1.0')).toEqual({ release: 'github-action@v0.1.0', moving: ['v0', 'v0.1'] });
  });

  it.each(['1.0', 'v1.0.0', '1.0.0-beta.1', '01.0.0', ''])('refuses %j', (version) => {
    expect(() => tagsFor(version)).toThrow(/Not a release version/);
  });
});

describe('tagRelease, on a real repository with a remote', () => {
  let directory: string;
  let work: string;
  let origin: string;
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
  const commit = async (message: string) => {
    await writeFile(join(work, 'file.txt'), message);
    git(work, 'add', '.');
    git(work, '-c', 'user.name=t', '-c', 'user.email=t@t.test', 'commit', '-qm', message);
    return git(work, 'rev-parse', 'HEAD');
  };
  const tagged = (cwd: string, tag: string) => git(cwd, 'rev-list', '-n', '1', tag);

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'mailprobe-tag-release-'));
    origin = join(directory, 'origin.git');
    work = join(directory, 'work');
    git(directory, 'init', '-q', '--bare', origin);
    git(directory, 'init', '-q', work);
    git(work, 'remote', 'add', 'origin', origin);
    git(work, 'config', 'user.name', 'release-bot');
    git(work, 'config', 'user.email', 'bot@mailprobe.test');
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it('tags a new version once, pushes it, and moves vX and vX.Y with later releases', async () => {
    const first = await commit('1.0.0');
    expect(tagRelease({ cwd: work, push: true, version: '1.0.0' }).created).toBe(true);
    expect(tagged(origin, 'github-action@v1.0.0')).toBe(first);
    expect(tagged(origin, 'v1')).toBe(first);
    expect(tagged(origin, 'v1.0')).toBe(first);

    // The same version again (a merge with nothing to release) tags nothing.
    await commit('docs only');
    expect(tagRelease({ cwd: work, push: true, version: '1.0.0' })).toMatchObject({
      created: false,
      commands: [],
    });
    expect(tagged(origin, 'v1')).toBe(first);

    const second = await commit('1.1.0');
    tagRelease({ cwd: work, push: true, version: '1.1.0' });
    expect(tagged(origin, 'v1')).toBe(second);
    expect(tagged(origin, 'v1.1')).toBe(second);
    expect(tagged(origin, 'v1.0')).toBe(first);
    expect(tagged(origin, 'github-action@v1.0.0')).toBe(first);
  });

  it('--dry-run only lists the commands', async () => {
    const result = tagRelease({ cwd: work, dryRun: true, push: true, version: '2.0.0' });
    expect(result.commands[0]).toMatch(/^git tag -a github-action@v2\.0\.0/);
    expect(git(work, 'tag', '--list', 'github-action@v2.0.0')).toBe('');
  });
});
