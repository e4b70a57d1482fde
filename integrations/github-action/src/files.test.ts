import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFiles, globProblem } from './files.js';

describe('findFiles', () => {
  let workspace: string;

  beforeAll(async () => {
    workspace = await mkdtemp(join(tmpdir(), 'mailprobe-files-'));
    for (const file of [
      'fixtures/a.json',
      'fixtures/b.yml',
      'fixtures/.env',
      'fixtures/skip.json',
      'node_modules/x/c.json',
    ]) {
      await mkdir(join(workspace, file, '..'), { recursive: true });
      await writeFile(join(workspace, file), '{}');
    }
  });
  afterAll(() => rm(workspace, { recursive: true, force: true }));

  it('matches globs (dot files included), excludes "!" globs and node_modules, sorted', async () => {
    expect(
      await findFiles(['**/*.json', 'fixtures/*.yml', 'fixtures/.env*', '!**/skip.json'], workspace),
    ).toEqual(['fixtures/.env', 'fixtures/a.json', 'fixtures/b.yml']);
  });

  it('fails clearly when nothing matches', async () => {
    await expect(findFiles(['nope/**/*.json'], workspace)).rejects.toMatchObject({
      code: 'no_files_matched',
      message: expect.stringMatching(/No files matched "nope\/\*\*\/\*\.json"/),
    });
  });

  it('rejects bad globs before searching', async () => {
    await expect(findFiles(['fixtures/{a,b.json'], workspace)).rejects.toMatchObject({ code: 'bad_glob' });
    await expect(findFiles(['!fixtures/a.json'], workspace)).rejects.toMatchObject({ code: 'bad_glob' });
  });
});

describe('globProblem', () => {
  it.each([
    ['fixtures/**/*.{json,yml}', null],
    ['a/[ab].json', null],
    ['a/\\{literal.json', null],
    ['/etc/*.json', /absolute/],
    ['../other/*.json', /leaves the workspace/],
    ['a/{b,c/*.json', /unbalanced/],
    ['a/[b.json', /unbalanced/],
    ['!', /empty/],
  ])('%s', (pattern, problem) => {
    const found = globProblem(pattern);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toMatch(problem);
  });
});
