import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeHubspot, startFakeHubspot } from '../test/fake-hubspot/index.js';
import { run } from './cli.js';

function io(env: NodeJS.ProcessEnv) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  return { io: { stdout, stderr, env }, out: () => out, err: () => err };
}

describe('mailprobe-hubspot CLI', () => {
  let fake: FakeHubspot;
  afterEach(async () => {
    await fake?.close();
  });

  it('setup prints what it created, then that everything is up to date', async () => {
    fake = await startFakeHubspot();
    const env = { HUBSPOT_ACCESS_TOKEN: fake.accessToken, HUBSPOT_BASE_URL: fake.url };
    const first = io(env);
    expect(await run(['node', 'mailprobe-hubspot', 'setup'], first.io)).toBe(0);
    expect(first.out()).toContain('created property group mailprobe\ncreated mailprobe_status\n');
    const second = io(env);
    expect(await run(['node', 'mailprobe-hubspot', 'setup'], second.io)).toBe(0);
    expect(second.out()).toBe('9 properties already up to date\n');
  });

  it('exits 2 naming the missing settings, and 1 when HubSpot refuses the token', async () => {
    fake = await startFakeHubspot();
    const missing = io({});
    expect(await run(['node', 'mailprobe-hubspot', 'backfill', '--stale-days', '30'], missing.io)).toBe(2);
    expect(missing.err()).toContain('HUBSPOT_ACCESS_TOKEN, MAILPROBE_API_URL, MAILPROBE_API_KEY');
    const refused = io({ HUBSPOT_ACCESS_TOKEN: 'pat-na1-wrong', HUBSPOT_BASE_URL: fake.url });
    expect(await run(['node', 'mailprobe-hubspot', 'setup'], refused.io)).toBe(1);
    expect(refused.err()).toContain('Authentication credentials not found');
    expect(refused.err()).not.toContain('pat-na1-wrong');
  });
});
