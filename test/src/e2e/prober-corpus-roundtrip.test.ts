// The reply corpus through the prober: every reply of packages/engine/corpus/replies.jsonl (4,000 and more real
// servers' replies, multi-line, non-ASCII, long, echoing the recipient's own address as real servers do) given by a
// real SMTP server on loopback to one CSV job, on the embedded store and on Redis (replyCorpusOnTheWire). Each row's result, as the API serves it after the store's encoding
// (Redis keeps results in a compact form that takes the address out of the reply text), must carry the
// classifier's status and reason and the reply as its evidence: the engine's own test of the same
// (packages/engine/src/corpus-over-the-wire.test.ts) ends at the engine; this one ends at the download.
import { MAX_REPLY_TEXT_LENGTH } from '@mailprobe/core';
import { afterAll, describe, expect, it } from 'vitest';
import { type StartedProber, startProber } from '../../../packages/prober/src/index.js';
import { type FakeInternet, replyCorpusOnTheWire, startFakeInternet, wireMismatches } from '../index.js';
import { type RedisServer, startRedisServer } from '../redis/redis-server.js';
import { classifyReply, parseQuotedReply } from './engine-under-test.js';
import { jobResults, waitForCompletion } from './prober-api.js';

const JOB_TIMEOUT_MS = 60_000;

const started: { internet: FakeInternet; prober: StartedProber; redis: RedisServer | null }[] = [];
afterAll(async () => {
  for (const { internet, prober, redis } of started.splice(0)) {
    await prober.close();
    await internet.close();
    await redis?.stop();
  }
});

describe('the reply corpus through a job', () => {
  it.each([
    ['the embedded store', false],
    ['Redis', true],
  ])(
    `%s: every row carries the classifier's verdict and the reply as its evidence`,
    async (_store, useRedis) => {
      const { cases, domains } = replyCorpusOnTheWire(parseQuotedReply);
      const internet = await startFakeInternet({ domains });
      const redis = useRedis ? await startRedisServer() : null;
      const prober = await startProber({
        engine: { ...internet.engineOptions, maxConnectionsPerMinute: 100_000 },
        ...(redis ? { redisUrl: redis.url } : {}),
        // The fake servers greylist for good: each greylisted row is probed again at once, not five minutes later.
        config: { jobs: { greylistRetryDelayMs: 0 } as never },
      });
      started.push({ internet, prober, redis });
      const key = await prober.createKey('corpus', { requestsPerMinute: 1_000_000 });

      const created = await fetch(`${prober.url}/v1/jobs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' },
        body: `email\r\n${cases.map(({ address }) => address).join('\r\n')}\r\n`,
      });
      expect(created.status).toBe(202);
      const { id } = (await created.json()) as { id: string };
      expect((await waitForCompletion(prober.url, key, id, JOB_TIMEOUT_MS)).status).toBe('completed');
      const results = await jobResults(prober.url, key, id);
      expect(results).toHaveLength(cases.length);

      const expected = (reply: (typeof cases)[number]['reply']) => classifyReply('rcpt', reply);
      expect(wireMismatches(cases, results, expected, MAX_REPLY_TEXT_LENGTH)).toEqual([]);
    },
  );
});
