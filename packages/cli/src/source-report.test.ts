import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FakeInternet, startFakeInternet } from '@mailprobe/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(REPO_ROOT, 'packages/cli/src/bin.ts');

function start(args: string[], env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--conditions=@mailprobe/source', '--import', 'tsx', BIN, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
}

/** Collects a child's output until `done(output)` holds or the child exits. */
function readUntil(
  child: ChildProcessWithoutNullStreams,
  stream: 'stdout' | 'stderr',
  done: (text: string) => boolean,
) {
  return new Promise<string>((resolve) => {
    let text = '';
    child[stream].on('data', (chunk) => {
      text += chunk;
      if (done(text)) resolve(text);
    });
    child.on('close', () => resolve(text));
  });
}

// 127.0.2.1 has forward-confirmed reverse DNS; 127.0.2.2 has no PTR; 127.0.2.3's PTR does not resolve back.
describe('start-up report of dedicated source addresses', () => {
  let internet: FakeInternet;
  let env: Record<string, string>;

  beforeAll(async () => {
    internet = await startFakeInternet({
      domains: { 'ok.test': { mx: [{ host: 'mx.ok.test', smtp: { mailboxes: ['alice@ok.test'] } }] } },
      extraZones: {
        '127.0.2.1': { ptr: 'probe1.mailprobe.test' },
        'probe1.mailprobe.test': { a: ['127.0.2.1'] },
        '127.0.2.3': { ptr: 'probe3.mailprobe.test' },
        'probe3.mailprobe.test': { a: ['127.0.2.99'] },
      },
    });
    env = {
      MAILPROBE_DNS_SERVERS: internet.engineOptions.dnsServers.join(','),
      MAILPROBE_ALLOW_PRIVATE_TARGETS: '1',
      MAILPROBE_PORTS: String(internet.port),
      MAILPROBE_SOURCE_ADDRESSES: '127.0.2.1,127.0.2.2,127.0.2.3',
    };
  });
  afterAll(async () => {
    await internet.close();
  });

  it('`mailprobe verify` warns on stderr about each source without FCrDNS, and stdout stays clean', async () => {
    const child = start(['verify', 'alice@ok.test', '--format', 'jsonl'], env);
    child.stdin.end();
    const [stdout, stderr] = await Promise.all([
      readUntil(child, 'stdout', () => false),
      readUntil(child, 'stderr', () => false),
    ]);
    expect(stderr).toContain('source address 127.0.2.2 lacks forward-confirmed reverse DNS (PTR: none)');
    expect(stderr).toContain(
      'source address 127.0.2.3 lacks forward-confirmed reverse DNS (PTR: probe3.mailprobe.test)',
    );
    expect(stderr).not.toContain('127.0.2.1');
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(stdout)).toMatchObject({ address: 'alice@ok.test', status: 'VALID' });
  });

  it('`mailprobe serve` logs the same report at start-up', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mailprobe-source-report-'));
    const child = start(['serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir], env);
    try {
      const logs = await readUntil(
        child,
        'stdout',
        (text) => (text.match(/source address (lacks|has)/g) ?? []).length >= 3,
      );
      const entries = logs
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { msg: string; sourceAddress?: string; level: number });
      // The report's own entries (HELO name warnings name the source address too).
      const about = (address: string) =>
        entries.find((entry) => entry.sourceAddress === address && entry.msg.startsWith('source address'));
      expect(about('127.0.2.1')?.msg).toBe('source address has forward-confirmed reverse DNS');
      expect(about('127.0.2.2')?.msg).toBe('source address lacks forward-confirmed reverse DNS');
      expect(about('127.0.2.3')?.msg).toBe('source address lacks forward-confirmed reverse DNS');
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('close', resolve));
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
