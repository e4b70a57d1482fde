// Scripts sent by their SHA1, against a real redis-server that forgets them (SCRIPT FLUSH, as a restart does).
import { type RedisServer, startRedisServer } from '@mailprobe/test-kit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineScript, evalScript, queueScript } from './redis-script.js';

const INCREMENT = `return redis.call('INCRBY', KEYS[1], ARGV[1])`;

/** How often Redis ran `command` since its statistics were reset. */
async function calls(redis: Redis, command: string): Promise<number> {
  const stats = await redis.info('commandstats');
  return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
}

describe('evalScript', () => {
  let server: RedisServer;
  let redis: Redis;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    redis.disconnect();
    await server.stop();
  });

  it('sends a script by its SHA1, and again after Redis forgot it', async () => {
    await redis.config('RESETSTAT');
    expect(await evalScript(redis, INCREMENT, 1, 'script:count', 2)).toBe(2);
    expect(await evalScript(redis, INCREMENT, 1, 'script:count', 3)).toBe(5);
    expect(await evalScript(redis, INCREMENT, 1, 'script:count', 4)).toBe(9);
    // The text went once (when Redis did not know the SHA1 yet); the calls after it went by SHA1.
    expect(await calls(redis, 'eval')).toBe(1);
    expect(await calls(redis, 'evalsha')).toBeGreaterThanOrEqual(2);
    await redis.script('FLUSH');
    expect(await evalScript(redis, INCREMENT, 1, 'script:count', 1)).toBe(10);
  });

  it('queues a defined script on a pipeline', async () => {
    const name = defineScript(redis, INCREMENT);
    await redis.script('FLUSH');
    const pipeline = redis.pipeline();
    queueScript(pipeline, name, 1, 'script:piped', 4);
    queueScript(pipeline, name, 1, 'script:piped', 1);
    const replies = await pipeline.exec();
    expect(replies?.map(([error, value]) => [error, value])).toEqual([
      [null, 4],
      [null, 5],
    ]);
  });
});
