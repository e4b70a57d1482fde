import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { VerificationResult } from '@mailprobe/core';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './open-database.js';
import { createSqliteResultCache } from './sqlite-result-cache.js';

function resultFor(normalized: string): VerificationResult {
  return {
    address: normalized,
    normalized,
    status: 'VALID',
    reason: 'accepted',
  } as unknown as VerificationResult;
}

describe('SQLite result cache, writes committed together', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('serves writes still waiting for their commit, keeps every one, and commits what waits on close', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mailprobe-cache-'));
    dirs.push(dir);
    const database = openDatabase(dir);
    const cache = createSqliteResultCache(database);
    const addresses = Array.from({ length: 300 }, (_, index) => `user${index}@example.test`);
    const writes = addresses.map((address) => cache.set(address, resultFor(address), 60_000));
    // Not committed yet, already served.
    expect((await cache.get('user7@example.test'))?.normalized).toBe('user7@example.test');
    expect((await cache.getEntry('user8@example.test'))?.expiresAt).toBeGreaterThan(Date.now());
    await Promise.all(writes);
    const count = database.prepare('SELECT COUNT(*) AS n FROM result_cache').get() as { n: number };
    expect(count.n).toBe(300);

    // A write left waiting when the cache closes is committed before the database goes.
    const last = cache.set('late@example.test', resultFor('late@example.test'), 60_000);
    await cache.close();
    await last;
    database.close();
    const reopened = openDatabase(dir);
    try {
      expect(await createSqliteResultCache(reopened).get('late@example.test')).not.toBeNull();
      expect(await createSqliteResultCache(reopened).get('nobody@example.test')).toBeNull();
    } finally {
      reopened.close();
    }
  });
});
