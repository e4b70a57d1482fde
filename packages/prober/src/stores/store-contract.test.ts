// One contract, two implementations: every test here runs against the embedded SQLite store and against a real
// redis-server, through the same interfaces (`openStores`).
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { notCheckedResult, type Status, syntaxErrorResult, type VerificationResult } from '@mailprobe/core';
import { type RedisServer, startRedisServer } from '@mailprobe/test-kit';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheTtlMs } from '../verification-service.js';
import { openStores, type Stores } from './create-stores.js';
import { DATABASE_FILE } from './sqlite/open-database.js';
import type { ApiKeyRecord, NewJob, NewJobItem } from './types.js';

const LEASE_MS = 60_000;
const SHORT_TTL_MS = 80;

function result(address: string, status: Status = 'INVALID'): VerificationResult {
  const base = syntaxErrorResult(address, { code: 'missing_at', message: 'no @' });
  if (status === 'VALID') return { ...base, status, reason: 'accepted' };
  if (status === 'UNKNOWN') return { ...base, status, reason: 'greylisted' };
  return base;
}

function keyRecord(overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    id: `k${randomUUID().slice(0, 8)}`,
    name: 'contract',
    secretHash: 'ab'.repeat(32),
    limits: { requestsPerMinute: 60, quota: 10 },
    used: 0,
    createdAt: new Date().toISOString(),
    revokedAt: null,
    ...overrides,
  };
}

function newJob(overrides: Partial<NewJob> = {}): NewJob {
  return {
    id: `job_${randomUUID()}`,
    keyId: 'key-1',
    callbackUrl: null,
    idempotencyKey: null,
    createdAt: new Date().toISOString(),
    ingestLeaseUntil: Date.now() + LEASE_MS,
    ...overrides,
  };
}

const items = (...addresses: string[]): NewJobItem[] =>
  addresses.map((address) => ({ address, dedupKey: address.toLowerCase() }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Backend {
  name: string;
  /** Fresh, empty stores (each test gets its own). */
  open(): Promise<Stores>;
  /**
   * Stores `fingerprint` for `jobId` the way the previous version did (beside the webhook tables or keys), then
   * opens the stores again as an upgraded node does.
   */
  upgradeWithLegacyFingerprint(stores: Stores, jobId: string, fingerprint: string): Promise<Stores>;
  stop(): Promise<void>;
}

function sqliteBackend(): Backend {
  const folders: string[] = [];
  return {
    name: 'SQLite (embedded)',
    async open() {
      const dataDir = await mkdtemp(path.join(tmpdir(), 'mailprobe-contract-'));
      folders.push(dataDir);
      return openStores({ dataDir, redisUrl: null });
    },
    async upgradeWithLegacyFingerprint(stores, jobId, fingerprint) {
      await stores.close();
      const dataDir = folders.at(-1) as string;
      // The previous version's file: no fingerprint column on jobs, a table of its own instead.
      const database = new Database(path.join(dataDir, DATABASE_FILE));
      database.exec(`ALTER TABLE jobs DROP COLUMN request_fingerprint;
        CREATE TABLE job_request_fingerprints (job_id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL) WITHOUT ROWID;`);
      database
        .prepare('INSERT INTO job_request_fingerprints (job_id, fingerprint) VALUES (?, ?), (?, ?)')
        .run(jobId, fingerprint, 'job_deleted_long_ago', 'orphan');
      database.close();
      return openStores({ dataDir, redisUrl: null });
    },
    async stop() {
      for (const folder of folders) await rm(folder, { recursive: true, force: true });
    },
  };
}

function redisBackend(): Backend {
  let redis: RedisServer | null = null;
  return {
    name: 'Redis (fleet)',
    async open() {
      redis ??= await startRedisServer();
      const previous = await openStores({ dataDir: '', redisUrl: redis.url });
      await previous.redis?.flushdb();
      await previous.close();
      return openStores({ dataDir: '', redisUrl: redis.url });
    },
    async upgradeWithLegacyFingerprint(stores, jobId, fingerprint) {
      await stores.redis?.set(`mp:jobfp:${jobId}`, fingerprint, 'EX', 3600);
      await stores.close();
      return openStores({ dataDir: '', redisUrl: redis?.url ?? null });
    },
    async stop() {
      await redis?.stop();
    },
  };
}

describe.each([sqliteBackend(), redisBackend()])('store contract: $name', (backend) => {
  let stores: Stores;

  beforeEach(async () => {
    stores = await backend.open();
  });
  afterEach(async () => {
    await stores?.close();
  });
  afterAll(async () => {
    await backend.stop();
  });

  describe('KeyStore', () => {
    it('stores, finds, lists and revokes keys', async () => {
      const first = keyRecord({ createdAt: '2025-01-01T00:00:00.000Z' });
      const second = keyRecord({ limits: { requestsPerMinute: null, quota: null } });
      await stores.keys.insert(first);
      await stores.keys.insert(second);
      expect(await stores.keys.get(first.id)).toEqual(first);
      expect(await stores.keys.get('missing')).toBeNull();
      expect((await stores.keys.list()).map((key) => key.id)).toEqual([first.id, second.id]);
      expect(await stores.keys.revoke(first.id, '2025-02-01T00:00:00.000Z')).toBe(true);
      expect(await stores.keys.revoke('missing', '2025-02-01T00:00:00.000Z')).toBe(false);
      expect((await stores.keys.get(first.id))?.revokedAt).toBe('2025-02-01T00:00:00.000Z');
    });

    it('consumes quota all or nothing, and never limits a key without quota', async () => {
      const limited = keyRecord({ limits: { requestsPerMinute: 60, quota: 10 } });
      const unlimited = keyRecord({ limits: { requestsPerMinute: 60, quota: null } });
      await stores.keys.insert(limited);
      await stores.keys.insert(unlimited);
      expect(await stores.keys.consume(limited.id, 7)).toBe(true);
      expect(await stores.keys.consume(limited.id, 4)).toBe(false);
      expect((await stores.keys.get(limited.id))?.used).toBe(7);
      expect(await stores.keys.consume(limited.id, 3)).toBe(true);
      expect(await stores.keys.consume(limited.id, 1)).toBe(false);
      expect(await stores.keys.consume(unlimited.id, 1_000_000)).toBe(true);
      expect((await stores.keys.get(unlimited.id))?.used).toBe(1_000_000);
    });

    it('refunds what was consumed, never below zero, so a refunded quota can be used again', async () => {
      const limited = keyRecord({ limits: { requestsPerMinute: 60, quota: 10 } });
      await stores.keys.insert(limited);
      expect(await stores.keys.consume(limited.id, 10)).toBe(true);
      await stores.keys.refund(limited.id, 6);
      expect((await stores.keys.get(limited.id))?.used).toBe(4);
      expect(await stores.keys.consume(limited.id, 6)).toBe(true);
      await stores.keys.refund(limited.id, 50);
      expect((await stores.keys.get(limited.id))?.used).toBe(0);
      await stores.keys.refund('missing', 1);
      expect(await stores.keys.get('missing')).toBeNull();
    });
  });

  describe('ResultCache', () => {
    it('returns what was stored until it expires, with the TTL of each status', async () => {
      const ttl = {
        validMs: LEASE_MS,
        invalidMs: LEASE_MS,
        unknownMs: SHORT_TTL_MS,
        transientMs: SHORT_TTL_MS,
        greylistedMaxMs: SHORT_TTL_MS,
        catchAllMs: LEASE_MS,
      };
      const valid = result('v@example.test', 'VALID');
      const invalid = result('i@example.test', 'INVALID');
      const unknown = result('u@example.test', 'UNKNOWN');
      for (const entry of [valid, invalid, unknown]) {
        await stores.cache.set(entry.address, entry, cacheTtlMs(entry, ttl));
      }
      expect(await stores.cache.get('v@example.test')).toEqual(valid);
      expect(await stores.cache.get('u@example.test')).toEqual(unknown);
      expect(await stores.cache.get('nobody@example.test')).toBeNull();
      await sleep(SHORT_TTL_MS * 2);
      expect(await stores.cache.get('u@example.test')).toBeNull();
      expect(await stores.cache.get('v@example.test')).toEqual(valid);
      expect(await stores.cache.get('i@example.test')).toEqual(invalid);
    });

    it('serves a write at once, while it still waits to share its commit or round trip with others', async () => {
      const probed = result('soon@example.test', 'VALID');
      const writing = stores.cache.set(probed.address, probed, LEASE_MS);
      expect(await stores.cache.get(probed.address)).toEqual(probed);
      expect((await stores.cache.getEntry(probed.address))?.result).toEqual(probed);
      expect((await stores.cache.getEntries?.([probed.address]))?.[0]?.result ?? probed).toEqual(probed);
      await writing;
      expect(await stores.cache.get(probed.address)).toEqual(probed);
    });

    it('looks many up at once, in order, as one by one would (when the store can)', async () => {
      const valid = result('many-v@example.test', 'VALID');
      const invalid = result('many-i@example.test', 'INVALID');
      await stores.cache.set(valid.address, valid, LEASE_MS);
      await stores.cache.set(invalid.address, invalid, SHORT_TTL_MS);
      await sleep(SHORT_TTL_MS * 2);
      const names = [
        'many-i@example.test',
        'many-v@example.test',
        'nobody@example.test',
        'many-v@example.test',
      ];
      const one = await Promise.all(names.map((name) => stores.cache.getEntry(name)));
      expect(one.map((entry) => entry?.result ?? null)).toEqual([null, valid, null, valid]);
      if (!stores.cache.getEntries) return;
      const many = await stores.cache.getEntries(names);
      expect(many.map((entry) => entry?.result ?? null)).toEqual([null, valid, null, valid]);
      expect(many[1]?.expiresAt).toBeGreaterThan(Date.now());
      expect(await stores.cache.getEntries([])).toEqual([]);
    });

    it('returns a probed result exactly, evidence and reply text included, for any input form', async () => {
      const probed: VerificationResult = {
        ...result('Ann.Lee@Example.TEST', 'INVALID'),
        normalized: 'Ann.Lee@example.test',
        reason: 'mailbox_not_found',
        domain: 'example.test',
        mx: ['mx1.example.test', 'mx2.example.test'],
        smtp: {
          host: 'mx2.example.test',
          ip: '192.0.2.1',
          port: 25,
          sourceAddress: null,
          heloName: 'probe.test',
          tls: true,
          replyCode: 550,
          enhancedCode: '5.1.1',
          replyText: '5.1.1 <Ann.Lee@example.test>: Recipient address rejected: User unknown',
        },
        syntaxError: undefined,
        retryAfterSeconds: null,
      };
      delete probed.syntaxError;
      await stores.cache.set('Ann.Lee@example.test', probed, LEASE_MS);
      expect(await stores.cache.get('Ann.Lee@example.test')).toEqual(probed);
      const other = { ...probed, address: 'bo@example.test', normalized: 'bo@example.test' };
      await stores.cache.set('bo@example.test', other, LEASE_MS);
      expect((await stores.cache.getEntry('bo@example.test'))?.result).toEqual(other);
    });

    it('keeps a burst of results sharing their session, each shared part as long as its longest-lived result', async () => {
      // One session's refusals (same MX, same reply but for the address), written in one window, more than a batch:
      // every other one kept briefly (its own TTL), so every shared part is named by short- and long-lived results.
      const refused = (address: string): VerificationResult => {
        const entry: VerificationResult = {
          ...result(address, 'INVALID'),
          reason: 'mailbox_not_found',
          mx: ['mx.burst.test'],
          smtp: {
            host: 'mx.burst.test',
            ip: '192.0.2.9',
            port: 25,
            sourceAddress: null,
            heloName: 'probe.test',
            tls: false,
            replyCode: 550,
            enhancedCode: '5.1.1',
            replyText: `5.1.1 <${address}>: User unknown`,
          },
          retryAfterSeconds: null,
        };
        delete entry.syntaxError;
        return entry;
      };
      const burst = Array.from({ length: 1100 }, (_, index) => refused(`burst${index}@burst.test`));
      // The short-lived one of each pair first: in every batch a shared part is first named by a short-lived result.
      const ttlOf = (index: number) => (index % 2 === 1 ? SHORT_TTL_MS : LEASE_MS);
      await Promise.all(
        burst
          .map((entry, index) => ({ entry, index }))
          .sort((a, b) => Math.floor(a.index / 2) - Math.floor(b.index / 2) || b.index - a.index)
          .map(({ entry, index }) => stores.cache.set(entry.address, entry, ttlOf(index))),
      );
      expect(await stores.cache.get('burst1099@burst.test')).toEqual(burst[1099]);
      await sleep(SHORT_TTL_MS * 2);
      expect(await stores.cache.get('burst1@burst.test')).toBeNull();
      const kept = burst.filter((_, index) => ttlOf(index) === LEASE_MS);
      const found = await Promise.all(kept.map((entry) => stores.cache.get(entry.address)));
      expect(found).toEqual(kept);
    });

    it('stores nothing for a TTL of zero, and replaces an entry on a new write', async () => {
      await stores.cache.set('zero@example.test', result('zero@example.test'), 0);
      expect(await stores.cache.get('zero@example.test')).toBeNull();
      await stores.cache.set('twice@example.test', result('twice@example.test', 'UNKNOWN'), LEASE_MS);
      await stores.cache.set('twice@example.test', result('twice@example.test', 'VALID'), LEASE_MS);
      expect((await stores.cache.get('twice@example.test'))?.status).toBe('VALID');
    });
  });

  describe('JobStore', () => {
    it('creates jobs once per idempotency key and API key', async () => {
      const first = await stores.jobs.createJob(newJob({ idempotencyKey: 'upload-1' }));
      expect(first.created).toBe(true);
      expect(first.job).toMatchObject({ state: 'ingesting', total: 0, done: 0, webhookState: 'none' });
      const again = await stores.jobs.createJob(newJob({ idempotencyKey: 'upload-1' }));
      expect(again).toEqual({ created: false, job: first.job });
      const otherKey = await stores.jobs.createJob(newJob({ idempotencyKey: 'upload-1', keyId: 'key-2' }));
      expect(otherKey.created).toBe(true);
      const noKey = await stores.jobs.createJob(newJob());
      expect(noKey.job.id).not.toBe(first.job.id);
    });

    it('frees an idempotency key whose job failed during its upload', async () => {
      const broken = await stores.jobs.createJob(newJob({ idempotencyKey: 'upload-failed' }));
      expect(await stores.jobs.setState(broken.job.id, 'failed', ['ingesting'], 'upload broke')).toBe(true);
      const retried = await stores.jobs.createJob(newJob({ idempotencyKey: 'upload-failed' }));
      expect(retried.created).toBe(true);
      expect(retried.job.id).not.toBe(broken.job.id);
      const again = await stores.jobs.createJob(newJob({ idempotencyKey: 'upload-failed' }));
      expect(again).toEqual({ created: false, job: retried.job });
    });

    it('numbers new items from 0, de-duplicated within and across batches, and seals the total', async () => {
      const { job } = await stores.jobs.createJob(newJob());
      const added = await stores.jobs.appendItems(job.id, items('a@x.test', 'b@x.test', 'A@x.test'));
      expect(added).toEqual([
        { index: 0, address: 'a@x.test' },
        { index: 1, address: 'b@x.test' },
      ]);
      expect(await stores.jobs.appendItems(job.id, items('b@x.test', 'c@x.test'))).toEqual([
        { index: 2, address: 'c@x.test' },
      ]);
      const sealed = await stores.jobs.sealJob(job.id);
      expect(sealed).toMatchObject({ state: 'queued', total: 3 });
      expect(await stores.jobs.pendingItems(job.id, [0, 1, 2], 0)).toEqual([
        { index: 0, address: 'a@x.test' },
        { index: 1, address: 'b@x.test' },
        { index: 2, address: 'c@x.test' },
      ]);
    });

    it('writes each result exactly once per attempt and once final, counting it once', async () => {
      const { job } = await stores.jobs.createJob(newJob());
      await stores.jobs.appendItems(job.id, items('a@x.test', 'b@x.test'));
      await stores.jobs.sealJob(job.id);
      const greylisted = result('a@x.test', 'UNKNOWN');
      await stores.jobs.recordResults(job.id, [{ index: 0, result: greylisted, attempt: 0, final: false }]);
      // The same attempt written again (a retaken chunk) changes nothing.
      await stores.jobs.recordResults(job.id, [
        { index: 0, result: result('a@x.test', 'VALID'), attempt: 0, final: true },
      ]);
      expect(await stores.jobs.readResults(job.id, 0, 10)).toEqual([greylisted, null]);
      expect(await stores.jobs.openItems(job.id, [0, 1])).toEqual([0, 1]);
      expect(await stores.jobs.pendingItems(job.id, [0, 1], 0)).toEqual([{ index: 1, address: 'b@x.test' }]);
      expect(await stores.jobs.pendingItems(job.id, [0, 1], 1)).toHaveLength(2);

      const final = result('a@x.test', 'VALID');
      const other = result('b@x.test', 'INVALID');
      for (let write = 0; write < 2; write += 1) {
        await stores.jobs.recordResults(job.id, [
          { index: 0, result: final, attempt: 1, final: true },
          { index: 1, result: other, attempt: 0, final: true },
        ]);
      }
      // A late write of an older attempt after the final one is ignored too.
      await stores.jobs.recordResults(job.id, [{ index: 0, result: greylisted, attempt: 0, final: true }]);
      expect(await stores.jobs.readResults(job.id, 0, 10)).toEqual([final, other]);
      expect(await stores.jobs.readResults(job.id, 1, 1)).toEqual([other]);
      expect(await stores.jobs.openItems(job.id, [0, 1])).toEqual([]);
      const running = await stores.jobs.getJob(job.id);
      expect(running).toMatchObject({
        state: 'running',
        done: 2,
        counts: { VALID: 1, INVALID: 1, UNKNOWN: 0 },
      });

      const at = new Date().toISOString();
      const attempts = await Promise.all([
        stores.jobs.completeIfDone(job.id, at),
        stores.jobs.completeIfDone(job.id, at),
      ]);
      expect(attempts.filter(Boolean)).toHaveLength(1);
      expect(await stores.jobs.getJob(job.id)).toMatchObject({ state: 'completed', completedAt: at });
    });

    it('keeps the waiting re-probes of ended chunks, the first retry time and the earliest start', async () => {
      const { job } = await stores.jobs.createJob(newJob());
      await stores.jobs.appendItems(job.id, items('a@x.test', 'b@x.test', 'c@x.test', 'd@x.test'));
      const sealed = await stores.jobs.sealJob(job.id);
      expect(sealed).toMatchObject({ waiting: 0, nextRetryAt: null, startedAt: null });
      await stores.jobs.scheduleRetries(job.id, {
        indexes: [0, 1],
        waiting: [0, 1],
        retryAt: 5_000,
        startedAt: 1_000,
      });
      await stores.jobs.scheduleRetries(job.id, {
        indexes: [2, 3],
        waiting: [3],
        retryAt: 4_000,
        startedAt: 2_000,
      });
      expect(await stores.jobs.getJob(job.id)).toMatchObject({
        waiting: 3,
        nextRetryAt: 4_000,
        startedAt: 1_000,
      });
      // The re-probe of item 3 settles it; items 0 and 1 get a later retry (a second greylisting).
      await stores.jobs.scheduleRetries(job.id, {
        indexes: [3],
        waiting: [],
        retryAt: 9_000,
        startedAt: 4_000,
      });
      await stores.jobs.scheduleRetries(job.id, {
        indexes: [0, 1],
        waiting: [1],
        retryAt: 9_000,
        startedAt: 5_000,
      });
      expect(await stores.jobs.getJob(job.id)).toMatchObject({
        waiting: 1,
        nextRetryAt: 9_000,
        startedAt: 1_000,
      });
      expect(
        (await stores.jobs.listJobs('key-1', { limit: 10 })).jobs.find((listed) => listed.id === job.id),
      ).toMatchObject({ waiting: 1, nextRetryAt: 9_000 });
      await stores.jobs.scheduleRetries(job.id, {
        indexes: [1],
        waiting: [],
        retryAt: 9_000,
        startedAt: 9_000,
      });
      expect(await stores.jobs.getJob(job.id)).toMatchObject({
        waiting: 0,
        nextRetryAt: null,
        startedAt: 1_000,
      });
    });

    it('lists items without a final result, a bounded stretch at a time, with their latest result', async () => {
      const { job } = await stores.jobs.createJob(newJob());
      await stores.jobs.appendItems(
        job.id,
        items('a@x.test', 'b@x.test', 'c@x.test', 'd@x.test', 'e@x.test'),
      );
      await stores.jobs.sealJob(job.id);
      const greylisted = result('b@x.test', 'UNKNOWN');
      await stores.jobs.recordResults(job.id, [
        { index: 0, result: result('a@x.test', 'VALID'), attempt: 0, final: true },
        { index: 1, result: greylisted, attempt: 0, final: false },
        { index: 3, result: result('d@x.test', 'INVALID'), attempt: 0, final: true },
      ]);
      expect(await stores.jobs.unfinishedItems(job.id, 0, 3)).toEqual({
        items: [
          { index: 1, address: 'b@x.test', result: greylisted },
          { index: 2, address: 'c@x.test', result: null },
        ],
        nextIndex: 3,
      });
      expect(await stores.jobs.unfinishedItems(job.id, 3, 3)).toEqual({
        items: [{ index: 4, address: 'e@x.test', result: null }],
        nextIndex: null,
      });
      // Finishing writes final results over the open ones with an attempt beyond any re-probe, and learns how
      // many it really recorded (a result settled meanwhile is not counted twice).
      const finishing = [
        { index: 1, result: greylisted, attempt: 2 ** 30, final: true },
        {
          index: 2,
          result: notCheckedResult('c@x.test', 'c@x.test', 'x.test'),
          attempt: 2 ** 30,
          final: true,
        },
        {
          index: 4,
          result: notCheckedResult('e@x.test', 'e@x.test', 'x.test'),
          attempt: 2 ** 30,
          final: true,
        },
      ];
      expect(await stores.jobs.recordResults(job.id, finishing)).toBe(3);
      expect(await stores.jobs.recordResults(job.id, finishing)).toBe(0);
      expect(await stores.jobs.unfinishedItems(job.id, 0, 10)).toEqual({ items: [], nextIndex: null });
      // The two never probed are counted apart (a cancel racing the finish gives them back).
      expect(await stores.jobs.getJob(job.id)).toMatchObject({
        done: 5,
        counts: { VALID: 1, INVALID: 1, UNKNOWN: 3 },
        notChecked: 2,
      });
      expect(await stores.jobs.completeIfDone(job.id, new Date().toISOString())).toBe(true);
    });

    it('does not complete a job with open items, and changes state only from the states given', async () => {
      const { job } = await stores.jobs.createJob(newJob({ callbackUrl: 'https://hooks.example.com/a' }));
      expect(job.webhookState).toBe('pending');
      await stores.jobs.appendItems(job.id, items('a@x.test'));
      await stores.jobs.sealJob(job.id);
      expect(await stores.jobs.completeIfDone(job.id, new Date().toISOString())).toBe(false);
      expect(await stores.jobs.setState(job.id, 'cancelled', ['completed'])).toBe(false);
      expect(await stores.jobs.setState(job.id, 'cancelled', ['queued', 'running'])).toBe(true);
      const cancelled = await stores.jobs.getJob(job.id);
      expect(cancelled?.state).toBe('cancelled');
      expect(cancelled?.completedAt).not.toBeNull();
      expect((await stores.jobs.jobsWithPendingWebhook()).map((pending) => pending.id)).toContain(job.id);
      await stores.jobs.setWebhookState(job.id, 'delivered');
      expect((await stores.jobs.jobsWithPendingWebhook()).map((pending) => pending.id)).not.toContain(job.id);
    });

    it("lists a key's jobs newest first, by state, a page at a time, without jobs still ingesting", async () => {
      const keyId = `key-${randomUUID()}`;
      const ids: string[] = [];
      for (let count = 0; count < 3; count += 1) {
        const { job } = await stores.jobs.createJob(newJob({ keyId }));
        await stores.jobs.appendItems(job.id, items(`u${count}@x.test`));
        await stores.jobs.sealJob(job.id);
        ids.push(job.id);
      }
      await stores.jobs.createJob(newJob({ keyId }));
      await stores.jobs.setState(ids[0] as string, 'cancelled', ['queued']);
      const first = await stores.jobs.listJobs(keyId, { limit: 2 });
      expect(first.jobs.map((job) => job.id)).toEqual([ids[2], ids[1]]);
      expect(first.nextCursor).not.toBeNull();
      const second = await stores.jobs.listJobs(keyId, { limit: 2, cursor: first.nextCursor as string });
      expect(second).toEqual({ jobs: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
      const cancelled = await stores.jobs.listJobs(keyId, { state: 'cancelled', limit: 10 });
      expect(cancelled.jobs.map((job) => job.id)).toEqual([ids[0]]);
      expect((await stores.jobs.listJobs('nobody', { limit: 10 })).jobs).toEqual([]);
    });

    it('fails uploads whose lease ran out, and only those', async () => {
      const now = Date.now();
      const dead = await stores.jobs.createJob(
        newJob({ ingestLeaseUntil: now - 1, callbackUrl: 'https://hooks.example.com/d' }),
      );
      const renewed = await stores.jobs.createJob(newJob({ ingestLeaseUntil: now - 1 }));
      const alive = await stores.jobs.createJob(newJob({ ingestLeaseUntil: now + LEASE_MS }));
      expect(await stores.jobs.renewIngestLease(renewed.job.id, now + LEASE_MS)).toBe(true);
      expect(await stores.jobs.failExpiredIngests(now, 'upload interrupted')).toEqual([dead.job.id]);
      expect(await stores.jobs.failExpiredIngests(now, 'upload interrupted')).toEqual([]);
      expect(await stores.jobs.getJob(dead.job.id)).toMatchObject({
        state: 'failed',
        error: 'upload interrupted',
      });
      expect((await stores.jobs.jobsWithPendingWebhook()).map((job) => job.id)).toEqual([dead.job.id]);
      expect(await stores.jobs.renewIngestLease(dead.job.id, now + LEASE_MS)).toBe(false);
      expect((await stores.jobs.sealJob(dead.job.id)).state).toBe('failed');
      const ingesting = (await stores.jobs.listJobsInState('ingesting')).map((job) => job.id).sort();
      expect(ingesting).toEqual([renewed.job.id, alive.job.id].sort());
      // A sealed job has no lease left to expire.
      await stores.jobs.appendItems(alive.job.id, items('a@x.test'));
      await stores.jobs.sealJob(alive.job.id);
      expect(await stores.jobs.failExpiredIngests(now + 2 * LEASE_MS, 'late')).toEqual([renewed.job.id]);
      expect((await stores.jobs.getJob(alive.job.id))?.state).toBe('queued');
    });

    it('sets a callback URL that arrives late in the upload, only while ingesting', async () => {
      const { job } = await stores.jobs.createJob(newJob());
      expect(await stores.jobs.setCallbackUrl(job.id, 'https://hooks.example.com/late')).toBe(true);
      expect(await stores.jobs.getJob(job.id)).toMatchObject({
        callbackUrl: 'https://hooks.example.com/late',
        webhookState: 'pending',
      });
      await stores.jobs.appendItems(job.id, items('a@x.test'));
      await stores.jobs.sealJob(job.id);
      expect(await stores.jobs.setCallbackUrl(job.id, 'https://hooks.example.com/other')).toBe(false);
      expect((await stores.jobs.getJob(job.id))?.callbackUrl).toBe('https://hooks.example.com/late');
    });
  });

  describe('JobStore rows', () => {
    it('keeps every row in order with its own cells, each answered by its de-duplicated item', async () => {
      const { job } = await stores.jobs.createJob(newJob());
      const added = await stores.jobs.appendItems(job.id, [
        { address: 'a@x.test', dedupKey: 'a@x.test', cells: ['Ann', 'a@x.test', '=1+1'] },
        { address: 'b@x.test', dedupKey: 'b@x.test', cells: ['Bo', 'b@x.test', ''] },
        { address: 'A@x.test', dedupKey: 'a@x.test', cells: ['Ann again', 'A@x.test'] },
      ]);
      expect(added).toEqual([
        { index: 0, address: 'a@x.test' },
        { index: 1, address: 'b@x.test' },
      ]);
      expect(
        await stores.jobs.appendItems(job.id, [
          { address: 'b@x.test', dedupKey: 'b@x.test', cells: { email: 'b@x.test', n: 1 } },
        ]),
      ).toEqual([]);
      const sealed = await stores.jobs.sealJob(job.id, ['name', 'email', 'note']);
      expect(sealed).toMatchObject({ total: 2, rows: 4, columns: ['name', 'email', 'note'] });
      const first = result('a@x.test', 'VALID');
      await stores.jobs.recordResults(job.id, [{ index: 0, result: first, attempt: 0, final: true }]);
      const own = { skipped: null, duplicateOf: null };
      expect(await stores.jobs.readRows(job.id, 1, 10)).toEqual([
        { row: 1, input: 'a@x.test', cells: ['Ann', 'a@x.test', '=1+1'], result: first, ...own },
        { row: 2, input: 'b@x.test', cells: ['Bo', 'b@x.test', ''], result: null, ...own },
        {
          row: 3,
          input: 'A@x.test',
          cells: ['Ann again', 'A@x.test'],
          result: first,
          skipped: 'duplicate',
          duplicateOf: 1,
        },
        {
          row: 4,
          input: 'b@x.test',
          cells: { email: 'b@x.test', n: 1 },
          result: null,
          skipped: 'duplicate',
          duplicateOf: 2,
        },
      ]);
      expect((await stores.jobs.readRows(job.id, 3, 1)).map((row) => row.row)).toEqual([3]);
      expect(await stores.jobs.readRows(job.id, 5, 10)).toEqual([]);
    });

    it('keeps thousands of rows, items and probed results in order across pages and storage buckets', async () => {
      const { job } = await stores.jobs.createJob(newJob());
      const rowCount = 2600;
      // Every tenth row repeats the row before it (same item, its own input).
      const addressOf = (row: number) => {
        const base = row % 10 === 9 ? row - 1 : row;
        return `u${base}@b${base % 7}.test`;
      };
      for (let from = 0; from < rowCount; from += 1000) {
        const batch: NewJobItem[] = [];
        for (let row = from; row < Math.min(rowCount, from + 1000); row += 1) {
          const address = row % 10 === 9 ? addressOf(row).toUpperCase() : addressOf(row);
          batch.push({ address, dedupKey: addressOf(row), cells: [String(row), address] });
        }
        await stores.jobs.appendItems(job.id, batch);
      }
      const sealed = await stores.jobs.sealJob(job.id, ['n', 'email']);
      expect(sealed).toMatchObject({ rows: rowCount, total: rowCount - rowCount / 10 });
      const probedResult = (address: string): VerificationResult => ({
        ...result(address, 'VALID'),
        normalized: address,
        domain: address.split('@')[1] as string,
        mx: [`mx.${address.split('@')[1]}`],
        smtp: {
          host: `mx.${address.split('@')[1]}`,
          ip: '127.1.2.3',
          port: 25,
          sourceAddress: null,
          heloName: 'probe.test',
          tls: false,
          replyCode: 250,
          enhancedCode: '2.1.5',
          replyText: `2.1.5 <${address}> Ok`,
        },
        syntaxError: undefined,
      });
      const pending = await stores.jobs.pendingItems(
        job.id,
        [0, 1023, 1024, 2047, 2048, sealed.total - 1],
        0,
      );
      expect(pending.map((item) => item.index)).toEqual([0, 1023, 1024, 2047, 2048, sealed.total - 1]);
      // Item k is the k-th row that is not a repeat (every tenth row is).
      expect(pending.map((item) => item.address)).toEqual(
        pending.map((item) => addressOf(item.index + Math.floor(item.index / 9))),
      );
      const written: VerificationResult[] = [];
      for (let index = 0; index < sealed.total; index += 100) {
        const page = (
          await stores.jobs.pendingItems(
            job.id,
            Array.from({ length: Math.min(100, sealed.total - index) }, (_, offset) => index + offset),
            0,
          )
        ).map((item) => {
          const { syntaxError: _, ...probed } = probedResult(item.address);
          written[item.index] = probed;
          return { index: item.index, result: probed, attempt: 0, final: true };
        });
        await stores.jobs.recordResults(job.id, page);
      }
      expect(await stores.jobs.openItems(job.id, [0, 1024, 2048])).toEqual([]);
      expect(await stores.jobs.readResults(job.id, 1000, 100)).toEqual(written.slice(1000, 1100));
      const byAddress = new Map(written.map((stored) => [stored.address, stored]));
      const rows = [];
      for (let from = 1; from <= rowCount; from += 700)
        rows.push(...(await stores.jobs.readRows(job.id, from, 700)));
      expect(rows).toHaveLength(rowCount);
      rows.forEach((row, offset) => {
        const input = offset % 10 === 9 ? addressOf(offset).toUpperCase() : addressOf(offset);
        expect(row).toMatchObject({ row: offset + 1, input, cells: [String(offset), input] });
        expect(row.result).toEqual(byAddress.get(addressOf(offset)));
      });
      expect((await stores.jobs.getJob(job.id))?.done).toBe(sealed.total);
      expect(await stores.jobs.deleteJob(job.id)).toBe(true);
      expect(await stores.jobs.readRows(job.id, 1, 10)).toEqual([]);
    });

    it('keeps blank rows without an item, raw CSV text, the upload details and the risky count', async () => {
      const { job } = await stores.jobs.createJob(newJob({ fileName: 'leads.csv' }));
      const added = await stores.jobs.appendItems(job.id, [
        { address: '', dedupKey: '', cells: 'Ann;;+1 (555) 570-4036' },
        { address: 'c@x.test', dedupKey: 'c@x.test', cells: '"Cy";c@x.test;=1+1' },
        { address: '  ', dedupKey: '', cells: 'Dee;  ;' },
      ]);
      expect(added).toEqual([{ index: 0, address: 'c@x.test' }]);
      const format = {
        kind: 'csv',
        delimiter: ';',
        bom: true,
        lineEnding: '\r\n',
        header: 'name;email;phone',
      } as const;
      const sealed = await stores.jobs.sealJob(job.id, ['name', 'email', 'phone'], {
        column: 'email',
        format,
      });
      expect(sealed).toMatchObject({
        total: 1,
        rows: 3,
        blank: 2,
        fileName: 'leads.csv',
        column: 'email',
        format,
      });
      const catchAll = { ...result('c@x.test', 'UNKNOWN'), reason: 'catch_all' as const };
      await stores.jobs.recordResults(job.id, [{ index: 0, result: catchAll, attempt: 0, final: true }]);
      expect(await stores.jobs.getJob(job.id)).toMatchObject({ risky: 1, done: 1 });
      expect(await stores.jobs.readRows(job.id, 1, 10)).toEqual([
        {
          row: 1,
          input: '',
          cells: 'Ann;;+1 (555) 570-4036',
          result: null,
          skipped: 'blank',
          duplicateOf: null,
        },
        {
          row: 2,
          input: 'c@x.test',
          cells: '"Cy";c@x.test;=1+1',
          result: catchAll,
          skipped: null,
          duplicateOf: null,
        },
        { row: 3, input: '  ', cells: 'Dee;  ;', result: null, skipped: 'blank', duplicateOf: null },
      ]);
    });

    it('deletes a job with its rows, items and results, and forgets it everywhere', async () => {
      const keyId = `key-${randomUUID()}`;
      const { job } = await stores.jobs.createJob(newJob({ keyId }));
      await stores.jobs.appendItems(job.id, items('a@x.test'));
      await stores.jobs.sealJob(job.id);
      await stores.jobs.recordResults(job.id, [
        { index: 0, result: result('a@x.test'), attempt: 0, final: true },
      ]);
      expect(await stores.jobs.deleteJob(job.id)).toBe(true);
      expect(await stores.jobs.getJob(job.id)).toBeNull();
      expect(await stores.jobs.readRows(job.id, 1, 10)).toEqual([]);
      expect((await stores.jobs.listJobs(keyId, { limit: 10 })).jobs).toEqual([]);
      expect(await stores.jobs.deleteJob(job.id)).toBe(false);
      // A worker that still records into a deleted job brings nothing back.
      await stores.jobs.recordResults(job.id, [
        { index: 0, result: result('a@x.test'), attempt: 1, final: true },
      ]);
      expect(await stores.jobs.getJob(job.id)).toBeNull();
    });

    it("deletes a failed upload's rows, items and results at once, keeping the job with its error", async () => {
      const { job } = await stores.jobs.createJob(newJob());
      await stores.jobs.appendItems(job.id, [
        { address: 'a@x.test', dedupKey: 'a@x.test', cells: ['Ann', 'a@x.test'] },
        { address: 'broken', dedupKey: 'broken', cells: ['Bo', 'broken'] },
        { address: '', dedupKey: '', cells: ['Cy', ''] },
      ]);
      await stores.jobs.recordResults(job.id, [
        { index: 1, result: result('broken'), attempt: 0, final: true },
      ]);
      // Only a failed job's upload is discarded.
      expect(await stores.jobs.discardUpload(job.id)).toBe(false);
      expect(await stores.jobs.readRows(job.id, 1, 10)).toHaveLength(3);

      expect(
        await stores.jobs.setState(job.id, 'failed', ['ingesting'], 'the upload is not UTF-8 text'),
      ).toBe(true);
      expect(await stores.jobs.discardUpload(job.id)).toBe(true);
      expect(await stores.jobs.getJob(job.id)).toMatchObject({
        state: 'failed',
        error: 'the upload is not UTF-8 text',
        total: 0,
        rows: 0,
        done: 0,
        counts: { VALID: 0, INVALID: 0, UNKNOWN: 0 },
        blank: 0,
        risky: 0,
      });
      expect(await stores.jobs.readRows(job.id, 1, 10)).toEqual([]);
      expect(await stores.jobs.readResults(job.id, 0, 10)).toEqual([]);
      expect(await stores.jobs.pendingItems(job.id, [0, 1], 0)).toEqual([]);
      // An upload still streaming into a failed job (the sweeper gave it up) is refused.
      await expect(stores.jobs.appendItems(job.id, items('c@x.test'))).rejects.toThrow(/ingesting/);
      expect(await stores.jobs.readRows(job.id, 1, 10)).toEqual([]);
    });

    it('keeps a request fingerprint with its job, and forgets it with the job (deleted, or its upload discarded)', async () => {
      const { job } = await stores.jobs.createJob(newJob({ idempotencyKey: 'retry-1' }));
      const other = await stores.jobs.createJob(newJob());
      expect(await stores.jobs.getRequestFingerprint(job.id)).toBeNull();
      await stores.jobs.setRequestFingerprint(job.id, 'fp-1');
      expect(await stores.jobs.getRequestFingerprint(job.id)).toBe('fp-1');
      expect(await stores.jobs.getRequestFingerprint(other.job.id)).toBeNull();
      expect(await stores.jobs.deleteJob(job.id)).toBe(true);
      expect(await stores.jobs.getRequestFingerprint(job.id)).toBeNull();

      await stores.jobs.setRequestFingerprint(other.job.id, 'fp-2');
      expect(await stores.jobs.setState(other.job.id, 'failed', ['ingesting'], 'upload broke')).toBe(true);
      expect(await stores.jobs.discardUpload(other.job.id)).toBe(true);
      expect(await stores.jobs.getRequestFingerprint(other.job.id)).toBeNull();
    });

    it('finds a fingerprint the previous version stored, once upgraded in place, and deletes it with the job', async () => {
      const { job } = await stores.jobs.createJob(newJob({ idempotencyKey: 'retry-2' }));
      await stores.jobs.appendItems(job.id, items('a@x.test'));
      await stores.jobs.sealJob(job.id);
      stores = await backend.upgradeWithLegacyFingerprint(stores, job.id, 'fp-old');
      expect(await stores.jobs.getJob(job.id)).toMatchObject({ id: job.id, state: 'queued', total: 1 });
      expect(await stores.jobs.getRequestFingerprint(job.id)).toBe('fp-old');
      expect(await stores.jobs.getRequestFingerprint('job_deleted_long_ago')).toBeNull();
      expect(await stores.jobs.deleteJob(job.id)).toBe(true);
      expect(await stores.jobs.getRequestFingerprint(job.id)).toBeNull();
    });

    it('lists finished jobs older than a cutoff, oldest first, and only finished ones', async () => {
      const done = await stores.jobs.createJob(newJob());
      await stores.jobs.appendItems(done.job.id, items('a@x.test'));
      await stores.jobs.sealJob(done.job.id);
      const running = await stores.jobs.createJob(newJob());
      await stores.jobs.appendItems(running.job.id, items('a@x.test'));
      await stores.jobs.sealJob(running.job.id);
      expect(await stores.jobs.setState(done.job.id, 'cancelled', ['queued'])).toBe(true);
      await sleep(5);
      const cutoff = Date.now();
      expect(await stores.jobs.finishedBefore(cutoff, 10)).toEqual([done.job.id]);
      expect(await stores.jobs.finishedBefore(cutoff - 60_000, 10)).toEqual([]);
    });
  });

  describe('JobQueue', () => {
    it('hands each chunk to one consumer, retakes it after the lease, and forgets it once acknowledged', async () => {
      const leaseMs = 100;
      await stores.queue.enqueue([{ jobId: 'j', indexes: [0, 1], attempt: 0 }]);
      await stores.queue.enqueue([{ jobId: 'j', indexes: [2], attempt: 1 }], { delayMs: LEASE_MS });
      expect(await stores.queue.depth()).toBe(2);
      const claimed = await stores.queue.claim('node-a', leaseMs);
      expect(claimed?.message).toEqual({ jobId: 'j', indexes: [0, 1], attempt: 0 });
      expect(await stores.queue.claim('node-b', leaseMs)).toBeNull();
      await sleep(leaseMs * 2);
      const retaken = await stores.queue.claim('node-b', leaseMs);
      expect(retaken?.message).toEqual(claimed?.message);
      await stores.queue.ack(retaken as NonNullable<typeof retaken>);
      expect(await stores.queue.claim('node-a', leaseMs)).toBeNull();
      expect(await stores.queue.depth()).toBe(1);
    });

    it('renews leases only for their holders, many at once: a node whose chunk was taken over learns so and never takes it back', async () => {
      const leaseMs = 100;
      await stores.queue.enqueue([
        { jobId: 'j', indexes: [7], attempt: 0 },
        { jobId: 'j', indexes: [8], attempt: 0 },
      ]);
      type Claimed = NonNullable<Awaited<ReturnType<Stores['queue']['claim']>>>;
      const claimed = (await stores.queue.claim('node-a', leaseMs)) as Claimed;
      const kept = (await stores.queue.claim('node-a', leaseMs)) as Claimed;
      expect(await stores.queue.heartbeat([])).toEqual([]);
      expect(
        await stores.queue.heartbeat([
          { chunk: claimed, consumer: 'node-a' },
          { chunk: kept, consumer: 'node-a' },
        ]),
      ).toEqual([true, true]);
      await sleep(leaseMs * 2);
      const taken = (await stores.queue.claim('node-b', leaseMs)) as Claimed;
      expect([claimed.message, kept.message]).toContainEqual(taken.message);
      const lost = taken.message.indexes[0] === claimed.message.indexes[0] ? claimed : kept;
      const other = lost === claimed ? kept : claimed;
      // One call answers for each: the chunk taken over is lost to node-a, the other still its own.
      expect(
        await stores.queue.heartbeat([
          { chunk: lost, consumer: 'node-a' },
          { chunk: other, consumer: 'node-a' },
          { chunk: taken, consumer: 'node-b' },
        ]),
      ).toEqual([false, true, true]);
      await sleep(leaseMs * 2);
      // node-b renewed its chunk and node-a the other, so a claim with a longer lease than their idle time finds nothing.
      expect(
        await stores.queue.heartbeat([
          { chunk: taken, consumer: 'node-b' },
          { chunk: other, consumer: 'node-a' },
        ]),
      ).toEqual([true, true]);
      expect(await stores.queue.claim('node-c', leaseMs * 10)).toBeNull();
      await stores.queue.ack(taken);
      await stores.queue.ack(other);
    });

    it('tells idle workers when work becomes claimable: enqueued now or handed back, not delayed', async () => {
      let heard = 0;
      const stop = stores.queue.onWork(() => {
        heard += 1;
      });
      const until = async (count: number) => {
        const deadline = Date.now() + 2000;
        while (heard < count && Date.now() < deadline) await sleep(5);
      };
      // A subscription may take a moment to reach the server.
      await sleep(100);
      await stores.queue.enqueue([{ jobId: 'w', indexes: [1], attempt: 0 }]);
      await until(1);
      expect(heard).toBe(1);
      await stores.queue.enqueue([{ jobId: 'w', indexes: [2], attempt: 1 }], { delayMs: LEASE_MS });
      const claimed = await stores.queue.claim('node-a', LEASE_MS);
      await stores.queue.release(claimed as NonNullable<typeof claimed>);
      await until(2);
      await sleep(50);
      expect(heard).toBe(2);
      stop();
      await stores.queue.enqueue([{ jobId: 'w', indexes: [3], attempt: 0 }]);
      await sleep(100);
      expect(heard).toBe(2);
    });

    it('keeps a quiet enqueue unannounced until announce: an upload wakes workers once it is sealed', async () => {
      let heard = 0;
      const stop = stores.queue.onWork(() => {
        heard += 1;
      });
      // A subscription may take a moment to reach the server.
      await sleep(100);
      await stores.queue.enqueue([{ jobId: 'q', indexes: [1], attempt: 0 }], { quiet: true });
      await sleep(100);
      expect(heard).toBe(0);
      // Claimable all the same (a worker's poll finds it).
      const claimed = await stores.queue.claim('node-a', LEASE_MS);
      expect(claimed?.message).toEqual({ jobId: 'q', indexes: [1], attempt: 0 });
      await stores.queue.announce();
      const deadline = Date.now() + 2000;
      while (heard < 1 && Date.now() < deadline) await sleep(5);
      expect(heard).toBe(1);
      stop();
      await stores.queue.ack(claimed as NonNullable<typeof claimed>);
    });

    it('gives a released chunk to the next consumer at once, long before its lease would run out', async () => {
      const longLeaseMs = 60_000;
      await stores.queue.enqueue([{ jobId: 'j', indexes: [4, 5], attempt: 1 }]);
      const claimed = await stores.queue.claim('node-a', longLeaseMs);
      expect(await stores.queue.claim('node-b', longLeaseMs)).toBeNull();
      await stores.queue.release(claimed as NonNullable<typeof claimed>);
      const retaken = await stores.queue.claim('node-b', longLeaseMs);
      expect(retaken?.message).toEqual({ jobId: 'j', indexes: [4, 5], attempt: 1 });
      await stores.queue.ack(retaken as NonNullable<typeof retaken>);
      expect(await stores.queue.claim('node-a', longLeaseMs)).toBeNull();
      expect(await stores.queue.depth()).toBe(0);
    });
  });
});
