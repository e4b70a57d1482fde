import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { verifyWebhookSignature } from '@mailprobe/core';
import { startProber } from '@mailprobe/prober';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeysCommand } from './keys.js';

let dataDir: string;

let notes = '';

async function run(args: string[]): Promise<string> {
  let output = '';
  const command = createKeysCommand({
    stdout: (text) => (output += text),
    stderr: (text) => (notes += text),
    env: {},
  });
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

  it('gives each key its own webhook secret, shown once, and rotates it with an overlap signed with both', async () => {
    notes = '';
    const plain = await run(['create', '--name', 'plain', '--data-dir', dataDir]);
    expect(plain).toMatch(/^mpk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}\n$/);
    expect(notes).toMatch(
      /webhook signing secret of [0-9a-f]{12} \(shown once.*\): whsec_[A-Za-z0-9_-]{43}\n$/,
    );
    const created = JSON.parse(await run(['create', '--name', 'hooks', '--data-dir', dataDir, '--json'])) as {
      id: string;
      key: string;
      webhookSecret: string;
    };
    expect(created.webhookSecret).toMatch(/^whsec_/);
    expect(await run(['list', '--data-dir', dataDir, '--json'])).not.toContain(
      created.webhookSecret.slice(6),
    );
    const serverWide = (await run(['webhook-secret', '--data-dir', dataDir])).trim();

    const deliveries: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
    const receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on('end', () => {
        deliveries.push({ headers: request.headers, body });
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const prober = await startProber({ dataDir, engine: { allowPrivateTargets: true } });
    /** Runs a job of syntax errors only (no network) and returns its signed callback. */
    const callback = async () => {
      const seen = deliveries.length;
      const answer = await fetch(`${prober.url}/v1/jobs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${created.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ emails: ['not an address'], callbackUrl: hookUrl }),
      });
      expect(answer.status).toBe(202);
      const deadline = Date.now() + 10_000;
      while (deliveries.length === seen && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const delivery = deliveries[seen];
      if (!delivery) throw new Error('no webhook arrived');
      return { signature: delivery.headers['mailprobe-signature'] as string, body: delivery.body };
    };
    try {
      const first = await callback();
      expect(verifyWebhookSignature(created.webhookSecret, first.signature, first.body).ok).toBe(true);
      // Another tenant's (or the server-wide) secret cannot produce or check this key's signatures.
      expect(verifyWebhookSignature(serverWide, first.signature, first.body)).toEqual({
        ok: false,
        reason: 'mismatch',
      });

      notes = '';
      const rotated = (
        await run(['rotate-webhook-secret', created.id, '--data-dir', dataDir, '--overlap-hours', '1'])
      ).trim();
      expect(rotated).toMatch(/^whsec_/);
      expect(rotated).not.toBe(created.webhookSecret);
      expect(notes).toMatch(/keeps signing until \d{4}-/);
      const during = await callback();
      expect(during.signature.match(/v1=/g)).toHaveLength(2);
      expect(verifyWebhookSignature(rotated, during.signature, during.body).ok).toBe(true);
      expect(verifyWebhookSignature(created.webhookSecret, during.signature, during.body).ok).toBe(true);

      const again = (
        await run(['rotate-webhook-secret', created.id, '--data-dir', dataDir, '--overlap-hours', '0'])
      ).trim();
      const after = await callback();
      expect(after.signature.match(/v1=/g)).toHaveLength(1);
      expect(verifyWebhookSignature(again, after.signature, after.body).ok).toBe(true);
      expect(verifyWebhookSignature(rotated, after.signature, after.body).ok).toBe(false);
      await expect(run(['rotate-webhook-secret', '000000000000', '--data-dir', dataDir])).rejects.toThrow(
        /no key/,
      );
    } finally {
      await prober.close();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});
