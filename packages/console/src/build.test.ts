import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const COMMITTED = fileURLToPath(new URL('../../prober/console/', import.meta.url));

async function files(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

describe('the console build shipped in packages/prober/console', () => {
  const temporary: string[] = [];
  afterAll(async () => {
    for (const directory of temporary) await rm(directory, { recursive: true, force: true });
  });

  it('is exactly what `pnpm --filter @mailprobe/console build` makes from the current sources', async () => {
    const out = await mkdtemp(join(tmpdir(), 'mailprobe-console-'));
    temporary.push(out);
    await run(
      process.execPath,
      [join(PACKAGE, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'],
      {
        cwd: PACKAGE,
        // vitest runs with NODE_ENV=test, which would make Vite build a different bundle.
        env: { ...process.env, NODE_ENV: 'production', MAILPROBE_CONSOLE_OUT: out },
      },
    );
    const built = await files(out);
    expect(
      await files(COMMITTED),
      'packages/prober/console is stale: rebuild the console and commit it',
    ).toEqual(built);
    for (const file of built) {
      const same = (await readFile(join(out, file))).equals(await readFile(join(COMMITTED, file)));
      expect(same, `${file} differs: rebuild the console and commit it`).toBe(true);
    }
  }, 120_000);

  it('loads nothing from another origin and has no inline script', async () => {
    for (const page of ['index.html', 'docs.html']) {
      const html = await readFile(join(COMMITTED, page), 'utf8');
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
    }
    const redoc = await readFile(join(COMMITTED, 'docs', 'redoc.standalone.js'), 'utf8');
    expect(redoc).not.toContain('cdn.redoc.ly');
  });
});
