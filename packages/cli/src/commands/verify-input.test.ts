// The `verify` command's promises about its input and output, on the real CLI in a child process: one record per
// input line, bad files refused with one line and exit 2, `--column`, `--keep-columns`, and a closed stdout.
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JOB_RESULT_CSV_COLUMNS, VerificationResultSchema } from '@mailprobe/core';
import { type FakeInternet, startFakeInternet } from '@mailprobe/test-kit';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_NODE_ARGS, REPO_ROOT, runCli } from '../../test/run-cli.js';

/** The unprivileged user a test started as root runs the CLI as, to meet a real permission error. */
/** Enough output (about 1.5 MB of JSON lines) that the CLI is still writing when `head` has gone. */
const EPIPE_ROWS = 3000;

let internet: FakeInternet;
let env: Record<string, string>;
let directory: string;

beforeAll(async () => {
  internet = await startFakeInternet({
    domains: {
      'ok.test': {
        mx: [{ host: 'mx.ok.test', smtp: { mailboxes: ['alice@ok.test', 'bob@ok.test', '#hash@ok.test'] } }],
      },
      'gone.test': { nxdomain: true },
    },
  });
  env = {
    MAILPROBE_DNS_SERVERS: internet.engineOptions.dnsServers.join(','),
    MAILPROBE_PORTS: String(internet.port),
    MAILPROBE_FALLBACK_PORTS: '',
    MAILPROBE_ALLOW_PRIVATE_TARGETS: '1',
    MAILPROBE_HELO_NAME: 'probe.mailprobe.test',
    MAILPROBE_TIMEOUT_MS: '5000',
  };
  directory = await mkdtemp(join(tmpdir(), 'mailprobe-cli-input-'));
  // Readable by the unprivileged user too, so its permission error is the file's own.
  await chmod(directory, 0o755);
});

afterAll(async () => {
  await internet?.close();
  if (directory) await rm(directory, { recursive: true, force: true });
});

async function file(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(directory, name);
  await writeFile(path, content);
  return path;
}

const jsonLines = (stdout: string) =>
  stdout
    .trimEnd()
    .split('\n')
    .map((line) => VerificationResultSchema.parse(JSON.parse(line)));

describe('mailprobe verify: one record per input line', () => {
  it('answers a `#` line (a valid local-part character) and every other line; skips only blank lines', async () => {
    const list = await file('hash.txt', '#hash@ok.test\n\n  \n# leads\r\nalice@ok.test\n');
    const run = await runCli(['verify', '--file', list, '--format', 'jsonl'], { env });
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout).map((result) => [result.address, result.reason])).toEqual([
      ['#hash@ok.test', 'accepted'],
      ['# leads', 'invalid_syntax'],
      ['alice@ok.test', 'accepted'],
    ]);
  });

  it('--column by number skips the header row instead of verifying it', async () => {
    const csv = await file('numbered.csv', 'Name,Contact\nAlice,alice@ok.test\nNobody,nobody@ok.test\n');
    const run = await runCli(['verify', '--file', csv, '--column', '2', '--format', 'jsonl'], { env });
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout).map((result) => [result.address, result.reason])).toEqual([
      ['alice@ok.test', 'accepted'],
      ['nobody@ok.test', 'mailbox_not_found'],
    ]);
  });
});

describe('mailprobe verify --keep-columns', () => {
  it('gives each row back byte for byte (BOM, `;`, CRLF, quotes, phones, formulas), then the result columns', async () => {
    const input =
      '\uFEFF"First Name";Email Address;Notes;Phone\r\n' +
      'Alice;alice@ok.test;"met at the fair;\r\nlikes tea";+1 555 0100\r\n' +
      'Eve;=HYPERLINK("http://x");;\r\n' +
      'Alice again;alice@ok.test;duplicate row;\r\n' +
      'Nobody;;no address;-5\r\n' +
      'Bob;bob@ok.test\r\n';
    const csv = await file('crm.csv', input);
    const run = await runCli(['verify', '--file', csv, '--keep-columns'], { env });
    // Nothing on stderr but the engine's warnings about the test's HELO name.
    expect(run.stderr.split('\n').filter((line) => line && !line.startsWith('warning: '))).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith('\uFEFF"First Name";Email Address;Notes;Phone;mailprobe_status;')).toBe(
      true,
    );
    const [header, ...rows] = parse(run.stdout.slice(1), {
      delimiter: ';',
      relax_quotes: true,
    }) as string[][];
    expect(header).toEqual(['First Name', 'Email Address', 'Notes', 'Phone', ...JOB_RESULT_CSV_COLUMNS]);
    const lines = run.stdout.slice(1).split('\r\n');
    // Every input line comes back as it was, padded to the header's width, before the added columns.
    expect(lines[1]).toMatch(/^Alice;alice@ok\.test;"met at the fair;$/);
    expect(lines[2]?.startsWith('likes tea";+1 555 0100;VALID;accepted;')).toBe(true);
    expect(lines[3]?.startsWith('Eve;=HYPERLINK("http://x");;;INVALID;invalid_syntax;')).toBe(true);
    expect(lines[5]?.startsWith('Nobody;;no address;-5;;;')).toBe(true);
    expect(lines[6]?.startsWith('Bob;bob@ok.test;;;VALID;')).toBe(true);
    const column = (name: string) => 4 + JOB_RESULT_CSV_COLUMNS.indexOf(name as never);
    expect(
      rows.map((row) => [
        row[column('mailprobe_status')],
        row[column('mailprobe_reason')],
        row[column('mailprobe_skipped')],
        row[column('mailprobe_duplicate_of')],
      ]),
    ).toEqual([
      ['VALID', 'accepted', '', ''],
      ['INVALID', 'invalid_syntax', '', ''],
      ['VALID', 'accepted', 'duplicate', '1'],
      ['', '', 'blank', ''],
      ['VALID', 'accepted', '', ''],
    ]);

    const safe = await runCli(['verify', '--file', csv, '--keep-columns', '--excel-safe'], { env });
    const [, ...safeRows] = parse(safe.stdout.slice(1), { delimiter: ';', relax_quotes: true }) as string[][];
    expect(safeRows.map((row) => row.slice(0, 4))).toEqual([
      ['Alice', 'alice@ok.test', 'met at the fair;\r\nlikes tea', "'+1 555 0100"],
      ['Eve', `'=HYPERLINK("http://x")`, '', ''],
      ['Alice again', 'alice@ok.test', 'duplicate row', ''],
      ['Nobody', '', 'no address', "'-5"],
      ['Bob', 'bob@ok.test', '', ''],
    ]);
  });

  it('refuses another format and an input without columns', async () => {
    const csv = await file('one.csv', 'email\nalice@ok.test\n');
    const jsonl = await runCli(['verify', '--file', csv, '--keep-columns', '--format', 'jsonl'], { env });
    expect([jsonl.code, jsonl.stderr]).toEqual([
      2,
      'mailprobe: --keep-columns writes CSV: drop --format or use --format csv\n',
    ]);
    const plain = await runCli(['verify', 'alice@ok.test', '--keep-columns'], { env });
    expect([plain.code, plain.stderr]).toEqual([2, 'mailprobe: --keep-columns needs a CSV --file\n']);
  }, 60_000);
});

describe('mailprobe verify: bad input files → one line on stderr, exit 2', () => {
  it.each([
    [
      'a binary file',
      'leads.xlsx',
      Buffer.from('PK\u0003\u0004\u0000\u0000alice@ok.test'),
      'is a binary file',
    ],
    [
      'a file that is not UTF-8',
      'latin1.txt',
      Buffer.from('jos\xe9@ok.test\n', 'latin1'),
      'is not UTF-8 text',
    ],
  ])('%s', async (_, name, bytes, message) => {
    const path = await file(name, bytes);
    const run = await runCli(['verify', '--file', path], { env });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    // One line: the file and what is wrong with it.
    expect(run.stderr.startsWith(`mailprobe: --file ${path} ${message}`)).toBe(true);
    expect(run.stderr.indexOf('\n')).toBe(run.stderr.length - 1);
  });

  it('a missing file, a directory, and a file without read permission', async () => {
    const missing = await runCli(['verify', '--file', join(directory, 'missing.txt')], { env });
    expect([missing.code, missing.stdout]).toEqual([2, '']);
    expect(missing.stderr).toBe(
      `mailprobe: cannot read --file ${join(directory, 'missing.txt')}: no such file\n`,
    );

    const folder = await runCli(['verify', '--file', directory], { env });
    expect([folder.code, folder.stderr]).toEqual([
      2,
      `mailprobe: cannot read --file ${directory}: it is a directory\n`,
    ]);

    const secret = await file('secret.txt', 'alice@ok.test\n');
    await chmod(secret, 0o000);
    // Root reads any file; the CLI then runs without the capability that lets it, so it meets the error.
    const unreadable = await runCli(['verify', '--file', secret], {
      env: { ...env, HOME: directory },
      withoutFileOverride: true,
    });
    expect([unreadable.code, unreadable.stdout]).toEqual([2, '']);
    expect(unreadable.stderr).toBe(`mailprobe: cannot read --file ${secret}: permission denied\n`);
  }, 60_000);
});

describe('mailprobe verify | head', () => {
  it('ends quietly with exit 0 when the reader of stdout goes away', async () => {
    const rows = Array.from({ length: EPIPE_ROWS }, (_, index) => `user${index}@gone.test`);
    const list = await file('many.txt', `${rows.join('\n')}\n`);
    // `set -o pipefail`: the pipeline fails when the CLI does, whatever head says.
    const child = spawn(
      'bash',
      [
        '-c',
        'set -o pipefail; "$@" | head -n 1',
        'bash',
        process.execPath,
        ...CLI_NODE_ARGS,
        'verify',
        '--file',
        list,
      ],
      { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(jsonLines(stdout).map((result) => [result.address, result.reason])).toEqual([
      ['user0@gone.test', 'domain_not_found'],
    ]);
  });
});
