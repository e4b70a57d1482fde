import { randomUUID } from 'node:crypto';
import type { VerificationResult } from '@mailprobe/core';
import { type RedisServer, startRedisServer } from '@mailprobe/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../create-stores.js';
import { upgradeLegacyJobs } from './redis-job-store.js';

let server: RedisServer;
let stores: Stores;

beforeAll(async () => {
  server = await startRedisServer();
  stores = await openStores({ dataDir: '', redisUrl: server.url });
});

afterAll(async () => {
  await stores?.close();
  await server?.stop();
});

function accepted(address: string): VerificationResult {
  return {
    address,
    normalized: address.toLowerCase(),
    status: 'VALID',
    reason: 'accepted',
    domain: 'x.test',
    flags: { roleAccount: false, disposable: false, freeProvider: false, catchAll: false },
    suggestion: null,
    mx: ['mx.x.test'],
    smtp: {
      host: 'mx.x.test',
      ip: '127.1.0.1',
      port: 25,
      sourceAddress: null,
      heloName: 'probe.test',
      tls: false,
      replyCode: 250,
      enhancedCode: '2.1.5',
      replyText: '2.1.5 Ok',
    },
    retryAfterSeconds: null,
    timings: { dnsMs: 1, connectMs: 1, smtpMs: 20, queuedMs: 0, totalMs: 22 },
    checkedAt: new Date().toISOString(),
    cached: false,
  };
}

describe('Redis job store', () => {
  it('converts a job stored by 0.1.0 (a hash field per item and row) once, answering as before', async () => {
    const redis = stores.redis;
    if (!redis) throw new Error('no Redis');
    await stores.keys.insert({
      id: 'legacy-key',
      name: 'legacy',
      secretHash: 'ab'.repeat(32),
      limits: { requestsPerMinute: null, quota: null },
      used: 0,
      createdAt: new Date().toISOString(),
      revokedAt: null,
    });
    const id = `job_${randomUUID()}`;
    const now = new Date().toISOString();
    const first = accepted('a@x.test');
    // The 0.1.0 layout, as its store wrote it: items a@x.test (final) and b@x.test (open, probed once), three rows.
    await redis
      .multi()
      .hset(`mp:job:${id}`, {
        id,
        keyId: 'legacy-key',
        state: 'running',
        total: 2,
        rows: 3,
        done: 1,
        countVALID: 1,
        createdAt: now,
        updatedAt: now,
        sequence: 1,
        webhookState: 'none',
        columns: JSON.stringify(['email', 'name']),
      })
      .zadd('mp:jobs:key:legacy-key', 1, id)
      .hset(`mp:job:${id}:addr`, '0', 'a@x.test', '1', 'b@x.test')
      .hset(`mp:job:${id}:att`, '0', '1', '1', '1')
      .hset(`mp:job:${id}:fin`, '0', '1')
      .hset(`mp:job:${id}:res`, '0', JSON.stringify(first))
      .hset(`mp:job:${id}:rows`, {
        1: `0:${JSON.stringify(['a@x.test', ['a@x.test', 'Ann']])}`,
        2: `1:${JSON.stringify(['b@x.test', ['b@x.test', 'Bo']])}`,
        3: `0:${JSON.stringify(['A@X.test', ['A@X.test', 'Ann again']])}`,
      })
      .exec();

    expect(await upgradeLegacyJobs(redis)).toBe(1);
    expect(await redis.exists(`mp:job:${id}:addr`, `mp:job:${id}:rows`, `mp:job:${id}:res`)).toBe(0);
    expect(await stores.jobs.readRows(id, 1, 10)).toEqual([
      {
        row: 1,
        input: 'a@x.test',
        cells: ['a@x.test', 'Ann'],
        result: first,
        skipped: null,
        duplicateOf: null,
      },
      {
        row: 2,
        input: 'b@x.test',
        cells: ['b@x.test', 'Bo'],
        result: null,
        skipped: null,
        duplicateOf: null,
      },
      {
        row: 3,
        input: 'A@X.test',
        cells: ['A@X.test', 'Ann again'],
        result: first,
        skipped: 'duplicate',
        duplicateOf: 1,
      },
    ]);
    expect(await stores.jobs.pendingItems(id, [0, 1], 1)).toEqual([{ index: 1, address: 'b@x.test' }]);
    expect(await stores.jobs.pendingItems(id, [0, 1], 0)).toEqual([]);
    await stores.jobs.recordResults(id, [
      { index: 1, result: accepted('b@x.test'), attempt: 1, final: true },
    ]);
    expect(await stores.jobs.completeIfDone(id, new Date().toISOString())).toBe(true);
    // Done once: a later start finds nothing to convert.
    expect(await upgradeLegacyJobs(redis)).toBe(0);
  });
});
