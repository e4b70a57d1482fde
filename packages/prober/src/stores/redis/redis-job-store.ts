import { IDEMPOTENCY_KEY_TTL_SECONDS, type VerificationResult } from '@mailprobe/core';
import type { Redis } from 'ioredis';
import type {
  JobItem,
  JobRecord,
  JobRow,
  JobRowCells,
  JobState,
  JobStore,
  NewJob,
  WebhookState,
} from '../types.js';

const SEQUENCE = 'mp:jobs:seq';
/** Jobs still uploading, scored by the epoch ms their ingest lease ends. */
const INGEST_LEASES = 'mp:jobs:ingest-leases';
const WEBHOOK_PENDING = 'mp:jobs:webhook-pending';
/** Jobs in a final state, scored by the epoch ms they reached it (for the retention sweep). */
const FINISHED = 'mp:jobs:finished';
const jobKey = (id: string) => `mp:job:${id}`;
const addressesKey = (id: string) => `mp:job:${id}:addr`;
const seenKey = (id: string) => `mp:job:${id}:seen`;
const attemptsKey = (id: string) => `mp:job:${id}:att`;
const finalKey = (id: string) => `mp:job:${id}:fin`;
const resultsKey = (id: string) => `mp:job:${id}:res`;
/** Row number → `<item index>:<JSON [input, cells]>`. */
const rowsKey = (id: string) => `mp:job:${id}:rows`;
const perJobKeys = (id: string) => [
  jobKey(id),
  addressesKey(id),
  seenKey(id),
  attemptsKey(id),
  finalKey(id),
  resultsKey(id),
  rowsKey(id),
];
const byKeyIndex = (keyId: string) => `mp:jobs:key:${keyId}`;
const idempotencyKey = (keyId: string, key: string) => `mp:idem:${keyId}:${key}`;

// Each result is written once per attempt and once final: the same rules as the SQLite store, in one step.
const RECORD_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HGET', KEYS[1], 'state') == 'queued' then redis.call('HSET', KEYS[1], 'state', 'running') end
for i = 2, #ARGV, 5 do
  local index = ARGV[i]
  local attempt = tonumber(ARGV[i + 1])
  if redis.call('HEXISTS', KEYS[3], index) == 0 and tonumber(redis.call('HGET', KEYS[2], index) or '0') <= attempt then
    redis.call('HSET', KEYS[4], index, ARGV[i + 4])
    redis.call('HSET', KEYS[2], index, attempt + 1)
    if ARGV[i + 2] == '1' then
      redis.call('HSET', KEYS[3], index, 1)
      redis.call('HINCRBY', KEYS[1], 'done', 1)
      redis.call('HINCRBY', KEYS[1], 'count' .. ARGV[i + 3], 1)
    end
  end
end
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[1])
return 1`;

// Every entry becomes the next row; an unseen de-duplication key also becomes the next item. Returns the new
// items as flat (index, position in ARGV order) pairs. KEYS: job, seen, addresses, rows; ARGV: (dedup, address, row)…
const APPEND_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return redis.error_reply('no such job') end
if redis.call('HGET', KEYS[1], 'state') ~= 'ingesting' then return redis.error_reply('job no longer ingesting') end
local total = tonumber(redis.call('HGET', KEYS[1], 'total') or '0')
local rows = tonumber(redis.call('HGET', KEYS[1], 'rows') or '0')
local added = {}
for i = 1, #ARGV, 3 do
  local index = redis.call('HGET', KEYS[2], ARGV[i])
  if not index then
    index = tostring(total)
    total = total + 1
    redis.call('HSET', KEYS[2], ARGV[i], index)
    redis.call('HSET', KEYS[3], index, ARGV[i + 1])
    added[#added + 1] = index
    added[#added + 1] = (i - 1) / 3
  end
  rows = rows + 1
  redis.call('HSET', KEYS[4], rows, index .. ':' .. ARGV[i + 2])
end
redis.call('HSET', KEYS[1], 'total', total, 'rows', rows)
return added`;

const COMPLETE_SCRIPT = `
local state = redis.call('HGET', KEYS[1], 'state')
if state ~= 'queued' and state ~= 'running' then return 0 end
if tonumber(redis.call('HGET', KEYS[1], 'done')) ~= tonumber(redis.call('HGET', KEYS[1], 'total')) then return 0 end
redis.call('HSET', KEYS[1], 'state', 'completed', 'completedAt', ARGV[1], 'updatedAt', ARGV[1])
return 1`;

// Compare-and-set of the state; ARGV: new state, error, now, terminal flag, allowed states…
const SET_STATE_SCRIPT = `
local state = redis.call('HGET', KEYS[1], 'state')
for i = 5, #ARGV do
  if state == ARGV[i] then
    redis.call('HSET', KEYS[1], 'state', ARGV[1], 'error', ARGV[2], 'updatedAt', ARGV[3])
    if ARGV[4] == '1' and (redis.call('HGET', KEYS[1], 'completedAt') or '') == '' then
      redis.call('HSET', KEYS[1], 'completedAt', ARGV[3])
    end
    return 1
  end
end
return 0`;

// Renews an upload's lease only while its job is still ingesting. KEYS: job, leases; ARGV: id, until.
const RENEW_INGEST_SCRIPT = `
if redis.call('HGET', KEYS[1], 'state') ~= 'ingesting' then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return 1`;

// Fails one upload whose lease ended, checked and changed in one step so a renewal cannot slip in between.
// KEYS: job, leases; ARGV: id, now (ms), error, now (ISO).
const FAIL_EXPIRED_SCRIPT = `
local lease = redis.call('ZSCORE', KEYS[2], ARGV[1])
if not lease or tonumber(lease) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('HGET', KEYS[1], 'state') ~= 'ingesting' then return 0 end
redis.call('HSET', KEYS[1], 'state', 'failed', 'error', ARGV[3], 'updatedAt', ARGV[4])
if (redis.call('HGET', KEYS[1], 'completedAt') or '') == '' then redis.call('HSET', KEYS[1], 'completedAt', ARGV[4]) end
return 1`;

// A failed upload's counts go to 0 and its per-job data is unlinked (freed off Redis's main thread), only if the
// job is failed. KEYS: job, then the per-job data keys.
const DISCARD_UPLOAD_SCRIPT = `
if redis.call('HGET', KEYS[1], 'state') ~= 'failed' then return 0 end
redis.call('HSET', KEYS[1], 'total', 0, 'rows', 0, 'done', 0, 'countVALID', 0, 'countINVALID', 0, 'countUNKNOWN', 0)
for i = 2, #KEYS do redis.call('UNLINK', KEYS[i]) end
return 1`;

const SET_CALLBACK_SCRIPT = `
if redis.call('HGET', KEYS[1], 'state') ~= 'ingesting' then return 0 end
redis.call('HSET', KEYS[1], 'callbackUrl', ARGV[1], 'webhookState', 'pending')
return 1`;

// Re-points an Idempotency-Key only if it still holds the value read before. KEYS: key; ARGV: expected, id, ttl.
const TAKE_OVER_KEY_SCRIPT = `
if (redis.call('GET', KEYS[1]) or '') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1`;
/** Rounds of claim → read → take over before giving up (each lost round means another request won the key). */
const IDEMPOTENCY_CLAIM_ROUNDS = 5;

function toRecord(hash: Record<string, string>): JobRecord | null {
  if (!hash.id || !hash.keyId || !hash.state || !hash.createdAt) return null;
  return {
    id: hash.id,
    keyId: hash.keyId,
    state: hash.state as JobState,
    total: Number(hash.total ?? 0),
    rows: Number(hash.rows ?? 0),
    columns: hash.columns ? (JSON.parse(hash.columns) as string[]) : null,
    done: Number(hash.done ?? 0),
    counts: {
      VALID: Number(hash.countVALID ?? 0),
      INVALID: Number(hash.countINVALID ?? 0),
      UNKNOWN: Number(hash.countUNKNOWN ?? 0),
    },
    callbackUrl: hash.callbackUrl || null,
    webhookState: (hash.webhookState || 'none') as WebhookState,
    error: hash.error || null,
    createdAt: hash.createdAt,
    updatedAt: hash.updatedAt || hash.createdAt,
    completedAt: hash.completedAt || null,
  };
}

function range(from: number, count: number): string[] {
  return Array.from({ length: count }, (_, offset) => String(from + offset));
}

/** Jobs, items and results shared by a fleet: every node records into the same hashes. */
export function createRedisJobStore(redis: Redis): JobStore {
  async function getJob(jobId: string): Promise<JobRecord | null> {
    return toRecord(await redis.hgetall(jobKey(jobId)));
  }
  /**
   * Points an Idempotency-Key at `jobId` unless it already names a live job, which is returned instead. A key
   * naming a failed job (its upload never got through) or a vanished one is taken over, compare-and-set, so two
   * retries racing for it make one job.
   */
  async function claimIdempotencyKey(key: string, jobId: string): Promise<JobRecord | null> {
    for (let round = 0; round < IDEMPOTENCY_CLAIM_ROUNDS; round += 1) {
      if ((await redis.set(key, jobId, 'EX', IDEMPOTENCY_KEY_TTL_SECONDS, 'NX')) !== null) return null;
      const existingId = await redis.get(key);
      const existing = existingId ? await getJob(existingId) : null;
      if (existing && existing.state !== 'failed') return existing;
      const taken = await redis.eval(
        TAKE_OVER_KEY_SCRIPT,
        1,
        key,
        existingId ?? '',
        jobId,
        IDEMPOTENCY_KEY_TTL_SECONDS,
      );
      if (taken === 1) return null;
    }
    throw new Error(`Idempotency-Key still contended after ${IDEMPOTENCY_CLAIM_ROUNDS} rounds`);
  }

  async function mustGet(jobId: string): Promise<JobRecord> {
    const job = await getJob(jobId);
    if (!job) throw new Error(`job ${jobId} does not exist`);
    return job;
  }

  return {
    async createJob(job: NewJob) {
      if (job.idempotencyKey !== null) {
        const existing = await claimIdempotencyKey(idempotencyKey(job.keyId, job.idempotencyKey), job.id);
        if (existing) return { created: false, job: existing };
      }
      const sequence = await redis.incr(SEQUENCE);
      const fields: Record<string, string | number> = {
        id: job.id,
        keyId: job.keyId,
        state: 'ingesting',
        total: 0,
        done: 0,
        callbackUrl: job.callbackUrl ?? '',
        webhookState: job.callbackUrl ? 'pending' : 'none',
        createdAt: job.createdAt,
        updatedAt: job.createdAt,
        sequence,
      };
      await redis
        .multi()
        .hset(jobKey(job.id), fields)
        .zadd(byKeyIndex(job.keyId), sequence, job.id)
        .zadd(INGEST_LEASES, job.ingestLeaseUntil, job.id)
        .exec();
      return { created: true, job: await mustGet(job.id) };
    },

    async listJobs(keyId, { state, limit, cursor }) {
      const before =
        cursor === undefined ? '+inf' : `(${Number(Buffer.from(cursor, 'base64url').toString())}`;
      if (before === '(NaN') return { jobs: [], nextCursor: null };
      const jobs: JobRecord[] = [];
      let upper = before;
      let lastSequence: number | null = null;
      // Scan newest first, skipping jobs filtered out, until a page plus one is found or the index ends.
      for (;;) {
        const page = await redis.zrevrangebyscore(
          byKeyIndex(keyId),
          upper,
          '-inf',
          'WITHSCORES',
          'LIMIT',
          0,
          100,
        );
        if (page.length === 0) break;
        for (let position = 0; position < page.length; position += 2) {
          const job = await getJob(page[position] as string);
          const sequence = Number(page[position + 1]);
          upper = `(${sequence}`;
          if (!job || job.state === 'ingesting' || (state && job.state !== state)) continue;
          if (jobs.length === limit)
            return { jobs, nextCursor: Buffer.from(String(lastSequence)).toString('base64url') };
          jobs.push(job);
          lastSequence = sequence;
        }
      }
      return { jobs, nextCursor: null };
    },

    async appendItems(jobId, items) {
      if (items.length === 0) return [];
      const args: string[] = [];
      for (const item of items) {
        args.push(item.dedupKey, item.address, JSON.stringify([item.address, item.cells ?? null]));
      }
      const pairs = (await redis.eval(
        APPEND_SCRIPT,
        4,
        jobKey(jobId),
        seenKey(jobId),
        addressesKey(jobId),
        rowsKey(jobId),
        ...args,
      )) as Array<string | number>;
      const added: JobItem[] = [];
      for (let at = 0; at < pairs.length; at += 2) {
        const item = items[Number(pairs[at + 1])];
        if (item) added.push({ index: Number(pairs[at]), address: item.address });
      }
      return added;
    },

    async sealJob(jobId, columns) {
      const now = new Date().toISOString();
      if (columns) await redis.hset(jobKey(jobId), 'columns', JSON.stringify(columns));
      await redis.eval(SET_STATE_SCRIPT, 1, jobKey(jobId), 'queued', '', now, '0', 'ingesting');
      await redis.multi().zrem(INGEST_LEASES, jobId).del(seenKey(jobId)).exec();
      return mustGet(jobId);
    },

    getJob,

    async renewIngestLease(jobId, until) {
      return (await redis.eval(RENEW_INGEST_SCRIPT, 2, jobKey(jobId), INGEST_LEASES, jobId, until)) === 1;
    },

    async failExpiredIngests(now, error) {
      const expired = await redis.zrangebyscore(INGEST_LEASES, '-inf', `(${now}`);
      const failed: string[] = [];
      const at = new Date(now).toISOString();
      for (const jobId of expired) {
        const changed = await redis.eval(
          FAIL_EXPIRED_SCRIPT,
          2,
          jobKey(jobId),
          INGEST_LEASES,
          jobId,
          now,
          error,
          at,
        );
        if (changed !== 1) continue;
        await redis.multi().del(seenKey(jobId)).zadd(FINISHED, now, jobId).exec();
        const job = await getJob(jobId);
        if (job?.webhookState === 'pending') await redis.sadd(WEBHOOK_PENDING, jobId);
        failed.push(jobId);
      }
      return failed;
    },

    async setCallbackUrl(jobId, callbackUrl) {
      return (await redis.eval(SET_CALLBACK_SCRIPT, 1, jobKey(jobId), callbackUrl)) === 1;
    },

    async listJobsInState(state) {
      if (state !== 'ingesting') throw new Error('only ingesting jobs are indexed by state');
      const ids = await redis.zrange(INGEST_LEASES, 0, -1);
      const jobs = await Promise.all(ids.map(getJob));
      return jobs.filter((job): job is JobRecord => job !== null);
    },

    async setState(jobId, state, from, error) {
      const terminal = state === 'completed' || state === 'cancelled' || state === 'failed' ? '1' : '0';
      const now = new Date().toISOString();
      const changed = await redis.eval(
        SET_STATE_SCRIPT,
        1,
        jobKey(jobId),
        state,
        error ?? '',
        now,
        terminal,
        ...from,
      );
      if (changed === 1 && from.includes('ingesting')) await redis.zrem(INGEST_LEASES, jobId);
      if (changed === 1 && terminal === '1') {
        await redis.zadd(FINISHED, Date.now(), jobId);
        const job = await getJob(jobId);
        if (job?.webhookState === 'pending') await redis.sadd(WEBHOOK_PENDING, jobId);
      }
      return changed === 1;
    },

    async pendingItems(jobId, indexes, attempt) {
      if (indexes.length === 0) return [];
      const fields = indexes.map(String);
      const [finals, attempts, addresses] = await Promise.all([
        redis.hmget(finalKey(jobId), ...fields),
        redis.hmget(attemptsKey(jobId), ...fields),
        redis.hmget(addressesKey(jobId), ...fields),
      ]);
      const items: JobItem[] = [];
      indexes.forEach((index, position) => {
        const address = addresses[position];
        if (finals[position] !== null || Number(attempts[position] ?? 0) > attempt || address == null) return;
        items.push({ index, address });
      });
      return items;
    },

    async recordResults(jobId, results) {
      if (results.length === 0) return;
      const args: Array<string | number> = [new Date().toISOString()];
      for (const { index, result, attempt, final } of results) {
        args.push(index, attempt, final ? '1' : '0', result.status, JSON.stringify(result));
      }
      await redis.eval(
        RECORD_SCRIPT,
        4,
        jobKey(jobId),
        attemptsKey(jobId),
        finalKey(jobId),
        resultsKey(jobId),
        ...args,
      );
    },

    async openItems(jobId, indexes) {
      if (indexes.length === 0) return [];
      const finals = await redis.hmget(finalKey(jobId), ...indexes.map(String));
      return indexes.filter((_, position) => finals[position] === null);
    },

    async completeIfDone(jobId, completedAt) {
      const completed = (await redis.eval(COMPLETE_SCRIPT, 1, jobKey(jobId), completedAt)) === 1;
      if (completed) {
        await redis.zadd(FINISHED, Date.now(), jobId);
        const job = await getJob(jobId);
        if (job?.webhookState === 'pending') await redis.sadd(WEBHOOK_PENDING, jobId);
      }
      return completed;
    },

    async readResults(jobId, fromIndex, limit) {
      const total = Number((await redis.hget(jobKey(jobId), 'total')) ?? 0);
      const count = Math.max(0, Math.min(limit, total - fromIndex));
      if (count === 0) return [];
      const values = await redis.hmget(resultsKey(jobId), ...range(fromIndex, count));
      return values.map((value) => (value === null ? null : (JSON.parse(value) as VerificationResult)));
    },

    async readRows(jobId, fromRow, limit) {
      const rows = Number((await redis.hget(jobKey(jobId), 'rows')) ?? 0);
      const count = Math.max(0, Math.min(limit, rows - fromRow + 1));
      if (count === 0) return [];
      const values = await redis.hmget(rowsKey(jobId), ...range(fromRow, count));
      const parsed = values.map((value, offset) => {
        const text = value ?? '';
        const colon = text.indexOf(':');
        const [input, cells] = JSON.parse(text.slice(colon + 1)) as [string, JobRowCells | null];
        return { row: fromRow + offset, index: text.slice(0, colon), input, cells };
      });
      const indexes = [...new Set(parsed.map((row) => row.index))];
      const results = await redis.hmget(resultsKey(jobId), ...indexes);
      const byIndex = new Map(indexes.map((index, position) => [index, results[position] ?? null]));
      return parsed.map(({ row, index, input, cells }): JobRow => {
        const result = byIndex.get(index) ?? null;
        return {
          row,
          input,
          cells,
          result: result === null ? null : (JSON.parse(result) as VerificationResult),
        };
      });
    },

    async discardUpload(jobId) {
      const [job, ...data] = perJobKeys(jobId);
      return (await redis.eval(DISCARD_UPLOAD_SCRIPT, 1 + data.length, job as string, ...data)) === 1;
    },

    async deleteJob(jobId) {
      const job = await getJob(jobId);
      const multi = redis
        .multi()
        .del(...perJobKeys(jobId))
        .zrem(INGEST_LEASES, jobId)
        .zrem(FINISHED, jobId)
        .srem(WEBHOOK_PENDING, jobId);
      if (job) multi.zrem(byKeyIndex(job.keyId), jobId);
      const answers = await multi.exec();
      return (answers?.[0]?.[1] as number) > 0;
    },

    async finishedBefore(before, limit) {
      return redis.zrangebyscore(FINISHED, '-inf', `(${before}`, 'LIMIT', 0, limit);
    },

    async setWebhookState(jobId, state) {
      // A job deleted meanwhile must not come back as a hash holding only this field.
      if ((await redis.exists(jobKey(jobId))) === 1) await redis.hset(jobKey(jobId), 'webhookState', state);
      if (state !== 'pending') await redis.srem(WEBHOOK_PENDING, jobId);
    },

    async jobsWithPendingWebhook() {
      const ids = await redis.smembers(WEBHOOK_PENDING);
      const jobs = await Promise.all(ids.map(getJob));
      return jobs.filter((job): job is JobRecord => job !== null && job.webhookState === 'pending');
    },

    async close() {},
  };
}
