import { IDEMPOTENCY_KEY_TTL_SECONDS } from '@mailprobe/core';
import type { Redis } from 'ioredis';
import type {
  JobItem,
  JobRecord,
  JobRow,
  JobRowCells,
  JobState,
  JobStore,
  NewJob,
  UnfinishedItem,
  UploadFormat,
  WebhookState,
} from '../types.js';
import { decodeResult, dictionaryNamesOf, encodeResult, type ResultDictionary } from './compact-result.js';
import { defineScript, evalScript, queueScript } from './redis-script.js';

const SEQUENCE = 'mp:jobs:seq';
/** Jobs still uploading, scored by the epoch ms their ingest lease ends. */
const INGEST_LEASES = 'mp:jobs:ingest-leases';
const WEBHOOK_PENDING = 'mp:jobs:webhook-pending';
/** Jobs in a final state, scored by the epoch ms they reached it (for the retention sweep). */
const FINISHED = 'mp:jobs:finished';
const jobKey = (id: string) => `mp:job:${id}`;
const seenKey = (id: string) => `mp:job:${id}:seen`;
/**
 * Items and rows live in lists of `BUCKET_SIZE` elements (`<prefix>it:<n>`, `<prefix>rw:<n>`), packed by Redis
 * into listpacks a few bytes per element, instead of one hash field (about 60 bytes of overhead each) per value.
 *
 * Item element: `<attempts probed><o open | f final><address as JSON>[TAB<result, compact-result.ts>]`.
 * Row element: `<item index>[,<first row of a repeated address>]<JSON array [cells, input]>` (no index for a blank
 * address cell), trailing nulls left out; input only when it differs from its item's address. Positions of the array only ever get appended (raw record, markers…).
 */
const BUCKET_SIZE = 1024;
/** A bucket's span of wanted items is read whole (LRANGE) unless it is this many times longer than what is wanted. */
const SPARSE_READ_FACTOR = 4;
const bucketPrefix = (id: string) => `mp:job:${id}:`;
const itemBucketKey = (id: string, bucket: number) => `mp:job:${id}:it:${bucket}`;
const rowBucketKey = (id: string, bucket: number) => `mp:job:${id}:rw:${bucket}`;
/** What the job's results share (sessions, replies), by content-hash name: see compact-result.ts. */
const dictionaryKey = (id: string) => `mp:job:${id}:dict`;
/** Items waiting for a scheduled re-probe, scored by its epoch ms. */
const waitingKey = (id: string) => `mp:job:${id}:wait`;
/** The fingerprint of the request that created the job under an Idempotency-Key, kept while the key is. */
const fingerprintKey = (id: string) => `mp:job:${id}:fp`;
/** Where earlier versions kept it (beside the webhook store's keys): still read, and deleted with the job. */
const legacyFingerprintKey = (id: string) => `mp:jobfp:${id}`;
/** Keys of the layout before bucketed lists (0.1.0): deleted with the job. */
const legacyKeys = (id: string) =>
  ['addr', 'att', 'fin', 'res', 'rows'].map((name) => `mp:job:${id}:${name}`);
/** Keys deleted per DEL when a job goes. */
const DELETE_PAGE = 500;
const ITEM_PATTERN = /^(\d+)([of])([^\t]*)(?:\t(.*))?$/s;
const byKeyIndex = (keyId: string) => `mp:jobs:key:${keyId}`;
const idempotencyKey = (keyId: string, key: string) => `mp:idem:${keyId}:${key}`;

// Each result is written once per attempt and once final: an item already final, or already probed at this
// attempt (by a node whose chunk was taken over), is left alone, so a row never gets a second, different result.
// KEYS: job, dictionary; ARGV: now, bucket prefix, bucket size, entry count, (name, value)…, then
// (index, attempt, final, status, result, risky)…
const RECORD_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HGET', KEYS[1], 'state') == 'queued' then redis.call('HSET', KEYS[1], 'state', 'running') end
local finals = 0
local size = tonumber(ARGV[3])
local first = 5 + 2 * tonumber(ARGV[4])
for i = 5, first - 1, 2 do redis.call('HSETNX', KEYS[2], ARGV[i], ARGV[i + 1]) end
for i = first, #ARGV, 6 do
  local index = tonumber(ARGV[i])
  local attempt = tonumber(ARGV[i + 1])
  local key = ARGV[2] .. 'it:' .. math.floor(index / size)
  local position = index % size
  local item = redis.call('LINDEX', key, position)
  if item then
    local attempts, flag, address = string.match(item, '^(%d+)([of])([^\t]*)')
    if flag == 'o' and tonumber(attempts) <= attempt then
      local final = ARGV[i + 2] ~= '0'
      local mark = 'o'
      if final then mark = 'f' end
      redis.call('LSET', key, position, tostring(attempt + 1) .. mark .. address .. '\t' .. ARGV[i + 4])
      if final then
        if ARGV[i + 2] == 'not_checked' then redis.call('HINCRBY', KEYS[1], 'notChecked', 1) end
        redis.call('HINCRBY', KEYS[1], 'done', 1)
        redis.call('HINCRBY', KEYS[1], 'count' .. ARGV[i + 3], 1)
        if ARGV[i + 5] == '1' then redis.call('HINCRBY', KEYS[1], 'risky', 1) end
        finals = finals + 1
      end
    end
  end
end
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[1])
return finals`;

// A chunk ended: its indexes leave the waiting set, those still open join it at their retry time; the job hash keeps
// the count, the first retry and the earliest start. KEYS: job, waiting; ARGV: retryAt, startedAt, chunk size,
// chunk indexes…, waiting indexes…
const SCHEDULE_RETRIES_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local size = tonumber(ARGV[3])
for i = 4, 3 + size do redis.call('ZREM', KEYS[2], ARGV[i]) end
for i = 4 + size, #ARGV do redis.call('ZADD', KEYS[2], ARGV[1], ARGV[i]) end
local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
redis.call('HSET', KEYS[1], 'waiting', redis.call('ZCARD', KEYS[2]), 'nextRetryAt', first[2] or '')
local started = tonumber(redis.call('HGET', KEYS[1], 'startedAt') or '')
if not started or tonumber(ARGV[2]) < started then redis.call('HSET', KEYS[1], 'startedAt', ARGV[2]) end
return 1`;

// Every entry becomes the next row; an unseen de-duplication key also becomes the next item. Returns the new
// items as flat (index, position in ARGV order) pairs. An empty de-duplication key is a blank row (no item, row
// element without an index); a row repeating an earlier address starts `<index>,<first row>`, the seen hash keeping
// `<index>,<first row>` per key while the upload lasts.
// KEYS: job, seen; ARGV: bucket prefix, bucket size, then (dedup key, item element, row of a new item, row of a seen one)…
const APPEND_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return redis.error_reply('no such job') end
if redis.call('HGET', KEYS[1], 'state') ~= 'ingesting' then return redis.error_reply('job no longer ingesting') end
local size = tonumber(ARGV[2])
local total = tonumber(redis.call('HGET', KEYS[1], 'total') or '0')
local rows = tonumber(redis.call('HGET', KEYS[1], 'rows') or '0')
local blank = 0
local added = {}
for i = 3, #ARGV, 4 do
  local prefix = ''
  local row = ARGV[i + 3]
  if ARGV[i] == '' then
    blank = blank + 1
  else
    local seen = redis.call('HGET', KEYS[2], ARGV[i])
    if seen then
      prefix = seen
    else
      local index = total
      total = total + 1
      redis.call('HSET', KEYS[2], ARGV[i], tostring(index) .. ',' .. tostring(rows + 1))
      redis.call('RPUSH', ARGV[1] .. 'it:' .. math.floor(index / size), ARGV[i + 1])
      added[#added + 1] = index
      added[#added + 1] = (i - 3) / 4
      prefix = tostring(index)
      row = ARGV[i + 2]
    end
  end
  redis.call('RPUSH', ARGV[1] .. 'rw:' .. math.floor(rows / size), prefix .. row)
  rows = rows + 1
end
redis.call('HSET', KEYS[1], 'total', total, 'rows', rows)
if blank > 0 then redis.call('HINCRBY', KEYS[1], 'blank', blank) end
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
redis.call('HSET', KEYS[1], 'total', 0, 'rows', 0, 'done', 0, 'countVALID', 0, 'countINVALID', 0, 'countUNKNOWN', 0,
  'blank', 0, 'risky', 0)
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
    risky: Number(hash.risky ?? 0),
    blank: Number(hash.blank ?? 0),
    fileName: hash.fileName || null,
    column: hash.column ?? null,
    format: hash.format ? (JSON.parse(hash.format) as UploadFormat) : null,
    callbackUrl: hash.callbackUrl || null,
    webhookState: (hash.webhookState || 'none') as WebhookState,
    error: hash.error || null,
    createdAt: hash.createdAt,
    updatedAt: hash.updatedAt || hash.createdAt,
    completedAt: hash.completedAt || null,
    waiting: Number(hash.waiting ?? 0),
    nextRetryAt: hash.nextRetryAt ? Number(hash.nextRetryAt) : null,
    startedAt: hash.startedAt ? Number(hash.startedAt) : null,
    notChecked: Number(hash.notChecked ?? 0),
  };
}

interface StoredItem {
  attempts: number;
  final: boolean;
  address: string;
  /** The compact result, null until one is recorded. */
  result: string | null;
}

function parseItem(element: string | null | undefined): StoredItem | null {
  const match = element ? ITEM_PATTERN.exec(element) : null;
  if (!match) return null;
  return {
    attempts: Number(match[1]),
    final: match[2] === 'f',
    address: JSON.parse(match[3] as string) as string,
    result: match[4] ?? null,
  };
}

/** The dictionary entries the results of `items` name, in one round trip. */
async function readDictionary(
  redis: Redis,
  jobId: string,
  items: Iterable<StoredItem | null | undefined>,
): Promise<ResultDictionary> {
  const names = new Set<string>();
  for (const item of items)
    if (item?.result) for (const name of dictionaryNamesOf(item.result)) names.add(name);
  if (names.size === 0) return new Map();
  const list = [...names];
  const values = await redis.hmget(dictionaryKey(jobId), ...list);
  const dictionary = new Map<string, string>();
  list.forEach((name, position) => {
    const value = values[position];
    if (value != null) dictionary.set(name, value);
  });
  return dictionary;
}

/** In a row's stored cells (CSV cells are strings), the cell that holds exactly the row's input. */
const INPUT_CELL = 0;

/**
 * A row's JSON array [cells, input] without trailing nulls: input only when `keepInput` (else it is its item's
 * address), and the cell holding exactly the input stored as INPUT_CELL instead of a second copy.
 */
function rowPayload(cells: JobRowCells | null, input: string, keepInput: boolean): string {
  let stored: unknown = cells;
  if (Array.isArray(cells)) {
    const at = cells.indexOf(input);
    if (at >= 0) stored = cells.map((cell, position) => (position === at ? INPUT_CELL : cell));
  }
  if (keepInput) return JSON.stringify([stored, input]);
  return stored === null ? '[]' : JSON.stringify([stored]);
}

function rowCells(stored: unknown, input: string): JobRowCells | null {
  if (!Array.isArray(stored)) return (stored as JobRowCells | undefined) ?? null;
  return stored.map((cell) => (cell === INPUT_CELL ? input : (cell as string)));
}

/** Elements `from`…`from + count - 1` of a job's bucketed lists, in one round trip. */
async function readRange(
  redis: Redis,
  keyOf: (bucket: number) => string,
  from: number,
  count: number,
): Promise<string[]> {
  if (count <= 0) return [];
  const pipeline = redis.pipeline();
  const last = from + count - 1;
  for (let bucket = Math.floor(from / BUCKET_SIZE); bucket <= Math.floor(last / BUCKET_SIZE); bucket += 1) {
    const start = Math.max(from, bucket * BUCKET_SIZE) - bucket * BUCKET_SIZE;
    const stop = Math.min(last, (bucket + 1) * BUCKET_SIZE - 1) - bucket * BUCKET_SIZE;
    pipeline.lrange(keyOf(bucket), start, stop);
  }
  const replies = (await pipeline.exec()) ?? [];
  const elements: string[] = [];
  for (const [error, values] of replies) {
    if (error) throw error;
    elements.push(...(values as string[]));
  }
  return elements;
}

/** A job's keys besides its record and buckets: seen addresses, dictionary, waiting set, request fingerprints. */
function perJobKeys(jobId: string): string[] {
  return [
    seenKey(jobId),
    dictionaryKey(jobId),
    waitingKey(jobId),
    fingerprintKey(jobId),
    legacyFingerprintKey(jobId),
    ...legacyKeys(jobId),
  ];
}

/** The keys of a job's item buckets (for `total` items) and row buckets (for `rows` rows). */
function bucketKeys(jobId: string, total: number, rows: number): string[] {
  const keys: string[] = [];
  for (let bucket = 0; bucket * BUCKET_SIZE < total; bucket += 1) keys.push(itemBucketKey(jobId, bucket));
  for (let bucket = 0; bucket * BUCKET_SIZE < rows; bucket += 1) keys.push(rowBucketKey(jobId, bucket));
  return keys;
}

/** Removes `keys`, `DELETE_PAGE` per command, so a job of a million rows is not one huge command. */
async function deleteKeys(redis: Redis, keys: readonly string[]): Promise<void> {
  for (let at = 0; at < keys.length; at += DELETE_PAGE)
    await redis.unlink(...keys.slice(at, at + DELETE_PAGE));
}

// The elements at some positions of one list, in order (nil where none). KEYS: the list; ARGV: positions.
const READ_EACH_SCRIPT = `
local out = {}
for i = 1, #ARGV do out[i] = redis.call('LINDEX', KEYS[1], ARGV[i]) end
return out`;

/**
 * The items of `indexes` (any order, repeats allowed), by index, in one round trip: per bucket, one LRANGE over the
 * span asked, or one script reading just the elements asked.
 */
async function readItems(
  redis: Redis,
  jobId: string,
  indexes: readonly number[],
): Promise<Map<number, StoredItem>> {
  const byBucket = new Map<number, { low: number; high: number; wanted: number[] }>();
  for (const index of indexes) {
    const bucket = Math.floor(index / BUCKET_SIZE);
    const span = byBucket.get(bucket);
    if (!span) byBucket.set(bucket, { low: index, high: index, wanted: [index] });
    else {
      span.low = Math.min(span.low, index);
      span.high = Math.max(span.high, index);
      span.wanted.push(index);
    }
  }
  // A chunk's indexes are one domain's (or a few small domains'), scattered over the whole upload when its rows are
  // mixed: a bucket's span is read whole only when most of it is wanted, else element by element.
  const readEach = defineScript(redis, READ_EACH_SCRIPT);
  const pipeline = redis.pipeline();
  const reads: Array<{ first: number } | { each: number[] }> = [];
  for (const [bucket, { low, high, wanted }] of byBucket) {
    const key = itemBucketKey(jobId, bucket);
    const base = bucket * BUCKET_SIZE;
    if (high - low + 1 <= wanted.length * SPARSE_READ_FACTOR) {
      pipeline.lrange(key, low - base, high - base);
      reads.push({ first: low });
    } else {
      queueScript(pipeline, readEach, 1, key, ...wanted.map((index) => index - base));
      reads.push({ each: wanted });
    }
  }
  const replies = (await pipeline.exec()) ?? [];
  const items = new Map<number, StoredItem>();
  let position = 0;
  const reply = () => {
    const [error, value] = replies[position] ?? [null, null];
    position += 1;
    if (error) throw error;
    return value;
  };
  for (const read of reads) {
    if ('first' in read) {
      ((reply() as string[] | null) ?? []).forEach((element, offset) => {
        const item = parseItem(element);
        if (item) items.set(read.first + offset, item);
      });
      continue;
    }
    const elements = (reply() as Array<string | null> | null) ?? [];
    read.each.forEach((index, offset) => {
      const item = parseItem(elements[offset] ?? null);
      if (item) items.set(index, item);
    });
  }
  return items;
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
      const taken = await evalScript(
        redis,
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
        ...(job.fileName ? { fileName: job.fileName } : {}),
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
      const args: Array<string | number> = [bucketPrefix(jobId), BUCKET_SIZE];
      for (const item of items) {
        const cells = item.cells ?? null;
        args.push(
          item.dedupKey,
          `0o${JSON.stringify(item.address)}`,
          rowPayload(cells, item.address, false),
          rowPayload(cells, item.address, true),
        );
      }
      const pairs = (await evalScript(
        redis,
        APPEND_SCRIPT,
        2,
        jobKey(jobId),
        seenKey(jobId),
        ...args,
      )) as Array<string | number>;
      const added: JobItem[] = [];
      for (let at = 0; at < pairs.length; at += 2) {
        const item = items[Number(pairs[at + 1])];
        if (item) added.push({ index: Number(pairs[at]), address: item.address });
      }
      return added;
    },

    async sealJob(jobId, columns, details) {
      const now = new Date().toISOString();
      if (columns) await redis.hset(jobKey(jobId), 'columns', JSON.stringify(columns));
      if (details?.column != null) await redis.hset(jobKey(jobId), 'column', details.column);
      if (details?.format) await redis.hset(jobKey(jobId), 'format', JSON.stringify(details.format));
      await evalScript(redis, SET_STATE_SCRIPT, 1, jobKey(jobId), 'queued', '', now, '0', 'ingesting');
      await redis.multi().zrem(INGEST_LEASES, jobId).del(seenKey(jobId)).exec();
      return mustGet(jobId);
    },

    getJob,

    async renewIngestLease(jobId, until) {
      return (
        (await evalScript(redis, RENEW_INGEST_SCRIPT, 2, jobKey(jobId), INGEST_LEASES, jobId, until)) === 1
      );
    },

    async failExpiredIngests(now, error) {
      const expired = await redis.zrangebyscore(INGEST_LEASES, '-inf', `(${now}`);
      const failed: string[] = [];
      const at = new Date(now).toISOString();
      for (const jobId of expired) {
        const changed = await evalScript(
          redis,
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
      return (await evalScript(redis, SET_CALLBACK_SCRIPT, 1, jobKey(jobId), callbackUrl)) === 1;
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
      const changed = await evalScript(
        redis,
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
      const stored = await readItems(redis, jobId, indexes);
      const items: JobItem[] = [];
      for (const index of indexes) {
        const item = stored.get(index);
        if (!item || item.final || item.attempts > attempt) continue;
        items.push({ index, address: item.address });
      }
      return items;
    },

    async recordResults(jobId, results) {
      if (results.length === 0) return 0;
      const entries = new Map<string, string>();
      const resultArgs: Array<string | number> = [];
      for (const { index, result, attempt, final } of results) {
        const { encoded, entries: named } = encodeResult(result);
        for (const [name, value] of named) entries.set(name, value);
        // The final flag also says whether the result is `not_checked` (counted apart: never probed).
        const finalFlag = final ? (result.reason === 'not_checked' ? 'not_checked' : '1') : '0';
        const risky = result.status === 'UNKNOWN' && result.reason === 'catch_all' ? '1' : '0';
        resultArgs.push(index, attempt, finalFlag, result.status, encoded, risky);
      }
      const finals = await evalScript(
        redis,
        RECORD_SCRIPT,
        2,
        jobKey(jobId),
        dictionaryKey(jobId),
        new Date().toISOString(),
        bucketPrefix(jobId),
        BUCKET_SIZE,
        entries.size,
        ...[...entries].flat(),
        ...resultArgs,
      );
      return Number(finals);
    },

    async openItems(jobId, indexes) {
      if (indexes.length === 0) return [];
      const stored = await readItems(redis, jobId, indexes);
      return indexes.filter((index) => stored.get(index)?.final !== true);
    },

    async scheduleRetries(jobId, { indexes, waiting, retryAt, startedAt }) {
      await evalScript(
        redis,
        SCHEDULE_RETRIES_SCRIPT,
        2,
        jobKey(jobId),
        waitingKey(jobId),
        retryAt,
        startedAt,
        indexes.length,
        ...indexes,
        ...waiting,
      );
    },

    async unfinishedItems(jobId, fromIndex, limit) {
      const total = Number((await redis.hget(jobKey(jobId), 'total')) ?? 0);
      const count = Math.max(0, Math.min(limit, total - fromIndex));
      const nextIndex = fromIndex + count < total ? fromIndex + count : null;
      if (count === 0) return { items: [], nextIndex };
      const elements = await readRange(redis, (bucket) => itemBucketKey(jobId, bucket), fromIndex, count);
      const stored = elements.map(parseItem);
      const dictionary = await readDictionary(redis, jobId, stored);
      const items: UnfinishedItem[] = [];
      stored.forEach((item, position) => {
        if (!item || item.final) return;
        items.push({
          index: fromIndex + position,
          address: item.address,
          result: item.result ? decodeResult(item.result, item.address, dictionary) : null,
        });
      });
      return { items, nextIndex };
    },

    async completeIfDone(jobId, completedAt) {
      const completed = (await evalScript(redis, COMPLETE_SCRIPT, 1, jobKey(jobId), completedAt)) === 1;
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
      const elements = await readRange(redis, (bucket) => itemBucketKey(jobId, bucket), fromIndex, count);
      const items = elements.map(parseItem);
      const dictionary = await readDictionary(redis, jobId, items);
      return items.map((item) => (item?.result ? decodeResult(item.result, item.address, dictionary) : null));
    },

    async readRows(jobId, fromRow, limit) {
      const rows = Number((await redis.hget(jobKey(jobId), 'rows')) ?? 0);
      const count = Math.max(0, Math.min(limit, rows - fromRow + 1));
      const elements = await readRange(redis, (bucket) => rowBucketKey(jobId, bucket), fromRow - 1, count);
      const parsed = elements.map((element) => {
        const open = element.indexOf('[');
        const [cells, input] = JSON.parse(element.slice(open)) as [unknown, string?];
        const prefix = element.slice(0, open);
        const comma = prefix.indexOf(',');
        const index = prefix === '' ? null : Number(comma < 0 ? prefix : prefix.slice(0, comma));
        const duplicateOf = comma < 0 ? null : Number(prefix.slice(comma + 1));
        return { index, duplicateOf, cells, input: input ?? null };
      });
      const items = await readItems(
        redis,
        jobId,
        parsed.flatMap((row) => (row.index === null ? [] : [row.index])),
      );
      const dictionary = await readDictionary(redis, jobId, items.values());
      return parsed.map(({ index, duplicateOf, cells, input }, offset): JobRow => {
        const item = index === null ? undefined : items.get(index);
        const address = item?.address ?? '';
        const rowInput = input ?? address;
        return {
          row: fromRow + offset,
          input: rowInput,
          cells: rowCells(cells, rowInput),
          result: item?.result ? decodeResult(item.result, address, dictionary) : null,
          skipped: index === null ? 'blank' : duplicateOf === null ? null : 'duplicate',
          duplicateOf,
        };
      });
    },

    async discardUpload(jobId) {
      // Read the sizes before the script zeroes them: they name the buckets to remove. Rows cannot be added any
      // more (appends need an ingesting job), so the buckets are all there is.
      const [total, rows] = (await redis.hmget(jobKey(jobId), 'total', 'rows')).map(Number);
      const small = perJobKeys(jobId);
      if ((await evalScript(redis, DISCARD_UPLOAD_SCRIPT, 1 + small.length, jobKey(jobId), ...small)) !== 1)
        return false;
      await deleteKeys(redis, bucketKeys(jobId, total || 0, rows || 0));
      return true;
    },

    async deleteJob(jobId) {
      const job = await getJob(jobId);
      const [total, rows] = (await redis.hmget(jobKey(jobId), 'total', 'rows')).map(Number);
      await deleteKeys(redis, [...perJobKeys(jobId), ...bucketKeys(jobId, total || 0, rows || 0)]);
      const multi = redis
        .multi()
        .del(jobKey(jobId))
        .zrem(INGEST_LEASES, jobId)
        .zrem(FINISHED, jobId)
        .srem(WEBHOOK_PENDING, jobId);
      if (job) multi.zrem(byKeyIndex(job.keyId), jobId);
      const answers = await multi.exec();
      return (answers?.[0]?.[1] as number) > 0;
    },

    async setRequestFingerprint(jobId, fingerprint) {
      await redis.set(fingerprintKey(jobId), fingerprint, 'EX', IDEMPOTENCY_KEY_TTL_SECONDS);
    },

    async getRequestFingerprint(jobId) {
      const [current, legacy] = await redis.mget(fingerprintKey(jobId), legacyFingerprintKey(jobId));
      return current ?? legacy ?? null;
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

/** Items or rows converted per round trip when a 0.1.0 job is upgraded. */
const UPGRADE_PAGE = 1000;
/** A node upgrading a job holds it this long at most (another node takes the job over after). */
const UPGRADE_LOCK_MS = 5 * 60 * 1000;
/** Set once every job of the store is in bucketed lists: later starts skip the search. */
const LAYOUT_MARK = 'mp:jobs:layout';
const CURRENT_LAYOUT = '2';

/** Converts one 0.1.0 job (one hash field per item and per row) into bucketed lists; false when another node holds it. */
async function upgradeJob(redis: Redis, jobId: string): Promise<boolean> {
  const [addresses, attempts, finals, results, rowsKey] = legacyKeys(jobId);
  const lock = `mp:job:${jobId}:upgrading`;
  if ((await redis.set(lock, '1', 'PX', UPGRADE_LOCK_MS, 'NX')) === null) return false;
  const [total, rows] = (await redis.hmget(jobKey(jobId), 'total', 'rows')).map((value) =>
    Number(value ?? 0),
  ) as [number, number];
  await deleteKeys(redis, [dictionaryKey(jobId), ...bucketKeys(jobId, total, rows)]);
  const addressOf = new Map<number, string>();
  for (let from = 0; from < total; from += UPGRADE_PAGE) {
    const fields = Array.from({ length: Math.min(UPGRADE_PAGE, total - from) }, (_, offset) =>
      String(from + offset),
    );
    const [address, attempt, final, result] = await Promise.all(
      [addresses, attempts, finals, results].map((key) => redis.hmget(key as string, ...fields)),
    );
    const pipeline = redis.pipeline();
    fields.forEach((_, offset) => {
      const index = from + offset;
      const text = address?.[offset] ?? '';
      addressOf.set(index, text);
      let element = `${attempt?.[offset] ?? 0}${final?.[offset] ? 'f' : 'o'}${JSON.stringify(text)}`;
      const stored = result?.[offset];
      if (stored) {
        const { encoded, entries } = encodeResult(JSON.parse(stored) as Parameters<typeof encodeResult>[0]);
        for (const [name, value] of entries) pipeline.hsetnx(dictionaryKey(jobId), name, value);
        element += `\t${encoded}`;
      }
      pipeline.rpush(itemBucketKey(jobId, Math.floor(index / BUCKET_SIZE)), element);
    });
    await pipeline.exec();
  }
  // Rows are converted in order, so the first row of each item is known when its repeats come.
  const firstRowOf = new Map<number, number>();
  for (let from = 1; from <= rows; from += UPGRADE_PAGE) {
    const fields = Array.from({ length: Math.min(UPGRADE_PAGE, rows - from + 1) }, (_, offset) =>
      String(from + offset),
    );
    const values = await redis.hmget(rowsKey as string, ...fields);
    const pipeline = redis.pipeline();
    values.forEach((value, offset) => {
      const text = value ?? '';
      const colon = text.indexOf(':');
      const index = Number(text.slice(0, colon));
      const [input, cells] = JSON.parse(text.slice(colon + 1)) as [string, JobRowCells | null];
      const payload = rowPayload(cells, input, input !== addressOf.get(index));
      const row = from + offset;
      const first = firstRowOf.get(index);
      if (first === undefined) firstRowOf.set(index, row);
      pipeline.rpush(
        rowBucketKey(jobId, Math.floor((row - 1) / BUCKET_SIZE)),
        first === undefined ? `${index}${payload}` : `${index},${first}${payload}`,
      );
    });
    await pipeline.exec();
  }
  await redis
    .multi()
    .del(...legacyKeys(jobId), lock)
    .exec();
  return true;
}

/**
 * Brings jobs stored by 0.1.0 (one hash field per item and per row) into bucketed lists, once, when a node of
 * this version starts: run every node of a fleet on one version (stop all, start all) while upgrading.
 * Returns how many jobs this node converted.
 */
export async function upgradeLegacyJobs(redis: Redis): Promise<number> {
  if ((await redis.get(LAYOUT_MARK)) === CURRENT_LAYOUT) return 0;
  let upgraded = 0;
  let pending = 0;
  for (const keyId of await redis.zrange('mp:keys', 0, -1)) {
    for (const jobId of await redis.zrange(byKeyIndex(keyId), 0, -1)) {
      if ((await redis.exists(legacyKeys(jobId)[0] as string, legacyKeys(jobId)[4] as string)) === 0)
        continue;
      if (await upgradeJob(redis, jobId)) upgraded += 1;
      else pending += 1;
    }
  }
  if (pending === 0) await redis.set(LAYOUT_MARK, CURRENT_LAYOUT);
  return upgraded;
}
