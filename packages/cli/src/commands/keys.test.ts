import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startProber } from '@mailprobe/prober';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeysCommand } from './keys.js';

let dataDir: string;

async function run(args: string[]): Promise<string> {
  let output = '';
  const command = createKeysCommand({ stdout: (text) => (output += text), env: {} });
  command.exitOverride();
  await command.parseAsync(args, { from: 'user' });
  return output;
}

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'mailprobe-keys-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('mailprobe keys', () => {
  it('creates a key printed alone on stdout, lists it without the secret, and revokes it', async () => {
    const output = await run(['create', '--name', 'ci', '--data-dir', dataDir, '--quota', '5']);
    expect(output).toMatch(/^mpk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}\n$/);
    const key = output.trim();
    const id = key.slice(4, 16);

    const listed = await run(['list', '--data-dir', dataDir, '--json']);
    const record = JSON.parse(listed) as Record<string, unknown>;
    expect(record).toMatchObject({
      id,
      name: 'ci',
      limits: { requestsPerMinute: 600, quota: 5 },
      used: 0,
      revokedAt: null,
    });
    expect(listed).not.toContain(key.slice(17));
    expect(listed).not.toContain('secretHash');

    // The key works against a server on the same data folder, until revoked.
    const prober = await startProber({ dataDir });
    try {
      const me = await fetch(`${prober.url}/v1/me`, { headers: { authorization: `Bearer ${key}` } });
      expect(me.status).toBe(200);
      expect(await run(['revoke', id, '--data-dir', dataDir])).toBe(`revoked ${id}\n`);
      // A revoke from another process reaches a running server once its key record (1 s) expires.
      const revokedAt = Date.now();
      let status = 200;
      while (status === 200 && Date.now() - revokedAt < 5_000) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = (await fetch(`${prober.url}/v1/me`, { headers: { authorization: `Bearer ${key}` } })).status;
      }
      expect(status).toBe(403);
      expect(Date.now() - revokedAt).toBeLessThan(3_000);
    } finally {
      await prober.close();
    }
    expect(await run(['list', '--data-dir', dataDir])).toContain('revoked');
  });

  it('refuses to revoke an unknown id and prints a stable webhook secret', async () => {
    await expect(run(['revoke', '000000000000', '--data-dir', dataDir])).rejects.toThrow(/no key/);
    const secret = await run(['webhook-secret', '--data-dir', dataDir]);
    expect(secret.trim().length).toBeGreaterThanOrEqual(32);
    expect(await run(['webhook-secret', '--data-dir', dataDir])).toBe(secret);
  });
});
