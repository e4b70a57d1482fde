import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAddress, syntaxErrorResult, type VerificationResult } from '@mailprobe/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStores, type Stores } from './create-stores.js';
import { createMemoryResultCache } from './memory-result-cache.js';
import { openDatabase } from './sqlite/open-database.js';
import { createSqliteResultCache } from './sqlite/sqlite-result-cache.js';

let dataDir: string;
let stores: Stores;

// A result shaped by core (the syntax error result), turned into a VALID one for these tests.
const parsed = parseAddress('not an address');
if (parsed.ok) throw new Error('expected a syntax error');
const valid: VerificationResult = {
  ...syntaxErrorResult('Alice@Example.test', parsed.error),
  normalized: 'alice@example.test',
  status: 'VALID',
  reason: 'accepted',
  syntaxError: null,
};

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'mailprobe-cache-'));
  stores = await openStores({ dataDir, redisUrl: null });
});

afterEach(async () => {
  await stores.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('createMemoryResultCache', () => {
  it('serves a written result from memory and keeps it in the store', async () => {
    const cache = createMemoryResultCache(stores.cache, { maxEntries: 10, maxAgeMs: null });
    await cache.set('alice@example.test', valid, 60_000);
    expect(await cache.get('alice@example.test')).toEqual(valid);
    expect(await stores.cache.get('alice@example.test')).toEqual(valid);
  });

  it('never serves a stored result that fails the contract', async () => {
    const problems: string[] = [];
    const cache = createMemoryResultCache(stores.cache, {
      maxEntries: 10,
      maxAgeMs: null,
      onInvalid: (normalized) => problems.push(normalized),
    });
    // Written straight to the store, as an older or damaged row would be.
    await stores.cache.set('bad@example.test', { ...valid, status: 'MAYBE' } as never, 60_000);
    expect(await cache.get('bad@example.test')).toBeNull();
    expect(problems).toEqual(['bad@example.test']);
  });

  it('looks many up at once: memory copies, stored results and misses in order; none failing the contract', async () => {
    const problems: string[] = [];
    const cache = createMemoryResultCache(stores.cache, {
      maxEntries: 10,
      maxAgeMs: null,
      onInvalid: (normalized) => problems.push(normalized),
    });
    await cache.set('alice@example.test', valid, 60_000);
    const stored = { ...valid, address: 'bob@example.test', normalized: 'bob@example.test' };
    await stores.cache.set('bob@example.test', stored, 60_000);
    await stores.cache.set('bad@example.test', { ...valid, status: 'MAYBE' } as never, 60_000);
    const entries = await cache.getEntries?.([
      'bob@example.test',
      'nobody@example.test',
      'alice@example.test',
      'bad@example.test',
    ]);
    expect(entries?.map((entry) => entry?.result ?? null)).toEqual([stored, null, valid, null]);
    expect(problems).toEqual(['bad@example.test']);
    // The stored one is kept in memory now: served even once the store forgets it.
    await stores.cache.set('bob@example.test', stored, 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await cache.get('bob@example.test')).toEqual(stored);
  });

  it('drops unknown fields, as the response serializer would', async () => {
    const cache = createMemoryResultCache(stores.cache, { maxEntries: 10, maxAgeMs: null });
    await stores.cache.set('extra@example.test', { ...valid, secret: 'x' } as never, 60_000);
    expect(await cache.get('extra@example.test')).not.toHaveProperty('secret');
  });

  it('stops serving an entry when it expires, and after maxAgeMs asks the store again', async () => {
    let clock = 1_000_000;
    const now = () => clock;
    // The store on the same clock, so expiry in memory and in the store can be compared.
    const database = openDatabase(path.join(dataDir, 'clocked'));
    const store = createSqliteResultCache(database, now);
    const cache = createMemoryResultCache(store, { maxEntries: 10, maxAgeMs: 100, now });
    await cache.set('alice@example.test', valid, 1000);
    await store.set('alice@example.test', { ...valid, status: 'INVALID', reason: 'mailbox_not_found' }, 1000);
    expect((await cache.get('alice@example.test'))?.status).toBe('VALID');
    clock += 101;
    expect((await cache.get('alice@example.test'))?.status).toBe('INVALID');

    const untilExpiry = createMemoryResultCache(store, { maxEntries: 10, maxAgeMs: null, now });
    await untilExpiry.set('bob@example.test', valid, 50);
    clock += 49;
    expect(await untilExpiry.get('bob@example.test')).not.toBeNull();
    clock += 2;
    expect(await untilExpiry.get('bob@example.test')).toBeNull();
    database.close();
  });

  it("writes a bulk job's result to the store only: memory keeps what interactive calls asked for", async () => {
    const cache = createMemoryResultCache(stores.cache, { maxEntries: 2, maxAgeMs: null });
    await cache.set('a@example.test', valid, 60_000);
    await cache.set('b@example.test', valid, 60_000);
    // Two bulk results: in the store, but neither evicts a nor b from memory.
    await cache.set('x@example.test', { ...valid, normalized: 'x@example.test' }, 60_000, { memory: false });
    await cache.set('y@example.test', { ...valid, normalized: 'y@example.test' }, 60_000, { memory: false });
    expect((await stores.cache.get('x@example.test'))?.normalized).toBe('x@example.test');
    await stores.cache.set('a@example.test', { ...valid, status: 'UNKNOWN', reason: 'timeout' }, 60_000);
    await stores.cache.set('b@example.test', { ...valid, status: 'UNKNOWN', reason: 'timeout' }, 60_000);
    expect((await cache.get('a@example.test'))?.status).toBe('VALID');
    expect((await cache.get('b@example.test'))?.status).toBe('VALID');
    // A bulk result for an address memory holds replaces the memory copy, which would now be staler than the store.
    await cache.set('a@example.test', { ...valid, status: 'INVALID', reason: 'mailbox_not_found' }, 60_000, {
      memory: false,
    });
    expect((await cache.get('a@example.test'))?.status).toBe('INVALID');
  });

  it('keeps at most maxEntries, evicting the least recently used', async () => {
    const cache = createMemoryResultCache(stores.cache, { maxEntries: 2, maxAgeMs: null });
    await cache.set('a@example.test', valid, 60_000);
    await cache.set('b@example.test', valid, 60_000);
    await cache.get('a@example.test');
    await cache.set('c@example.test', valid, 60_000);
    // b was evicted from memory: changing it in the store shows; a (recently used) still answers from memory.
    await stores.cache.set('b@example.test', { ...valid, status: 'UNKNOWN', reason: 'timeout' }, 60_000);
    await stores.cache.set('a@example.test', { ...valid, status: 'UNKNOWN', reason: 'timeout' }, 60_000);
    expect((await cache.get('a@example.test'))?.status).toBe('VALID');
    expect((await cache.get('b@example.test'))?.status).toBe('UNKNOWN');
  });
});
