import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ChunkMessage, ClaimedChunk, JobQueue } from '../types.js';
import { defineScript, evalScript, queueScript } from './redis-script.js';
import { subscribe } from './redis-subscription.js';

const STREAM = 'mp:queue';
const DELAYED = 'mp:queue:delayed';
const GROUP = 'workers';
/** Published after a chunk becomes claimable, so idle nodes claim at once (the poll is the fallback). */
const WORK_CHANNEL = 'mp:queue:work';
/** Delayed chunks moved into the stream per claim, at most. */
const PROMOTE_BATCH = 100;

// One claim in one round trip (a node claims a job's chunks back to back): moves due delayed chunks into the stream
// (atomically, so two nodes never promote the same one twice), then takes a chunk whose lease ran out (XAUTOCLAIM),
// else a fresh one (XREADGROUP). KEYS: delayed set, stream; ARGV: now, promote batch, group, consumer, lease ms.
// Answers {taken over (1|0), entry id, fields}, or nil when there is nothing to claim.
const CLAIM_SCRIPT = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, member in ipairs(due) do
  redis.call('ZREM', KEYS[1], member)
  redis.call('XADD', KEYS[2], '*', 'payload', member)
end
local stale = redis.call('XAUTOCLAIM', KEYS[2], ARGV[3], ARGV[4], ARGV[5], '0-0', 'COUNT', 1)
local entry = stale[2][1]
if entry then return {1, entry[1], entry[2]} end
local fresh = redis.call('XREADGROUP', 'GROUP', ARGV[3], ARGV[4], 'COUNT', 1, 'STREAMS', KEYS[2], '>')
if not fresh then return nil end
entry = fresh[1][2][1]
if not entry then return nil end
return {0, entry[1], entry[2]}`;

// Renews a lease only for the consumer that holds it, so a node that lost a chunk to a takeover (it stalled, or
// Redis was away longer than the lease) never takes it back. KEYS: stream; ARGV: group, entry id, consumer.
const HEARTBEAT_SCRIPT = `
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1)
if #pending == 0 or pending[1][2] ~= ARGV[3] then return 0 end
redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[3], 0, ARGV[2], 'JUSTID')
return 1`;

type StreamEntry = [id: string, fields: string[]];

function toClaim(entry: StreamEntry | undefined): ClaimedChunk | null {
  if (!entry) return null;
  const [id, fields] = entry;
  const payload = fields[fields.indexOf('payload') + 1];
  if (!payload) return null;
  const { jobId, indexes, attempt } = JSON.parse(payload) as ChunkMessage;
  return { id, message: { jobId, indexes, attempt } };
}

/**
 * The fleet's job queue on a Redis Stream with one consumer group: a chunk read by a node stays pending until
 * acknowledged; a node that dies stops refreshing it (XCLAIM) and another node takes it over (XAUTOCLAIM) once
 * it has been idle longer than the lease.
 */
export async function createRedisJobQueue(redis: Redis): Promise<JobQueue> {
  async function createGroup(): Promise<void> {
    try {
      await redis.xgroup('CREATE', STREAM, GROUP, '0', 'MKSTREAM');
    } catch (error) {
      if (!String((error as Error).message).includes('BUSYGROUP')) throw error;
    }
  }
  await createGroup();
  const heartbeatScript = defineScript(redis, HEARTBEAT_SCRIPT);

  const listeners = new Set<() => void>();
  let unsubscribe: (() => void) | null = null;

  async function readOne(consumer: string, leaseMs: number): Promise<ClaimedChunk | null> {
    const claimed = (await evalScript(
      redis,
      CLAIM_SCRIPT,
      2,
      DELAYED,
      STREAM,
      Date.now(),
      PROMOTE_BATCH,
      GROUP,
      consumer,
      leaseMs,
    )) as [takenOver: number, ...entry: StreamEntry] | null;
    if (!claimed) return null;
    const [takenOver, id, fields] = claimed;
    const chunk = toClaim([id, fields]);
    return chunk && takenOver === 1 ? { ...chunk, takenOver: true } : chunk;
  }

  return {
    async enqueue(messages, options = {}) {
      if (messages.length === 0) return;
      const pipeline = redis.pipeline();
      const delayMs = options.delayMs ?? 0;
      for (const message of messages) {
        // The nonce keeps two equal messages apart in the sorted set.
        const payload = JSON.stringify({ ...message, nonce: randomUUID() });
        if (delayMs > 0) pipeline.zadd(DELAYED, Date.now() + delayMs, payload);
        else pipeline.xadd(STREAM, '*', 'payload', payload);
      }
      if (delayMs === 0 && !options.quiet) pipeline.publish(WORK_CHANNEL, '1');
      await pipeline.exec();
    },
    async announce() {
      await redis.publish(WORK_CHANNEL, '1');
    },
    async claim(consumer, leaseMs) {
      try {
        return await readOne(consumer, leaseMs);
      } catch (error) {
        // A Redis that came back without its data (no append-only file) has no group: make it again.
        if (!String((error as Error).message).includes('NOGROUP')) throw error;
        await createGroup();
        return readOne(consumer, leaseMs);
      }
    },
    async heartbeat(held) {
      if (held.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const { chunk, consumer } of held)
        queueScript(pipeline, heartbeatScript, 1, STREAM, GROUP, chunk.id, consumer);
      const replies = (await pipeline.exec()) ?? [];
      return held.map((_, position) => {
        const [error, renewed] = replies[position] ?? [new Error('no reply'), 0];
        if (error) throw error;
        return renewed === 1;
      });
    },
    async ack(chunk) {
      await redis.multi().xack(STREAM, GROUP, chunk.id).xdel(STREAM, chunk.id).exec();
    },
    async release(chunk) {
      // A fresh stream entry is read by the next XREADGROUP of any node; the old one leaves the pending list.
      const payload = JSON.stringify({ ...chunk.message, nonce: randomUUID() });
      await redis
        .multi()
        .xadd(STREAM, '*', 'payload', payload)
        .xack(STREAM, GROUP, chunk.id)
        .xdel(STREAM, chunk.id)
        .publish(WORK_CHANNEL, '1')
        .exec();
    },
    async depth() {
      const [length, delayed] = await Promise.all([redis.xlen(STREAM), redis.zcard(DELAYED)]);
      return length + delayed;
    },
    onWork(listener) {
      listeners.add(listener);
      unsubscribe ??= subscribe(redis, WORK_CHANNEL, () => {
        for (const each of listeners) each();
      });
      return () => listeners.delete(listener);
    },
    async close() {
      unsubscribe?.();
      unsubscribe = null;
    },
  };
}
