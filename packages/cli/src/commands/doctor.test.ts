import { PassThrough, Writable } from 'node:stream';
import type { DoctorReport } from '@mailprobe/engine';
import { type FakeInternet, startFakeInternet } from '@mailprobe/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../program.js';

// `mailprobe doctor` end to end, in-process, against the fake internet: 127.0.0.1 is fit to probe from,
// 127.0.0.2 has a PTR that does not resolve back and sits on a blocklist.
let internet: FakeInternet;

beforeAll(async () => {
  internet = await startFakeInternet({
    domains: {
      'sender.test': {
        mx: [{ host: 'mx.sender.test', smtp: {} }],
        txt: ['v=spf1 ip4:127.0.0.0/30 -all'],
      },
    },
    extraZones: {
      '127.0.0.1': { ptr: 'probe1.sender.test' },
      'probe1.sender.test': { a: ['127.0.0.1'] },
      '127.0.0.2': { ptr: 'probe2.sender.test' },
      'probe2.sender.test': { a: ['127.0.0.1'] },
      '_dmarc.sender.test': { txt: ['v=DMARC1; p=reject'] },
      '2.0.0.127.zen.bl.test': { a: ['127.0.0.3'] },
    },
  });
});

afterAll(async () => {
  await internet?.close();
});

async function doctor(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk, _encoding, callback) {
        append(String(chunk));
        callback();
      },
    });
  const code = await run(
    [
      'doctor',
      '--dns-server',
      internet.dns.server,
      '--port',
      String(internet.port),
      '--allow-private-targets',
      '--mail-from',
      'verify@sender.test',
      '--dnsbl',
      'zen.bl.test',
      ...args,
    ],
    {
      stdout: sink((text) => {
        stdout += text;
      }),
      stderr: sink((text) => {
        stderr += text;
      }),
      stdin: new PassThrough(),
      env: {},
    },
  );
  return { code, stdout, stderr };
}

describe('mailprobe doctor', () => {
  it('prints a table and exits 0 when every check passes', async () => {
    const { code, stdout } = await doctor(['--source-address', '127.0.0.1']);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^ADDRESS\s+CHECK\s+STATUS\s+DETAIL$/);
    for (const id of [
      'bind',
      'outbound_smtp',
      'ptr',
      'fcrdns',
      'helo',
      'mail_from_domain',
      'spf',
      'dmarc',
      'dnsbl',
    ])
      expect(stdout).toMatch(new RegExp(`^127\\.0\\.0\\.1\\s+${id}\\s+PASS\\s`, 'm'));
    expect(stdout).toContain('doctor: all checks passed');
  });

  it('prints JSON with --json and exits 1 when a check fails', async () => {
    const { code, stdout } = await doctor([
      '--source-address',
      '127.0.0.1',
      '--source-address',
      '127.0.0.2',
      '--json',
    ]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as DoctorReport;
    expect(report.ok).toBe(false);
    expect(report.sources.map((source) => [source.address, source.ok, source.listed])).toEqual([
      ['127.0.0.1', true, false],
      ['127.0.0.2', false, true],
    ]);
    const failed = report.sources[1]?.checks
      .filter((check) => check.status === 'fail')
      .map((check) => check.id);
    expect(failed).toEqual(['fcrdns', 'helo', 'dnsbl']);
  });

  it('refuses a bad flag value with a usage error (exit 2)', async () => {
    const { code, stderr } = await doctor(['--source-address', 'not-an-ip']);
    expect(code).toBe(2);
    expect(stderr).toContain('--source-address');
  });
});
