// The connection's help text names the command that makes a key; it must work as written with the real CLI, and
// the key it prints must connect to a prober on the same data folder.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { run } from '@mailprobe/cli';
import { startProber } from '@mailprobe/prober';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppTester } from 'zapier-platform-core';
import { authentication, testConnection } from './authentication.js';
import app from './index.js';

const appTester = createAppTester(app);
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'mailprobe-zapier-keys-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks).toString('utf8');
}

describe('the key command in the API Key help text', () => {
  it('runs as written and gives a key that connects', async () => {
    const helpText = authentication.fields.find((field) => field.key === 'api_key')?.helpText ?? '';
    const command = /`(mailprobe [^`]+)`/.exec(helpText)?.[1];
    expect(command).toBe('mailprobe keys create --name zapier');
    const argv = (command ?? '').split(' ').slice(1);

    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out = collect(stdout);
    const err = collect(stderr);
    const code = await run([...argv, '--data-dir', dataDir], {
      stdout,
      stderr,
      stdin: Readable.from([]),
      env: {},
    });
    expect({ code, stderr: err() }).toMatchObject({ code: 0 });
    const key = out().trim();
    expect(key).toMatch(/^\S+$/);

    const prober = await startProber({ dataDir });
    try {
      const me = await appTester(testConnection, { authData: { api_key: key, api_url: prober.url } });
      expect(me.accountName).toBe('zapier');
    } finally {
      await prober.close();
    }
  });
});
