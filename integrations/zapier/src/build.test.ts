import { execFile } from 'node:child_process';
import { appendFile, cp, lstat, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppTester } from 'zapier-platform-core';
import { buildApp } from '../scripts/build.mjs';
import { LEADS, type LiveService, startLiveService } from '../test/live-service.js';
import { publishingProblems } from '../test/publishing-checks.js';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const zapierCli = path.join(packageDir, 'node_modules/zapier-platform-cli/src/bin/run');
const BUILD_TIMEOUT_MS = 120_000;

let appDir: string;
let home: string;

beforeAll(async () => {
  // Inside the package, so the built app finds zapier-platform-core the way `zapier validate` does: by walking up.
  appDir = await buildApp(`build/test-${process.pid}-${Date.now()}`);
  home = await mkdtemp(path.join(tmpdir(), 'mailprobe-zapier-home-'));
}, BUILD_TIMEOUT_MS);
afterAll(async () => {
  await rm(appDir, { recursive: true, force: true });
  await rm(`${appDir}-broken`, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
});

/** `zapier validate --without-style` in `dir`, offline: no analytics, no update check, no user config. */
async function zapierValidate(dir: string): Promise<{ code: number; output: string }> {
  const env = {
    ...process.env,
    HOME: home,
    DISABLE_ZAPIER_ANALYTICS: '1',
    NO_UPDATE_NOTIFIER: '1',
    NO_COLOR: '1',
  };
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [zapierCli, 'validate', '--without-style', '--skip-build'],
      {
        cwd: dir,
        env,
        timeout: BUILD_TIMEOUT_MS,
      },
    );
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('the built app folder', () => {
  it('holds index.js and a package.json that depends only on zapier-platform-core, with no symlinks', async () => {
    const entries = await readdir(appDir);
    expect(entries.sort()).toEqual(['index.js', 'package.json']);
    for (const entry of entries) expect((await lstat(path.join(appDir, entry))).isSymbolicLink()).toBe(false);
    const manifest = JSON.parse(await readFile(path.join(appDir, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({ main: 'index.js', dependencies: { 'zapier-platform-core': '19.1.0' } });
    expect(Object.keys(manifest.dependencies)).toEqual(['zapier-platform-core']);
    expect(manifest.type).toBeUndefined();
    const bundle = await readFile(path.join(appDir, 'index.js'), 'utf8');
    const required = [...bundle.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]);
    expect(new Set(required.filter((name) => !name?.startsWith('node:')))).toEqual(
      new Set(['zapier-platform-core']),
    );
  });

  it(
    'passes `zapier validate --without-style` offline',
    async () => {
      const { code, output } = await zapierValidate(appDir);
      expect(output).toContain('This project is structurally sound!');
      expect(code).toBe(0);
    },
    BUILD_TIMEOUT_MS,
  );

  it(
    'is checked for real: a structurally broken copy fails validation',
    async () => {
      const broken = `${appDir}-broken`;
      await cp(appDir, broken, { recursive: true });
      await appendFile(path.join(broken, 'index.js'), '\nmodule.exports.creates.verify_email.noun = 42;\n');
      const { code, output } = await zapierValidate(broken);
      expect(output).toMatch(/structurally invalid/);
      expect(output).toMatch(/verify_email/);
      expect(code).toBe(1);
    },
    BUILD_TIMEOUT_MS,
  );

  it('passes the published integration checks that can run offline (style checks need Zapier’s servers)', () => {
    const built = createRequire(import.meta.url)(path.join(appDir, 'index.js'));
    expect(publishingProblems(built)).toEqual([]);
    expect(built.triggers.bulk_verification_completed.operation.type).toBe('hook');
    expect(Object.keys(built.hydrators)).toEqual(['hydrateJobResultsCsv']);
  });

  describe('loaded as Zapier loads it (CommonJS require)', () => {
    let service: LiveService;
    beforeAll(async () => {
      service = await startLiveService();
    });
    afterAll(() => service?.close());

    it('exports the app itself and verifies a lead against the real prober', async () => {
      const built = createRequire(import.meta.url)(path.join(appDir, 'index.js'));
      expect(Object.keys(built.creates).sort()).toEqual(['start_bulk_verification', 'verify_email']);
      expect(Object.keys(built.searches)).toEqual(['find_email_verification']);
      expect(Object.keys(built.triggers)).toEqual(['bulk_verification_completed']);
      const appTester = createAppTester(built);
      const authData = await service.connect('built app');
      const result = await appTester(built.creates.verify_email.operation.perform, {
        authData,
        inputData: { email: LEADS.invalid },
      });
      expect(result).toMatchObject({ status: 'INVALID', reason: 'mailbox_not_found', is_invalid: true });
    });
  });
});
