import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { connectRedis, type RedisConnectionLog } from './redis/redis-connection.js';
import { createRedisJobQueue } from './redis/redis-job-queue.js';
import { createRedisJobStore } from './redis/redis-job-store.js';
import { createRedisKeyStore } from './redis/redis-key-store.js';
import { createRedisResultCache } from './redis/redis-result-cache.js';
import { createRedisWebhookStore } from './redis/redis-webhook-store.js';
import { BUSY_TIMEOUT_MS, openDatabase } from './sqlite/open-database.js';
import { createSqliteJobQueue } from './sqlite/sqlite-job-queue.js';
import { createSqliteJobStore } from './sqlite/sqlite-job-store.js';
import { createSqliteKeyStore } from './sqlite/sqlite-key-store.js';
import { createSqliteResultCache } from './sqlite/sqlite-result-cache.js';
import { createSqliteWebhookStore } from './sqlite/sqlite-webhook-store.js';
import { startWalCheckpointer } from './sqlite/wal-checkpointer.js';
import type { JobQueue, JobStore, KeyStore, ResultCache } from './types.js';
import type { WebhookStore } from './webhook-types.js';

const WEBHOOK_SECRET_FILE = 'webhook-secret';
const WEBHOOK_SECRET_KEY = 'mp:webhook-secret';
const WEBHOOK_SECRET_BYTES = 32;

export type StoreKind = 'sqlite' | 'redis';

/** Every store of a node, embedded (SQLite) or shared (Redis). */
export interface Stores {
  kind: StoreKind;
  keys: KeyStore;
  cache: ResultCache;
  jobs: JobStore;
  queue: JobQueue;
  /** Per-key webhook signing secrets, webhook subscriptions and deliveries. */
  webhookStore: WebhookStore;
  /** The Redis connection of a fleet node (for the shared MX limiter and rate limits); null when embedded. */
  redis: Redis | null;
  /**
   * A server-wide secret created once, the same on every node: signs callbacks of keys created before per-key
   * secrets, and keys the encryption of per-key secrets unless `webhook.secretsKey` is configured.
   */
  webhookSecret(): Promise<string>;
  /** Whether the stores answer (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Opens the embedded store in `dataDir`, or the fleet's Redis when `redisUrl` is set. */
export async function openStores(options: {
  dataDir: string;
  redisUrl: string | null;
  /** Where the fleet's connection says it lost Redis and got it back (read when it happens). */
  log?: () => RedisConnectionLog | null;
}): Promise<Stores> {
  if (options.redisUrl) return openRedisStores(options.redisUrl, options.log ?? (() => null));
  return openSqliteStores(options.dataDir);
}

function openSqliteStores(dataDir: string): Stores {
  const database = openDatabase(dataDir);
  const checkpointer = startWalCheckpointer(database, { busyTimeoutMs: BUSY_TIMEOUT_MS });
  return {
    kind: 'sqlite',
    keys: createSqliteKeyStore(database),
    cache: createSqliteResultCache(database),
    jobs: createSqliteJobStore(database),
    queue: createSqliteJobQueue(database),
    webhookStore: createSqliteWebhookStore(database),
    redis: null,
    async webhookSecret() {
      const file = path.join(dataDir, WEBHOOK_SECRET_FILE);
      try {
        return readFileSync(file, 'utf8').trim();
      } catch {
        mkdirSync(dataDir, { recursive: true, mode: 0o700 });
        const secret = randomBytes(WEBHOOK_SECRET_BYTES).toString('base64url');
        // 'wx' fails if another process wrote it first; then read theirs.
        try {
          writeFileSync(file, `${secret}\n`, { flag: 'wx', mode: 0o600 });
          return secret;
        } catch {
          return readFileSync(file, 'utf8').trim();
        }
      }
    },
    async ping() {
      database.prepare('SELECT 1').get();
    },
    async close() {
      await checkpointer.close();
      database.close();
    },
  };
}

async function openRedisStores(redisUrl: string, log: () => RedisConnectionLog | null): Promise<Stores> {
  const redis = await connectRedis(redisUrl, log);
  const queue = await createRedisJobQueue(redis);
  return {
    kind: 'redis',
    keys: createRedisKeyStore(redis),
    cache: createRedisResultCache(redis),
    jobs: createRedisJobStore(redis),
    queue,
    webhookStore: createRedisWebhookStore(redis),
    redis,
    async webhookSecret() {
      await redis.set(WEBHOOK_SECRET_KEY, randomBytes(WEBHOOK_SECRET_BYTES).toString('base64url'), 'NX');
      return (await redis.get(WEBHOOK_SECRET_KEY)) as string;
    },
    async ping() {
      // Without an offline queue a command fails at once while reconnecting; the status says why.
      if (redis.status !== 'ready') throw new Error(`redis connection is ${redis.status}`);
      await redis.ping();
    },
    async close() {
      await queue.close();
      redis.disconnect();
    },
  };
}
