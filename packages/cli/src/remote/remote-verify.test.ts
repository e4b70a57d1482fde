// `mailprobe verify --api-url … --api-key …` against the real prober on loopback, which probes the fake
// internet: arguments go to POST /v1/verify, lists become one bulk job, and the output is the local engine's.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { JOB_RESULT_CSV_COLUMNS, RESULT_CSV_COLUMNS, VerificationResultSchema } from '@mailprobe/core';
import { type StartedProber, startProber } from '@mailprobe/prober';
import { type FakeInternet, startFakeInternet } from '@mailprobe/test-kit';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/run-cli.js';
import type { CliIo } from '../cli-io.js';
import { run } from '../program.js';

let internet: FakeInternet;
let prober: StartedProber;
let key: string;
let remote: Record<string, string>;
let local: Record<string, string>;
let directory: string;

const MAILBOXES = ['alice@ok.test', 'bob@ok.test', '#hash@ok.test', 'anna@xn--bcher-kva.test'];
/** Round trip of the slow MX (which does not pipeline): a job on it runs long enough to be interrupted. */
const SLOW_REPLY_DELAY_MS = 1000;
const SLOW_ROWS = 40;
/** Starting and stopping the fake internet and a prober (SQLite, Fastify) from source is slow on a busy machine. */
const SETUP_TIMEOUT_MS = 180_000;

beforeAll(async () => {
  internet = await startFakeInternet({
    domains: {
      'ok.test': { mx: [{ host: 'mx.ok.test', smtp: { mailboxes: MAILBOXES.slice(0, 3) } }] },
      'xn--bcher-kva.test': { mx: [{ host: 'mx.buecher.test', smtp: { mailboxes: MAILBOXES.slice(3) } }] },
      'gone.test': { nxdomain: true },
      'slow.test': {
        mx: [
          {
            host: 'mx.slow.test',
            smtp: { catchAll: true, pipelining: false, replyDelayMs: SLOW_REPLY_DELAY_MS },
          },
        ],
      },
    },
  });
  prober = await startProber({
    engine: { ...internet.engineOptions, timeouts: { totalMs: 10_000 } },
    config: { jobs: { pollIntervalMs: 20 } },
  });
  key = await prober.createKey('cli remote tests', { requestsPerMinute: 10_000 });
  // The remote runs get nothing but the prober's address and key: no DNS, port or engine settings.
  remote = { MAILPROBE_API_URL: prober.url, MAILPROBE_API_KEY: key };
  local = {
    MAILPROBE_DNS_SERVERS: internet.engineOptions.dnsServers.join(','),
    MAILPROBE_PORTS: String(internet.port),
    MAILPROBE_FALLBACK_PORTS: '',
    MAILPROBE_ALLOW_PRIVATE_TARGETS: '1',
    MAILPROBE_TIMEOUT_MS: '10000',
  };
  directory = await mkdtemp(join(tmpdir(), 'mailprobe-cli-remote-'));
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await prober?.close();
  await internet?.close();
  if (directory) await rm(directory, { recursive: true, force: true });
}, SETUP_TIMEOUT_MS);

async function file(name: string, content: string): Promise<string> {
  const path = join(directory, name);
  await writeFile(path, content);
  return path;
}

const jsonLines = (stdout: string) =>
  stdout
    .trimEnd()
    .split('\n')
    .map((line) => VerificationResultSchema.parse(JSON.parse(line)));

/** Verifications the prober counted, by how they came (`single`, `batch`, `job`), from its /metrics (on the ops listener). */
async function verificationsBySource(): Promise<Record<string, number>> {
  if (!prober.metricsUrl) throw new Error('the test prober has no metrics listener');
  const text = await (await fetch(prober.metricsUrl)).text();
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(/^mailprobe_verifications_total\{([^}]*)\} (\d+)$/gm)) {
    const source = /source="([^"]+)"/.exec(match[1] as string)?.[1] ?? '';
    counts[source] = (counts[source] ?? 0) + Number(match[2]);
  }
  return counts;
}

async function jobsOfKey(): Promise<Array<{ id: string; total: number; status: string }>> {
  const response = await fetch(`${prober.url}/v1/jobs`, { headers: { authorization: `Bearer ${key}` } });
  return ((await response.json()) as { jobs: Array<{ id: string; total: number; status: string }> }).jobs;
}

/** An in-process run of the CLI whose stderr claims to be a terminal, as a user's would. */
function terminalIo(env: Record<string, string>, signal?: AbortSignal) {
  const stdout = new PassThrough();
  const stderr = Object.assign(new PassThrough(), { isTTY: true, columns: 100 });
  const output = { stdout: '', stderr: '' };
  stdout.on('data', (chunk) => {
    output.stdout += chunk;
  });
  stderr.on('data', (chunk) => {
    output.stderr += chunk;
  });
  const io: CliIo = { stdout, stderr, stdin: new PassThrough(), env, ...(signal ? { signal } : {}) };
  return { io, output };
}

describe('mailprobe verify --api-url (the real prober on loopback)', () => {
  it('sends addresses given as arguments to POST /v1/verify, one result each, in order', async () => {
    const before = await verificationsBySource();
    const run = await runCli(
      ['verify', 'nobody@ok.test', 'alice@ok.test', 'x@gone.test', '--api-url', prober.url, '--api-key', key],
      { env: {} },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout).map((result) => [result.address, result.reason])).toEqual([
      ['nobody@ok.test', 'mailbox_not_found'],
      ['alice@ok.test', 'accepted'],
      ['x@gone.test', 'domain_not_found'],
    ]);
    const after = await verificationsBySource();
    expect((after.single ?? 0) - (before.single ?? 0)).toBe(3);
    expect(await jobsOfKey()).toEqual([]);
  });

  it('runs a file as one bulk job and prints exactly what the local engine prints, row for row', async () => {
    const rows = [
      'alice@ok.test',
      'nobody@ok.test',
      '#hash@ok.test',
      'anna@bücher.test',
      'not an address',
      'alice@ok.test',
      'anna@xn--bcher-kva.test',
      'ALICE@OK.TEST',
      'x@gone.test',
    ];
    const list = await file('list.txt', `${rows.slice(0, 4).join('\n')}\n\n${rows.slice(4).join('\r\n')}\n`);
    const through = await runCli(['verify', '--file', list, '--format', 'jsonl'], { env: remote });
    expect(through.stderr).toBe('');
    expect(through.code).toBe(0);
    const results = jsonLines(through.stdout);
    const summary = results.map((result) => [result.address, result.status, result.reason]);
    expect(summary).toEqual([
      ['alice@ok.test', 'VALID', 'accepted'],
      ['nobody@ok.test', 'INVALID', 'mailbox_not_found'],
      ['#hash@ok.test', 'VALID', 'accepted'],
      ['anna@bücher.test', 'VALID', 'accepted'],
      ['not an address', 'INVALID', 'invalid_syntax'],
      ['alice@ok.test', 'VALID', 'accepted'],
      ['anna@xn--bcher-kva.test', 'VALID', 'accepted'],
      // The local part's case is kept: a different mailbox for the server.
      ['ALICE@OK.TEST', 'INVALID', 'mailbox_not_found'],
      ['x@gone.test', 'INVALID', 'domain_not_found'],
    ]);
    // One job; each distinct mailbox was uploaded (and charged) once, the malformed row not at all.
    expect(await jobsOfKey()).toEqual([expect.objectContaining({ status: 'completed', total: 6 })]);

    // The local engine prints the same table, row for row (reply codes and texts come from the same fake
    // mail servers).
    const [remoteTable, localTable] = await Promise.all([
      runCli(['verify', '--file', list, '--format', 'table'], { env: remote }),
      runCli(['verify', '--file', list, '--format', 'table'], { env: local }),
    ]);
    expect(remoteTable.stdout).toBe(localTable.stdout);
    expect(remoteTable.stdout.trimEnd().split('\n')).toHaveLength(rows.length + 1);
  }, 90_000);

  it('keeps the input columns of a CSV through the prober, and reads stdin as a job too', async () => {
    const csv = await file(
      'hubspot.csv',
      'Record ID,First Name,Email,Notes\n101,Alice,alice@ok.test,"line one\nline two"\n102,Bob,bob@ok.test,\n103,Al,alice@ok.test,dup\n',
    );
    const run = await runCli(['verify', '--file', csv, '--keep-columns'], { env: remote });
    expect(run.stderr).toBe('');
    const [header, ...rows] = parse(run.stdout) as string[][];
    expect(header?.slice(0, 4)).toEqual(['Record ID', 'First Name', 'Email', 'Notes']);
    expect(header?.slice(4)).toEqual([...JOB_RESULT_CSV_COLUMNS]);
    const reason = 4 + JOB_RESULT_CSV_COLUMNS.indexOf('mailprobe_reason');
    expect(rows.map((row) => [...row.slice(0, 4), row[reason]])).toEqual([
      ['101', 'Alice', 'alice@ok.test', 'line one\nline two', 'accepted'],
      ['102', 'Bob', 'bob@ok.test', '', 'accepted'],
      ['103', 'Al', 'alice@ok.test', 'dup', 'accepted'],
    ]);

    const before = await verificationsBySource();
    const piped = await runCli(['verify', '-', '--format', 'csv'], {
      env: remote,
      stdin: 'bob@ok.test\nnobody@ok.test\n',
    });
    const [csvHeader, ...csvRows] = parse(piped.stdout) as string[][];
    expect(csvHeader).toEqual([...RESULT_CSV_COLUMNS]);
    expect(csvRows.map((row) => row.slice(0, 4))).toEqual([
      ['bob@ok.test', 'bob@ok.test', 'VALID', 'accepted'],
      ['nobody@ok.test', 'nobody@ok.test', 'INVALID', 'mailbox_not_found'],
    ]);
    const after = await verificationsBySource();
    expect((after.job ?? 0) - (before.job ?? 0)).toBe(2);
  }, 60_000);

  it.each([
    [
      'a wrong key',
      ['verify', 'alice@ok.test', '--api-key', 'mpk_000000000000_wrong'],
      2,
      /^mailprobe: the prober refused --api-key \/ MAILPROBE_API_KEY: .+\n$/,
    ],
    [
      'no key',
      ['verify', 'alice@ok.test', '--api-url', 'http://127.0.0.1:1'],
      2,
      /--api-url needs --api-key/,
    ],
    [
      'an engine flag',
      ['verify', 'alice@ok.test', '--port', '2525'],
      2,
      /^mailprobe: --port sets up local probing; the prober at --api-url uses its own settings\n$/,
    ],
    [
      'a URL that is not one',
      ['verify', 'alice@ok.test', '--api-url', 'prober', '--api-key', 'mpk_000000000000_x'],
      2,
      /^mailprobe: invalid --api-url \/ MAILPROBE_API_URL: "prober"\n$/,
    ],
  ])('exits 2 with one line for %s', async (_, args, code, message) => {
    const run = await runCli(args, {
      env: args.includes('--api-url') ? {} : remote,
    });
    expect(run.code).toBe(code);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });

  it('exits 1 with one line when the prober cannot be reached', async () => {
    const run = await runCli(['verify', 'alice@ok.test'], {
      env: { MAILPROBE_API_URL: 'http://127.0.0.1:1', MAILPROBE_API_KEY: key },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^mailprobe: cannot reach the prober at http:\/\/127\.0\.0\.1:1: .+\n$/);
  });

  it('draws the job progress on a terminal, and Ctrl-C cancels the job on the prober', async () => {
    const rows = Array.from({ length: SLOW_ROWS }, (_, index) => `user${index}@slow.test`);
    const list = await file('slow.txt', `${rows.join('\n')}\n`);
    const before = new Set((await jobsOfKey()).map((job) => job.id));
    const interrupt = new AbortController();
    const { io, output } = terminalIo(remote, interrupt.signal);
    const running = run(['verify', '--file', list, '--format', 'jsonl'], io);

    // Wait until the job exists and has made some progress, then press Ctrl-C.
    let job: { id: string; status: string } | undefined;
    const deadline = Date.now() + 30_000;
    while (!output.stderr.includes('prober job') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    job = (await jobsOfKey()).find((candidate) => !before.has(candidate.id));
    expect(job?.status).toMatch(/queued|running/);
    interrupt.abort(new Error('interrupted'));

    expect(await running).toBe(1);
    expect(output.stderr).toMatch(new RegExp(`prober job ${job?.id} \\[.*\\] \\d+/${SLOW_ROWS}`));
    expect(output.stderr).toContain('mailprobe: interrupted\n');
    expect(output.stdout).toBe('');
    job = (await jobsOfKey()).find((candidate) => candidate.id === job?.id);
    expect(job?.status).toBe('cancelled');
  }, 60_000);
});
