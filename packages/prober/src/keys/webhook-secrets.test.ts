// Per-key signing secrets and subscriptions against the embedded SQLite store and a real redis-server.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type RedisServer, startRedisServer } from '@mailprobe/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveProberConfig } from '../config.js';
import { openStores, type Stores } from '../stores/create-stores.js';
import { DATABASE_FILE } from '../stores/sqlite/open-database.js';
import type { WebhookSubscriptionRecord } from '../stores/webhook-types.js';
import {
  openWebhookSecrets,
  signingSecretsOf,
  WebhookSecretError,
  WebhookSecrets,
} from './webhook-secrets.js';

const HOUR_MS = 3_600_000;
const SERVER_KEY = 'a-server-key-of-at-least-32-characters!';

let redis: RedisServer;
let folder: string;

beforeAll(async () => {
  redis = await startRedisServer();
  folder = await mkdtemp(path.join(tmpdir(), 'mailprobe-secrets-'));
});

afterAll(async () => {
  await redis?.stop();
  await rm(folder, { recursive: true, force: true });
});

let opened = 0;
const backends: Array<{ name: string; open(): Promise<Stores> }> = [
  {
    name: 'SQLite',
    open: () => {
      opened += 1;
      return openStores({ dataDir: path.join(folder, `data-${opened}`), redisUrl: null });
    },
  },
  { name: 'Redis', open: () => openStores({ dataDir: '', redisUrl: redis.url }) },
];

function subscription(keyId: string, n: number): WebhookSubscriptionRecord {
  return {
    id: `whk_${keyId}_${n}`,
    keyId,
    targetUrl: `https://hooks.example.com/${n}`,
    events: ['job.completed'],
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  };
}

describe.each(backends)('webhook secrets and subscriptions ($name)', (backend) => {
  it('stores a key secret encrypted, signs with it, and rotates with an overlap that ends', async () => {
    const stores = await backend.open();
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const secrets = new WebhookSecrets(
      stores.webhookStore,
      async () => SERVER_KEY,
      () => clock,
    );
    try {
      const keyId = `key${Math.random().toString(16).slice(2, 11)}`;
      expect(await secrets.signingSecrets(keyId)).toEqual([]);
      const first = await secrets.create(keyId);
      expect(first).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
      const stored = await stores.webhookStore.getSecrets(keyId);
      // Encrypted at rest: the stored form does not contain the secret.
      expect(stored?.current).toMatch(/^v1\./);
      expect(stored?.current).not.toContain(first.slice(6));
      expect(await secrets.signingSecrets(keyId)).toEqual([first]);

      const { secret: second, previousUntil } = await secrets.rotate(keyId, HOUR_MS);
      expect(previousUntil).toBe(new Date(clock + HOUR_MS).toISOString());
      expect(await secrets.signingSecrets(keyId)).toEqual([second, first]);
      clock += HOUR_MS + 1;
      expect(await secrets.signingSecrets(keyId)).toEqual([second]);

      // Another process with the same server key reads them; another server key cannot.
      expect(
        await new WebhookSecrets(stores.webhookStore, async () => SERVER_KEY).signingSecrets(keyId),
      ).toEqual([second]);
      const wrongKey = new WebhookSecrets(stores.webhookStore, async () => `${SERVER_KEY}-changed`);
      await expect(wrongKey.signingSecrets(keyId)).rejects.toBeInstanceOf(WebhookSecretError);
      // A record moved onto another key does not decrypt (the key id is authenticated with it).
      const moved = (await stores.webhookStore.getSecrets(keyId)) as NonNullable<typeof stored>;
      await stores.webhookStore.putSecrets({ ...moved, keyId: `${keyId}x` });
      await expect(secrets.signingSecrets(`${keyId}x`)).rejects.toBeInstanceOf(WebhookSecretError);
    } finally {
      await stores.close();
    }
  });

  it('signs keys without a secret with the server-wide one until rotated, then both during the overlap', async () => {
    const stores = await backend.open();
    try {
      const config = resolveProberConfig({ webhook: { secret: 'the-server-wide-secret' } });
      const secrets = openWebhookSecrets(stores, config);
      const signing = signingSecretsOf(secrets, stores, config);
      const keyId = `old${Math.random().toString(16).slice(2, 11)}`;
      expect(await signing(keyId)).toEqual(['the-server-wide-secret']);
      const { secret } = await secrets.rotate(keyId, HOUR_MS, 'the-server-wide-secret');
      expect(await signing(keyId)).toEqual([secret, 'the-server-wide-secret']);
    } finally {
      await stores.close();
    }
  });

  it('keeps subscriptions per key, bounded, deletable only by their key', async () => {
    const stores = await backend.open();
    const store = stores.webhookStore;
    try {
      const mine = `mine${Math.random().toString(16).slice(2, 8)}`;
      const theirs = `theirs${Math.random().toString(16).slice(2, 8)}`;
      expect(await store.addSubscription(subscription(mine, 1), 2)).toBe(true);
      expect(await store.addSubscription(subscription(mine, 2), 2)).toBe(true);
      expect(await store.addSubscription(subscription(mine, 3), 2)).toBe(false);
      expect(await store.addSubscription(subscription(theirs, 1), 2)).toBe(true);
      expect((await store.listSubscriptions(mine)).map((entry) => entry.id)).toEqual([
        `whk_${mine}_1`,
        `whk_${mine}_2`,
      ]);
      expect(await store.listSubscriptions(mine)).toContainEqual(subscription(mine, 2));
      expect(await store.deleteSubscription(theirs, `whk_${mine}_1`)).toBe(false);
      expect(await store.deleteSubscription(mine, `whk_${mine}_1`)).toBe(true);
      expect(await store.deleteSubscription(mine, `whk_${mine}_1`)).toBe(false);
      expect((await store.listSubscriptions(mine)).map((entry) => entry.id)).toEqual([`whk_${mine}_2`]);
      expect(await store.addSubscription(subscription(mine, 3), 2)).toBe(true);
    } finally {
      await stores.close();
    }
  });
});

describe('embedded store files', () => {
  it.skipIf(process.platform === 'win32')('creates the data folder 0700 and the database 0600', async () => {
    const dataDir = path.join(folder, 'fresh', 'nested');
    const previousUmask = process.umask(0o022);
    try {
      const stores = await openStores({ dataDir, redisUrl: null });
      await stores.webhookSecret();
      await stores.close();
    } finally {
      process.umask(previousUmask);
    }
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(dataDir, DATABASE_FILE))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(dataDir, 'webhook-secret'))).mode & 0o777).toBe(0o600);
  });
});
