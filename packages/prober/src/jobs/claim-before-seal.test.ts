// A chunk claimed in the moment between an upload's enqueue and its seal, on both stores, against the real worker
// and a fake mail server on loopback: it keeps its place ahead of the job's later chunks instead of going behind
// them (with one chunk at a time, behind a tarpit it would never run).
import { randomUUID } from 'node:crypto';
import {
  type FakeInternet,
  type RedisServer,
  startFakeInternet,
  startRedisServer,
} from '@mailprobe/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedProber, startProber } from '../start-prober.js';

let internet: FakeInternet;
let redis: RedisServer;

beforeAll(async () => {
  internet = await startFakeInternet({
    domains: {
      'ok.test': { mx: [{ host: 'mx.ok.test', smtp: { mailboxes: ['a@ok.test'] } }] },
      // Greets only after the test is over: a chunk of it holds the worker's one slot for good.
      'tar.test': {
        mx: [{ host: 'mx.tar.test', smtp: { mailboxes: ['t1@tar.test'], greetingDelayMs: 600_000 } }],
      },
    },
  });
  redis = await startRedisServer();
});

afterAll(async () => {
  await internet?.close();
  await redis?.stop();
});

describe.each([
  { name: 'SQLite', redisUrl: () => undefined },
  { name: 'Redis', redisUrl: () => redis.url },
])('a chunk claimed before its job is sealed ($name)', ({ redisUrl }) => {
  let prober: StartedProber;

  beforeAll(async () => {
    const url = redisUrl();
    prober = await startProber({
      ...(url ? { redisUrl: url } : {}),
      engine: { ...internet.engineOptions, timeouts: { totalMs: 120_000 } },
      config: { jobs: { concurrency: 1, chunkSize: 1, pollIntervalMs: 20, leaseMs: 10_000 } },
    });
  });

  afterAll(async () => {
    await prober?.close();
  });

  it('runs ahead of the job’s later chunks once the seal lands', async () => {
    const { jobs, queue } = prober.server.stores;
    const { job } = await jobs.createJob({
      id: `job_${randomUUID().replaceAll('-', '')}`,
      keyId: 'seal-test',
      callbackUrl: null,
      idempotencyKey: null,
      createdAt: new Date().toISOString(),
      ingestLeaseUntil: Date.now() + 60_000,
    });
    await jobs.appendItems(job.id, [
      { address: 'a@ok.test', dedupKey: 'a@ok.test' },
      { address: 't1@tar.test', dedupKey: 't1@tar.test' },
    ]);
    // The race as an upload meets it: the worker reads the job while it is still ingesting, and the seal lands
    // right after that read.
    const getJob = jobs.getJob.bind(jobs);
    let sealing: Promise<unknown> | null = null;
    jobs.getJob = async (id) => {
      const read = await getJob(id);
      if (id === job.id && read?.state === 'ingesting' && !sealing) sealing = jobs.sealJob(job.id);
      return read;
    };
    try {
      await queue.enqueue(
        [
          { jobId: job.id, indexes: [0], attempt: 0 },
          { jobId: job.id, indexes: [1], attempt: 0 },
        ],
        { quiet: true },
      );
      const deadline = Date.now() + 5000;
      let first = null;
      while (Date.now() < deadline) {
        [first] = await jobs.readResults(job.id, 0, 1);
        if (first) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(sealing).not.toBeNull();
      expect(first).toMatchObject({ address: 'a@ok.test', status: 'VALID', reason: 'accepted' });
    } finally {
      jobs.getJob = getJob;
      await jobs.setState(job.id, 'cancelled', ['queued', 'running']);
    }
  });
});
