import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../stores/create-stores.js';
import { type CachedKeyStoreOptions, createCachedKeyStore } from './cached-key-store.js';
import { createApiKey } from './key-admin.js';

// A real embedded store in a temporary folder; a second handle on the same folder plays `mailprobe keys`.
let dataDir: string;
let stores: Stores;
let clock: number;

const HOUR_MS = 3_600_000;
const options = (overrides: Partial<CachedKeyStoreOptions> = {}): CachedKeyStoreOptions => ({
  recordTtlMs: 1000,
  usage: 'local',
  flushIntervalMs: HOUR_MS,
  flushMaxUnits: 1000,
  now: () => clock,
  ...overrides,
});

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'mailprobe-keys-'));
  stores = await openStores({ dataDir, redisUrl: null });
  clock = Date.parse('2026-01-01T00:00:00Z');
});

afterEach(async () => {
  await stores.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function storedUsed(id: string): Promise<number | undefined> {
  return (await stores.keys.get(id))?.used;
}

describe('createCachedKeyStore, local usage', () => {
  it('enforces the quota exactly in memory before anything is written', async () => {
    const { record } = await createApiKey(stores.keys, 'small', { quota: 5 });
    const keys = createCachedKeyStore(stores.keys, options());
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => keys.consume(record.id, 1)));
    expect(outcomes.filter(Boolean)).toHaveLength(5);
    expect(await keys.consume(record.id, 1)).toBe(false);
    expect((await keys.get(record.id))?.used).toBe(5);
    expect(await storedUsed(record.id)).toBe(0);
    await keys.close();
    expect(await storedUsed(record.id)).toBe(5);
  });

  it('refuses an amount that would pass the quota and counts nothing for it', async () => {
    const { record } = await createApiKey(stores.keys, 'batch', { quota: 10 });
    const keys = createCachedKeyStore(stores.keys, options());
    expect(await keys.consume(record.id, 8)).toBe(true);
    expect(await keys.consume(record.id, 3)).toBe(false);
    expect(await keys.consume(record.id, 2)).toBe(true);
    await keys.flush();
    expect(await storedUsed(record.id)).toBe(10);
    await keys.close();
  });

  it('writes usage in batches: on flush, at flushMaxUnits, and continues from what was stored', async () => {
    const { record } = await createApiKey(stores.keys, 'busy');
    const keys = createCachedKeyStore(stores.keys, options({ flushMaxUnits: 3 }));
    await keys.consume(record.id, 1);
    await keys.consume(record.id, 1);
    expect(await storedUsed(record.id)).toBe(0);
    await keys.consume(record.id, 1);
    await keys.flush();
    expect(await storedUsed(record.id)).toBe(3);
    await keys.consume(record.id, 2);
    await keys.close();
    expect(await storedUsed(record.id)).toBe(5);

    // A later process starts from the stored count.
    const again = createCachedKeyStore(stores.keys, options());
    await again.consume(record.id, 1);
    expect((await again.get(record.id))?.used).toBe(6);
    await again.close();
    expect(await storedUsed(record.id)).toBe(6);
  });

  it('writes usage on its interval without being asked', async () => {
    const { record } = await createApiKey(stores.keys, 'ticking');
    const keys = createCachedKeyStore(stores.keys, options({ flushIntervalMs: 20, now: Date.now }));
    await keys.consume(record.id, 4);
    const deadline = Date.now() + 5000;
    while ((await storedUsed(record.id)) !== 4 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await storedUsed(record.id)).toBe(4);
    await keys.close();
  });

  it('loses at most the unwritten units when the process dies', async () => {
    const { record } = await createApiKey(stores.keys, 'crash', { quota: 100 });
    const keys = createCachedKeyStore(stores.keys, options({ flushMaxUnits: 10 }));
    for (let index = 0; index < 25; index += 1) await keys.consume(record.id, 1);
    await keys.flush();
    await keys.consume(record.id, 7);
    // No close: as after kill -9, the 7 unwritten units are lost, and no more than flushMaxUnits could be.
    expect(await storedUsed(record.id)).toBe(25);
  });
});

describe('createCachedKeyStore, revocation and records', () => {
  it('takes a revocation through itself at once', async () => {
    const { record } = await createApiKey(stores.keys, 'revoked here');
    const keys = createCachedKeyStore(stores.keys, options());
    expect((await keys.get(record.id))?.revokedAt).toBeNull();
    expect(await keys.revoke(record.id, new Date(clock).toISOString())).toBe(true);
    expect((await keys.get(record.id))?.revokedAt).not.toBeNull();
    await keys.close();
  });

  it('sees a revocation made by another process once its copy is older than recordTtlMs', async () => {
    const { record } = await createApiKey(stores.keys, 'revoked elsewhere');
    const keys = createCachedKeyStore(stores.keys, options({ recordTtlMs: 1000 }));
    expect((await keys.get(record.id))?.revokedAt).toBeNull();
    const other = await openStores({ dataDir, redisUrl: null });
    await other.keys.revoke(record.id, new Date(clock).toISOString());
    await other.close();
    clock += 999;
    expect((await keys.get(record.id))?.revokedAt).toBeNull();
    clock += 2;
    expect((await keys.get(record.id))?.revokedAt).not.toBeNull();
    await keys.close();
  });

  it('finds a key created by another process at once, and lists current usage', async () => {
    const keys = createCachedKeyStore(stores.keys, options());
    expect(await keys.get('0123456789ab')).toBeNull();
    const other = await openStores({ dataDir, redisUrl: null });
    const { record } = await createApiKey(other.keys, 'new');
    await other.close();
    expect((await keys.get(record.id))?.name).toBe('new');
    await keys.consume(record.id, 2);
    expect((await keys.list()).find((listed) => listed.id === record.id)?.used).toBe(2);
    await keys.close();
  });
});

describe('createCachedKeyStore, shared usage (fleet)', () => {
  it('leaves every quota check to the store', async () => {
    const { record } = await createApiKey(stores.keys, 'fleet', { quota: 2 });
    const keys = createCachedKeyStore(stores.keys, options({ usage: 'shared' }));
    expect(await keys.consume(record.id, 1)).toBe(true);
    expect(await storedUsed(record.id)).toBe(1);
    // Another node spends the rest directly in the shared store.
    expect(await stores.keys.consume(record.id, 1)).toBe(true);
    expect(await keys.consume(record.id, 1)).toBe(false);
    await keys.close();
  });
});
