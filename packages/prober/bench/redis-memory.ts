// Redis memory of a fleet's job: a 100,000-row CSV job (the job benchmark's CRM-like rows, 5% repeated addresses)
// written through the Redis stores as a node writes it (upload in batches, seal, results recorded in groups of
// 25 with real-looking evidence: Postfix reply texts, MX host, IP, HELO name, timings; each result also into the
// shared results cache, as the job worker does), then measured two ways: the `used_memory` delta of INFO memory
// (everything the job added to Redis) and the sum of MEMORY USAGE over the job's own keys. Printed per row and
// per million rows (the sizing in docs/deploy.md). Then a cross-check: a 20,000-row job run for real by a
// Redis-backed node on the fake internet (the engine's own results), Redis bytes per row in all.
import { randomUUID } from 'node:crypto';
import type { VerificationResult } from '@mailprobe/core';
import { startFakeInternet, startRedisServer } from '@mailprobe/test-kit';
import type { Redis } from 'ioredis';
import { openStores, startProber } from '../src/index.js';
import type { ItemResult, NewJobItem } from '../src/stores/types.js';

const ROWS = Number(process.env.BENCH_REDIS_ROWS ?? 100_000);
const DOMAINS = 50;
const REPEAT_EVERY = 20;
const UPLOAD_BATCH = 2000;
const RECORD_BATCH = 25;
/** The goal of issue 21: Redis bytes per result row. */
const GOAL_BYTES_PER_ROW = 400;
const MEBIBYTE = 1024 * 1024;
const CACHE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Rows of the job a Redis-backed node runs for real on the fake internet (the engine's own results). */
const LIVE_ROWS = Number(process.env.BENCH_REDIS_LIVE_ROWS ?? 20_000);
const LIVE_POLL_MS = 100;

function addressAt(index: number): string {
  return `user${Math.floor(index / DOMAINS)}@bench${index % DOMAINS}.test`;
}

/** `used_memory` without the clients' buffers (a big command's query buffer stays allocated for a while). */
async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  const field = (name: string) => Number(new RegExp(`${name}:(\\d+)`).exec(info)?.[1] ?? 0);
  return field('used_memory') - field('mem_clients_normal');
}

async function keysMemory(redis: Redis, pattern: string): Promise<{ keys: number; bytes: number }> {
  let cursor = '0';
  let keys = 0;
  let bytes = 0;
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    for (const key of found) {
      keys += 1;
      bytes += Number(await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
    }
  } while (cursor !== '0');
  return { keys, bytes };
}

/** A result as the engine builds it for a Postfix MX (accepted or "User unknown"). */
function probedResult(address: string, index: number): VerificationResult {
  const valid = index % 2 === 0;
  const domain = address.slice(address.indexOf('@') + 1);
  return {
    address,
    normalized: address,
    status: valid ? 'VALID' : 'INVALID',
    reason: valid ? 'accepted' : 'mailbox_not_found',
    domain,
    flags: { roleAccount: false, disposable: false, freeProvider: false, catchAll: false },
    suggestion: null,
    mx: [`mx.${domain}`],
    smtp: {
      host: `mx.${domain}`,
      ip: `127.1.${index % DOMAINS}.25`,
      port: 25,
      sourceAddress: null,
      heloName: 'prober.mailprobe.example',
      tls: false,
      replyCode: valid ? 250 : 550,
      enhancedCode: valid ? '2.1.5' : '5.1.1',
      replyText: valid
        ? '2.1.5 Ok'
        : `5.1.1 <${address}>: Recipient address rejected: User unknown in local recipient table`,
    },
    retryAfterSeconds: null,
    timings: {
      dnsMs: 3,
      connectMs: 1,
      smtpMs: 180 + (index % 50),
      queuedMs: index % 900,
      totalMs: 400 + (index % 700),
    },
    checkedAt: new Date().toISOString(),
    cached: false,
  };
}

/** Writes one job through the Redis store and prints its memory per row. */
export async function redisMemoryBenchmark(): Promise<void> {
  const server = await startRedisServer();
  const stores = await openStores({ dataDir: '', redisUrl: server.url });
  const redis = stores.redis as Redis;
  try {
    const before = await usedMemory(redis);
    const { job } = await stores.jobs.createJob({
      id: `job_${randomUUID()}`,
      keyId: 'bench',
      callbackUrl: null,
      idempotencyKey: null,
      createdAt: new Date().toISOString(),
      ingestLeaseUntil: Date.now() + 60_000,
    });
    for (let from = 0; from < ROWS; from += UPLOAD_BATCH) {
      const batch: NewJobItem[] = [];
      for (let row = from; row < Math.min(ROWS, from + UPLOAD_BATCH); row += 1) {
        const address = addressAt(row % REPEAT_EVERY === REPEAT_EVERY - 1 ? row - 1 : row);
        const cells = [String(row + 1), `Name ${row}`, address, `Company ${row % 97}, Inc.`, `note "${row}"`];
        batch.push({ address, dedupKey: address, cells });
      }
      await stores.jobs.appendItems(job.id, batch);
    }
    const uploading = await usedMemory(redis);
    const sealed = await stores.jobs.sealJob(job.id, [
      'id',
      'First Name',
      'Email Address',
      'Company',
      'Notes',
    ]);
    const queued = await usedMemory(redis);
    for (let from = 0; from < sealed.total; from += RECORD_BATCH) {
      const indexes = Array.from(
        { length: Math.min(RECORD_BATCH, sealed.total - from) },
        (_, offset) => from + offset,
      );
      const items = await stores.jobs.pendingItems(job.id, indexes, 0);
      const results: ItemResult[] = items.map((item) => ({
        index: item.index,
        result: probedResult(item.address, item.index),
        attempt: 0,
        final: true,
      }));
      await stores.jobs.recordResults(job.id, results);
      await Promise.all(results.map(({ result }) => stores.cache.set(result.address, result, CACHE_TTL_MS)));
    }
    const finished = await stores.jobs.getJob(job.id);
    const after = await usedMemory(redis);
    const { keys, bytes } = await keysMemory(redis, `mp:job:${job.id}*`);
    const cache = await keysMemory(redis, 'mp:cache*');
    const perRow = (after - before) / ROWS;
    const perRowJob = bytes / ROWS;
    console.log(
      `redis memory of a ${ROWS}-row CSV job (${sealed.total} distinct addresses, ${finished?.done} results): ` +
        `${perRow.toFixed(0)} bytes per row in all by INFO used_memory (${((after - before) / MEBIBYTE).toFixed(1)} MB, ` +
        `${((perRow * 1_000_000) / MEBIBYTE).toFixed(0)} MB per million rows; goal ≤ ${GOAL_BYTES_PER_ROW} bytes per row: ` +
        `${perRow <= GOAL_BYTES_PER_ROW ? 'met' : 'MISSED'}); by MEMORY USAGE: the job's ${keys} keys ` +
        `${perRowJob.toFixed(0)} bytes per row, the results cache ${cache.keys} keys ${(cache.bytes / ROWS).toFixed(0)} ` +
        `bytes per row; while uploading ${((uploading - before) / ROWS).toFixed(0)} bytes per row (de-duplication ` +
        `index included), sealed before results ${((queued - before) / ROWS).toFixed(0)}`,
    );
  } finally {
    await stores.close();
    await server.stop();
  }
}

/** A real job on a Redis-backed node (fake internet, the engine's own results and cache writes): Redis bytes per row. */
export async function redisLiveJobBenchmark(): Promise<void> {
  const domains: Parameters<typeof startFakeInternet>[0]['domains'] = {};
  const mailboxes = new Map<number, string[]>();
  for (let index = 0; index < LIVE_ROWS; index += 2) {
    const domain = index % DOMAINS;
    mailboxes.set(domain, [...(mailboxes.get(domain) ?? []), addressAt(index)]);
  }
  for (let domain = 0; domain < DOMAINS; domain += 1)
    domains[`bench${domain}.test`] = {
      mx: [{ host: `mx.bench${domain}.test`, smtp: { mailboxes: mailboxes.get(domain) ?? [] } }],
    };
  const internet = await startFakeInternet({ domains });
  const server = await startRedisServer();
  const prober = await startProber({
    redisUrl: server.url,
    engine: { ...internet.engineOptions, maxConnectionsPerMinute: 100_000 },
  });
  const redis = prober.server.stores.redis as Redis;
  try {
    const key = await prober.createKey('memory', { requestsPerMinute: 1_000_000 });
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'text/csv' };
    const before = await usedMemory(redis);
    const rows = ['email'];
    for (let row = 0; row < LIVE_ROWS; row += 1) rows.push(addressAt(row));
    const created = await fetch(`${prober.url}/v1/jobs`, {
      method: 'POST',
      headers,
      body: `${rows.join('\r\n')}\r\n`,
    });
    const { id } = (await created.json()) as { id: string };
    let status = 'queued';
    while (status === 'queued' || status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, LIVE_POLL_MS));
      status = (
        (await (await fetch(`${prober.url}/v1/jobs/${id}`, { headers })).json()) as { status: string }
      ).status;
    }
    const after = await usedMemory(redis);
    const parts: string[] = [];
    for (const [name, pattern] of [
      ['job', `mp:job:${id}*`],
      ['results cache', 'mp:cache*'],
      ['queue', 'mp:queue*'],
      ['MX limits', 'mp:mx*'],
    ] as const) {
      const { keys, bytes } = await keysMemory(redis, pattern);
      parts.push(`${name} ${(bytes / LIVE_ROWS).toFixed(0)} (${keys} keys)`);
    }
    console.log(
      `redis memory of a ${LIVE_ROWS}-row one-column CSV job run by a Redis-backed node on the fake internet ` +
        `(${status}): ${((after - before) / LIVE_ROWS).toFixed(0)} bytes per row in all by INFO used_memory; by ` +
        `MEMORY USAGE per row: ${parts.join(', ')}`,
    );
  } finally {
    await prober.close();
    await server.stop();
    await internet.close();
  }
}
