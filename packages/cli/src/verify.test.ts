import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESULT_CSV_COLUMNS, VerificationResultSchema } from '@mailprobe/core';
import { type FakeInternet, startFakeInternet, startMicrosocks } from '@mailprobe/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, runCli } from '../test/run-cli.js';

/** Tests that start the CLI three times in a row get more time than the default on a busy machine. */
const MULTI_RUN_TIMEOUT_MS = 90_000;

/** Runs the real `mailprobe` command in a child process, as `pnpm mailprobe` does. */
function mailprobe(args: string[], env: Record<string, string> = {}, stdin = ''): Promise<CliRun> {
  return runCli(args, { env, stdin });
}

describe('mailprobe verify (the real CLI on the fake internet)', () => {
  let internet: FakeInternet;
  let env: Record<string, string>;
  let directory: string;

  beforeAll(async () => {
    internet = await startFakeInternet({
      domains: {
        'ok.test': { mx: [{ host: 'mx.ok.test', smtp: { mailboxes: ['alice@ok.test', 'bob@ok.test'] } }] },
        'gone.test': { nxdomain: true },
        'grey.test': {
          mx: [{ host: 'mx.grey.test', smtp: { mailboxes: ['dave@grey.test'], greylistMs: 60_000 } }],
        },
      },
    });
    // The whole engine configuration through environment variables named after the flags.
    env = {
      MAILPROBE_DNS_SERVERS: internet.engineOptions.dnsServers.join(','),
      MAILPROBE_PORTS: String(internet.port),
      MAILPROBE_FALLBACK_PORTS: '',
      MAILPROBE_ALLOW_PRIVATE_TARGETS: '1',
      MAILPROBE_HELO_NAME: 'probe.mailprobe.test',
      MAILPROBE_TIMEOUT_MS: '5000',
    };
    directory = await mkdtemp(join(tmpdir(), 'mailprobe-cli-'));
  });

  afterAll(async () => {
    await internet?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  const jsonLines = (stdout: string) =>
    stdout
      .trimEnd()
      .split('\n')
      .map((line) => VerificationResultSchema.parse(JSON.parse(line)));

  it('--format jsonl prints exactly one result per input address, in input order, and nothing else', async () => {
    const inputs = [
      'nobody@ok.test',
      'alice@ok.test',
      'someone@gone.test',
      'not an address',
      'alice@ok.test',
    ];
    const run = await mailprobe(['verify', ...inputs, '--format', 'jsonl'], env);
    expect(run.code).toBe(0);
    const results = jsonLines(run.stdout);
    expect(results.map((result) => [result.address, result.reason])).toEqual([
      ['nobody@ok.test', 'mailbox_not_found'],
      ['alice@ok.test', 'accepted'],
      ['someone@gone.test', 'domain_not_found'],
      ['not an address', 'invalid_syntax'],
      ['alice@ok.test', 'accepted'],
    ]);
  });

  it('warns once on stderr when the HELO name in use is not fully qualified, naming the setting', async () => {
    const run = await mailprobe(['verify', 'alice@ok.test', 'bob@ok.test', '--helo-name', 'vm'], env);
    expect(run.code).toBe(0);
    const warnings = run.stderr.split('\n').filter((line) => line.startsWith('warning: HELO name'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/HELO name vm is not fully qualified.*MAILPROBE_HELO_NAME \(--helo-name/);
    expect(jsonLines(run.stdout).map((result) => result.reason)).toEqual(['accepted', 'accepted']);
  });

  it('prints jsonl by default when stdout is not a terminal', async () => {
    const run = await mailprobe(['verify', 'alice@ok.test'], env);
    expect(jsonLines(run.stdout)).toHaveLength(1);
  });

  it(
    'exits 1 with --fail-on when a result matches, 0 otherwise',
    async () => {
      expect(
        (await mailprobe(['verify', 'alice@ok.test', 'x@gone.test', '--fail-on', 'invalid'], env)).code,
      ).toBe(1);
      expect(
        (await mailprobe(['verify', 'alice@ok.test', 'dave@grey.test', '--fail-on', 'invalid'], env)).code,
      ).toBe(0);
      expect(
        (await mailprobe(['verify', 'alice@ok.test', 'dave@grey.test', '--fail-on', 'unknown'], env)).code,
      ).toBe(1);
    },
    MULTI_RUN_TIMEOUT_MS,
  );

  it(
    'reads a plain list from --file, a CSV column with --column, and stdin with -',
    async () => {
      const list = join(directory, 'list.txt');
      await writeFile(list, 'alice@ok.test\n\nbob@ok.test\n');
      const csv = join(directory, 'leads.csv');
      await writeFile(csv, 'name,work email\nAlice,alice@ok.test\n"Doe, John",john@ok.test\n');
      const fromFile = await mailprobe(['verify', '--file', list], env);
      expect(jsonLines(fromFile.stdout).map((result) => result.address)).toEqual([
        'alice@ok.test',
        'bob@ok.test',
      ]);
      const fromCsv = await mailprobe(
        ['verify', '--file', csv, '--column', 'work email', '--format', 'csv'],
        env,
      );
      const [header, ...rows] = fromCsv.stdout.trimEnd().split('\n');
      expect(header).toBe(RESULT_CSV_COLUMNS.join(','));
      expect(rows.map((row) => row.split(',').slice(0, 4).join(','))).toEqual([
        'alice@ok.test,alice@ok.test,VALID,accepted',
        'john@ok.test,john@ok.test,INVALID,mailbox_not_found',
      ]);
      const fromStdin = await mailprobe(
        ['verify', '-', '--format', 'json'],
        env,
        'bob@ok.test\nx@gone.test\n',
      );
      expect(
        (JSON.parse(fromStdin.stdout) as Array<{ reason: string }>).map((result) => result.reason),
      ).toEqual(['accepted', 'domain_not_found']);
    },
    MULTI_RUN_TIMEOUT_MS,
  );

  it('prints a readable table when asked', async () => {
    const run = await mailprobe(['verify', 'alice@ok.test', 'x@gone.test', '--format', 'table'], env);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ADDRESS\s+STATUS\s+REASON\s+PROVIDER\s+MX\s+DETAIL$/);
    expect(lines[1]).toMatch(/^alice@ok\.test\s+VALID\s+accepted\s+other\s+mx\.ok\.test\s+250/);
    expect(lines[2]).toMatch(/^x@gone\.test\s+INVALID\s+domain_not_found/);
  });

  it('takes flags over environment variables, and binds to --source-address', async () => {
    const run = await mailprobe(
      [
        'verify',
        'alice@ok.test',
        '--source-address',
        '127.0.2.9',
        '--helo-name',
        'flag.mailprobe.test',
        '--port',
        String(internet.port),
      ],
      { ...env, MAILPROBE_PORTS: '1' },
    );
    expect(jsonLines(run.stdout)[0]).toMatchObject({
      reason: 'accepted',
      smtp: { sourceAddress: '127.0.2.9', heloName: 'flag.mailprobe.test' },
    });
    expect(internet.smtp['mx.ok.test']?.sessions.at(-1)?.clientAddress).toBe('127.0.2.9');
  });

  it('sends every session through --proxy, greeting with --proxy-helo-name, and never prints the password', async () => {
    const proxy = await startMicrosocks({
      egressAddress: '127.0.6.1',
      auth: { user: 'cli', password: 'cli-s3cret' },
    });
    try {
      const run = await mailprobe(
        [
          'verify',
          'alice@ok.test',
          '--proxy',
          `eu=${proxy.url}`,
          '--proxy-helo-name',
          'eu=egress.mailprobe.test',
        ],
        env,
      );
      expect(jsonLines(run.stdout)[0]).toMatchObject({
        reason: 'accepted',
        smtp: { heloName: 'egress.mailprobe.test', proxy: { name: 'eu', failure: null } },
      });
      expect(internet.smtp['mx.ok.test']?.sessions.at(-1)?.clientAddress).toBe('127.0.6.1');
      const refused = await mailprobe(
        ['verify', 'alice@ok.test', '--proxy', 'eu=http://u:cli-s3cret@h:1'],
        env,
      );
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('only socks5:// proxies');
      expect(`${run.stdout}${run.stderr}${refused.stderr}`).not.toContain('cli-s3cret');
    } finally {
      await proxy.close();
    }
  });

  it.each([
    [['verify'], 'no addresses given'],
    [['verify', 'a@ok.test', '--no-such-flag'], "unknown option '--no-such-flag'"],
    [['verify', 'a@ok.test', '--format', 'xml'], 'Allowed choices are table, json, jsonl, csv'],
    [['verify', 'a@ok.test', '--source-address', 'not-an-ip'], 'invalid --source-address'],
    [['verify', '--file', '/no/such/file'], 'cannot read --file'],
    [['verify', 'a@ok.test', '--concurrency', '0'], "option '--concurrency <n>' argument '0' is invalid"],
  ])('exits 2 with a clear message for %j', async (args, message) => {
    const run = await mailprobe(args, env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });

  it('exits 2 on a bad environment variable, naming it', async () => {
    const run = await mailprobe(['verify', 'a@ok.test'], { ...env, MAILPROBE_MAX_SESSIONS_PER_MX: 'two' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('MAILPROBE_MAX_SESSIONS_PER_MX');
  });
});
