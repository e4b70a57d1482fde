import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProber } from '@mailprobe/prober';
import { type FakeInternet, nodeBinary, startFakeInternet } from '@mailprobe/test-kit';
import type { Log } from 'sarif';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BundleRun, runBundle } from '../test/run-bundle.js';
import { sarifSchemaErrors } from '../test/sarif-schema.js';
import type { Report } from './report/report.js';

// The fake internet behind the fixtures in src/__fixtures__/workspace.
const MAILBOXES = ['ana', 'bob', 'carol', 'dave', 'support'].map((name) => `${name}@acme-mail.dev`);

const where = (run: BundleRun) =>
  run.annotations
    .filter((annotation) => annotation.file !== undefined)
    .map(({ level, file, line, col }) => `${level} ${file}:${line}:${col}`);

// The runner hides whatever `::add-mask::` names from the log; every other line must not contain the key.
const withoutMaskCommands = (stdout: string) =>
  stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');

const readReport = async (run: BundleRun): Promise<Report> =>
  JSON.parse(await readFile(run.outputs.report ?? '', 'utf8')) as Report;

describe('the committed bundle, run as a runner runs it', () => {
  let internet: FakeInternet;
  let prober: Awaited<ReturnType<typeof startProber>>;
  let apiKey: string;

  beforeAll(async () => {
    internet = await startFakeInternet({
      domains: {
        'acme-mail.dev': {
          mx: [{ host: 'mx.acme-mail.dev', smtp: { mailboxes: MAILBOXES, full: ['full@acme-mail.dev'] } }],
        },
        'gone-domain.dev': { nxdomain: true },
        'null-mx.dev': { nullMx: true },
      },
    });
    prober = await startProber({ engine: internet.engineOptions });
    apiKey = await prober.createKey('github-action-tests');
  });
  afterAll(async () => {
    await prober?.close();
    await internet?.close();
  });

  const probe = (inputs: Record<string, string>) =>
    runBundle({ files: 'fixtures/**', 'api-url': prober.url, 'api-key': apiKey, ...inputs });

  describe('probe mode over every fixture format', () => {
    let run: BundleRun;
    beforeAll(async () => {
      run = await probe({});
    });

    it('fails the step on INVALID addresses (fail-on: invalid, the default)', () => {
      expect(run.stderr).toBe('');
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toContain('::error::3 addresses failed the check (fail-on: invalid)');
    });

    it('annotates each failing occurrence at its exact file, line and column', () => {
      expect(where(run)).toEqual([
        'error fixtures/notes.txt:2:21',
        'error fixtures/users.csv:3:6',
        'error fixtures/users.json:4:34',
        'warning fixtures/users.yaml:6:13',
      ]);
      const ghost = run.annotations.find((annotation) => annotation.file === 'fixtures/users.json');
      expect(ghost?.title).toBe('Mailprobe: invalid address');
      expect(ghost?.message).toMatch(
        /^ghost@acme-mail\.dev: invalid address: INVALID \(mailbox_not_found\)\. .*Evidence: 550 5\.1\.1/,
      );
      const syntax = run.annotations.find((annotation) => annotation.file === 'fixtures/users.csv');
      expect(syntax?.message).toMatch(
        /^john\.\.doe@acme-mail\.dev: invalid address: INVALID \(invalid_syntax\)/,
      );
      const full = run.annotations.find((annotation) => annotation.level === 'warning');
      expect(full?.message).toMatch(/^full@acme-mail\.dev: unknown address: UNKNOWN \(mailbox_full\)/);
    });

    it('sets the outputs', () => {
      expect(run.outputs).toEqual({
        total: '11',
        valid: '5',
        invalid: '5',
        unknown: '1',
        failed: '3',
        report: join(run.temp, 'mailprobe-report.json'),
      });
    });

    it('writes a job summary with counts and a problems table', () => {
      expect(run.summary).toContain('## Mailprobe: ❌ 3 failing');
      expect(run.summary).toContain('| 11 | 5 | 5 | 1 | 3 | 1 | 1 |');
      expect(run.summary).toMatch(
        /\| ❌ \| ghost@acme-mail\.dev \| `fixtures\/users\.json:4:34` \| INVALID `mailbox_not_found` \|/,
      );
      expect(run.summary).toMatch(
        /\| ⚠️ \| full@acme-mail\.dev \| `fixtures\/users\.yaml:6:13` \| UNKNOWN `mailbox_full` \|/,
      );
    });

    it('writes a JSON report with every address, verdict and location', async () => {
      const report = await readReport(run);
      expect(report).toMatchObject({ version: 1, mode: 'probe', failOn: 'invalid' });
      expect(report.ignored).toEqual([
        {
          address: 'placeholder@example.com',
          locations: [{ file: 'fixtures/users.json', line: 5, column: 40 }],
        },
      ]);
      const verdicts = Object.fromEntries(
        report.addresses.map((address) => [address.address, `${address.status} ${address.reason}`]),
      );
      expect(verdicts).toEqual({
        'ana@ACME-mail.dev': 'VALID accepted',
        'support@acme-mail.dev': 'VALID accepted',
        'carol@acme-mail.dev': 'VALID accepted',
        'lost@acme-mail.dev': 'INVALID mailbox_not_found',
        'dave@acme-mail.dev': 'VALID accepted',
        'john..doe@acme-mail.dev': 'INVALID invalid_syntax',
        'ghost@acme-mail.dev': 'INVALID mailbox_not_found',
        'nobody@gone-domain.dev': 'INVALID domain_not_found',
        'info@null-mx.dev': 'INVALID null_mx',
        'bob@acme-mail.dev': 'VALID accepted',
        'full@acme-mail.dev': 'UNKNOWN mailbox_full',
      });
      const ana = report.addresses.find((address) => address.address === 'ana@ACME-mail.dev');
      expect(
        ana?.locations.map(({ file, line, column, expected }) => ({ file, line, column, expected })),
      ).toEqual([
        { file: 'fixtures/.env.test', line: 2, column: 13, expected: null },
        { file: 'fixtures/users.json', line: 3, column: 32, expected: null },
        { file: 'fixtures/users.ts', line: 2, column: 13, expected: 'valid' },
      ]);
      const ghost = report.addresses.find((address) => address.address === 'ghost@acme-mail.dev');
      expect(
        ghost?.locations.map(
          (location) => `${location.file}:${location.line} ${location.expected} ${location.outcome}`,
        ),
      ).toEqual([
        'fixtures/users.csv:4 invalid pass',
        'fixtures/users.json:4 null fail',
        'fixtures/users.ts:3 mailbox_not_found pass',
      ]);
    });

    it('never sends the comment-only address', async () => {
      const report = await readReport(run);
      expect(report.addresses.some((address) => address.address.startsWith('legacy@'))).toBe(false);
      const commands = Object.values(internet.smtp).flatMap((server) =>
        server.sessions.flatMap((session) => session.commands),
      );
      expect(commands.some((command) => command.includes('legacy@'))).toBe(false);
      expect(commands.some((command) => /^DATA/i.test(command))).toBe(false);
    });
  });

  describe('SARIF for code scanning', () => {
    let run: BundleRun;
    let sarifDirectory: string;
    beforeAll(async () => {
      sarifDirectory = await mkdtemp(join(tmpdir(), 'mailprobe-action-sarif-'));
      run = await probe({ sarif: 'true', 'sarif-path': join(sarifDirectory, 'results', 'mailprobe.sarif') });
    });
    afterAll(() => rm(sarifDirectory, { recursive: true, force: true }));

    it('writes a schema-valid SARIF 2.1.0 log and names it in the `sarif` output', async () => {
      expect(run.outputs.sarif).toBe(join(sarifDirectory, 'results', 'mailprobe.sarif'));
      const log = JSON.parse(await readFile(run.outputs.sarif ?? '', 'utf8')) as Log;
      expect(await sarifSchemaErrors(log)).toEqual([]);
    });

    it('has one result per annotation, at the same places and levels', async () => {
      const log = JSON.parse(await readFile(run.outputs.sarif ?? '', 'utf8')) as Log;
      const results = (log.runs[0]?.results ?? []).map((result) => {
        const physical = result.locations?.[0]?.physicalLocation;
        return `${result.level} ${physical?.artifactLocation?.uri}:${physical?.region?.startLine}:${physical?.region?.startColumn}`;
      });
      expect(results).toEqual(where(run));
    });

    it('is not written unless asked for', async () => {
      const plain = await probe({ files: 'fixtures/users.json' });
      expect(plain.outputs.sarif).toBeUndefined();
    });
  });

  // action.yml says node24 and Zapier-style hosts run 22: the committed bundle must behave the same there.
  describe.each([22, 24])('under Node %i', (major) => {
    let run: BundleRun;
    let version: string;
    beforeAll(async () => {
      const node = await nodeBinary(major);
      version = (await import('node:child_process')).execFileSync(node, ['--version'], { encoding: 'utf8' });
      run = await runBundle({ files: 'fixtures/**', 'api-url': prober.url, 'api-key': apiKey }, { node });
    }, 240_000);

    it('runs the bundle to the same verdicts, annotations and outputs', () => {
      expect(version.startsWith(`v${major}.`)).toBe(true);
      expect(run.stderr).toBe('');
      expect(run.exitCode).toBe(1);
      expect(where(run)).toEqual([
        'error fixtures/notes.txt:2:21',
        'error fixtures/users.csv:3:6',
        'error fixtures/users.json:4:34',
        'warning fixtures/users.yaml:6:13',
      ]);
      expect(run.outputs).toMatchObject({ total: '11', valid: '5', invalid: '5', unknown: '1', failed: '3' });
    });
  });

  it('fail-on: unknown also fails on UNKNOWN addresses', async () => {
    const run = await probe({ 'fail-on': 'unknown' });
    expect(run.exitCode).toBe(1);
    expect(where(run)).toEqual([
      'error fixtures/notes.txt:2:21',
      'error fixtures/users.csv:3:6',
      'error fixtures/users.json:4:34',
      'error fixtures/users.yaml:6:13',
    ]);
    expect(run.outputs.failed).toBe('4');
  });

  it('fail-on: none only warns and succeeds', async () => {
    const run = await probe({ 'fail-on': 'none' });
    expect(run.exitCode).toBe(0);
    expect(where(run).every((annotation) => annotation.startsWith('warning '))).toBe(true);
    expect(where(run)).toHaveLength(4);
    expect(run.outputs).toMatchObject({ total: '11', invalid: '5', failed: '0' });
    expect(run.summary).toContain('## Mailprobe: ✅ no failures');
  });

  it('checks stated expectations instead of the policy, even with fail-on: none', async () => {
    const run = await probe({ files: 'expectations/*.yaml', 'fail-on': 'none' });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.filter((annotation) => annotation.file)).toEqual([
      {
        level: 'error',
        file: 'expectations/wrong.yaml',
        line: 1,
        col: 10,
        title: 'Mailprobe: expectation not met',
        message: expect.stringMatching(/^ana@acme-mail\.dev: expected INVALID, got VALID \(accepted\)\./),
      },
    ]);
    expect(run.outputs).toMatchObject({ total: '2', valid: '1', invalid: '1', failed: '1' });
  });

  it('passes when every expectation is met, even with fail-on: unknown', async () => {
    const run = await probe({
      files: 'fixtures/users.json',
      'fail-on': 'unknown',
      ignore: 'ghost@acme-mail.dev',
    });
    expect(run.exitCode).toBe(0);
    expect(run.annotations).toEqual([]);
    expect(run.outputs).toMatchObject({ total: '4', valid: '2', invalid: '2', failed: '0' });
  });

  it('honours ignore entries and ignore-reserved: false', async () => {
    const run = await probe({
      files: 'fixtures/users.json',
      'ignore-reserved': 'false',
      ignore: 'acme-mail.dev, *.dev',
      'fail-on': 'none',
    });
    const report = await readReport(run);
    expect(report.addresses.map((address) => address.address)).toEqual(['placeholder@example.com']);
    expect(report.counts.ignored).toBe(5);
  });

  describe('fails clearly on bad inputs', () => {
    it.each([
      [{ files: 'nothing/**/*.json' }, 'No files matched "nothing/**/*.json"'],
      [{ files: 'fixtures/{users.json' }, 'Bad glob "fixtures/{users.json" in "files"'],
      [{ 'fail-on': 'sometimes' }, 'Input "fail-on" must be one of invalid, unknown, none'],
      [{ 'max-addresses': '3' }, 'Found 11 distinct addresses to verify, more than max-addresses (3)'],
    ])('%j', async (inputs, message) => {
      const run = await probe(inputs);
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toContain(`::error::${message}`);
      expect(run.outputs).toEqual({});
    });

    it('a rejected api key', async () => {
      const run = await probe({ 'api-key': 'mp_not_a_real_key' });
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toMatch(
        /::error::The Mailprobe endpoint at http:\/\/127\.0\.0\.1:\d+ rejected the api-key \(401 unauthorized/,
      );
      expect(run.stdout).toContain('::add-mask::mp_not_a_real_key');
      expect(withoutMaskCommands(run.stdout)).not.toContain('mp_not_a_real_key');
    });

    it('an unreachable endpoint', async () => {
      const run = await probe({ 'api-url': 'http://127.0.0.1:9' });
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toMatch(
        /::error::Could not reach the Mailprobe endpoint at http:\/\/127\.0\.0\.1:9 \(network_error/,
      );
      expect(withoutMaskCommands(run.stdout)).not.toContain(apiKey);
    });
  });

  describe('offline mode (syntax + MX only) against the fake DNS', () => {
    let run: BundleRun;
    beforeAll(async () => {
      run = await runBundle({ files: 'fixtures/**', 'dns-servers': internet.dns.server });
    });

    it('needs no key and finds syntax and domain problems', async () => {
      expect(run.exitCode).toBe(1);
      expect(where(run)).toEqual([
        'error fixtures/users.csv:3:6',
        'warning fixtures/users.csv:4:7',
        'warning fixtures/users.ts:3:13',
      ]);
      expect(run.outputs).toMatchObject({ total: '11', valid: '8', invalid: '3', unknown: '0', failed: '1' });
      const report = await readReport(run);
      expect(report.mode).toBe('offline');
      const verdicts = Object.fromEntries(
        report.addresses.map((address) => [address.address, `${address.status} ${address.reason}`]),
      );
      expect(verdicts).toMatchObject({
        'ghost@acme-mail.dev': 'VALID null',
        'john..doe@acme-mail.dev': 'INVALID invalid_syntax',
        'nobody@gone-domain.dev': 'INVALID domain_not_found',
        'info@null-mx.dev': 'INVALID null_mx',
      });
      expect(run.summary).toContain('Mode `offline`');
    });

    it('asks only DNS, never SMTP', () => {
      const queried = internet.dns.queries.map((query) => `${query.type} ${query.name}`);
      expect(queried).toEqual(
        expect.arrayContaining(['MX acme-mail.dev', 'MX gone-domain.dev', 'MX null-mx.dev']),
      );
    });
  });
});
