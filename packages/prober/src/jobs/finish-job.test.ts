// "Finish now" and honest progress against the real prober on both stores, with a greylisting and a tarpitting
// fake mail server on loopback: waiting re-probes are reported and never counted as work, finishing keeps their
// latest result and gives back what was never probed. The tests know which addresses ran from upload order, which
// holds even for a chunk a worker claims in the moment between an upload's enqueue and its seal (tested last).
import { randomUUID } from 'node:crypto';
import type { Job, JobResultRow } from '@mailprobe/core';
import {
  type FakeInternet,
  type RedisServer,
  startFakeInternet,
  startRedisServer,
} from '@mailprobe/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedProber, startProber } from '../start-prober.js';

/** Long enough that no re-probe happens while a test runs. */
const GREYLIST_RETRY_DELAY_MS = 60_000;
const QUOTA = 100;

let internet: FakeInternet;
let redis: RedisServer;

beforeAll(async () => {
  internet = await startFakeInternet({
    domains: {
      'grey.test': {
        mx: [
          {
            host: 'mx.grey.test',
            smtp: { mailboxes: ['g1@grey.test', 'g2@grey.test'], greylistMs: 600_000 },
          },
        ],
      },
      'ok.test': { mx: [{ host: 'mx.ok.test', smtp: { mailboxes: ['a@ok.test'] } }] },
      // Answers its greeting only after the test is over: a probe that never ends while the job is finished.
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
])('finish now and job progress ($name)', ({ redisUrl }) => {
  let prober: StartedProber;
  let key: string;

  beforeAll(async () => {
    const url = redisUrl();
    prober = await startProber({
      ...(url ? { redisUrl: url } : {}),
      engine: { ...internet.engineOptions, timeouts: { totalMs: 120_000 } },
      config: {
        jobs: {
          // One chunk of one address at a time, in upload order: which addresses ran is known.
          concurrency: 1,
          chunkSize: 1,
          pollIntervalMs: 20,
          leaseMs: 10_000,
          greylistRetryDelayMs: GREYLIST_RETRY_DELAY_MS,
          greylistMaxRetries: 2,
        },
      },
    });
    key = await prober.createKey('finish', { quota: QUOTA });
  });

  afterAll(async () => {
    await prober?.close();
  });

  const call = async (path: string, method = 'GET', body?: unknown) =>
    fetch(`${prober.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const getJob = async (id: string) => (await (await call(`/v1/jobs/${id}`)).json()) as Job;
  const used = async () =>
    ((await (await call('/v1/me')).json()) as { limits: { used: number } }).limits.used;
  const createJob = async (emails: string[]) => {
    const response = await call('/v1/jobs', 'POST', { emails });
    expect(response.status).toBe(202);
    return ((await response.json()) as { id: string }).id;
  };
  const waitFor = async (id: string, ready: (job: Job) => boolean): Promise<Job> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const job = await getJob(id);
      if (ready(job)) return job;
      if (Date.now() > deadline) throw new Error(`job never got there: ${JSON.stringify(job)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const results = async (id: string) =>
    (await (await call(`/v1/jobs/${id}/results`)).text())
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as JobResultRow);

  it('reports greylisted addresses as waiting, with no rate or time left while only they remain', async () => {
    const before = await used();
    const id = await createJob(['g1@grey.test', 'g2@grey.test', 'a@ok.test']);
    const waiting = await waitFor(id, (job) => job.done === 1 && job.progress?.waiting === 2);
    const nextRetryAt = Date.parse(waiting.progress?.nextRetryAt ?? '');
    expect(nextRetryAt).toBeGreaterThan(Date.now());
    expect(nextRetryAt).toBeLessThanOrEqual(Date.now() + GREYLIST_RETRY_DELAY_MS);
    expect(waiting.progress).toMatchObject({ etaSeconds: null, ratePerSecond: null });
    expect(waiting.status).toBe('running');

    const finish = await call(`/v1/jobs/${id}/finish`, 'POST');
    expect(finish.status).toBe(200);
    const finished = (await finish.json()) as Job;
    expect(finished).toMatchObject({
      status: 'completed',
      done: 3,
      counts: { VALID: 1, INVALID: 0, UNKNOWN: 2 },
      progress: { waiting: 0, nextRetryAt: null, etaSeconds: null, ratePerSecond: null },
    });
    expect(finished.completedAt).not.toBeNull();
    expect((await results(id)).map((row) => [row.input, row.status, row.reason])).toEqual([
      ['g1@grey.test', 'UNKNOWN', 'greylisted'],
      ['g2@grey.test', 'UNKNOWN', 'greylisted'],
      ['a@ok.test', 'VALID', 'accepted'],
    ]);
    // Every address was probed: nothing given back.
    expect((await used()) - before).toBe(3);
    // Finishing a completed job again answers it as it is.
    const again = await call(`/v1/jobs/${id}/finish`, 'POST');
    expect(again.status).toBe(200);
    expect(((await again.json()) as Job).completedAt).toBe(finished.completedAt);
  });

  it('gives a rate and time left while addresses can run, and refunds what finishing left unprobed', async () => {
    const before = await used();
    const id = await createJob(['g1@grey.test', 't1@tar.test', 'never-probed@ok.test', 'not an address']);
    // The malformed address is answered at upload; g1 waits for its re-probe; t1's probe hangs in the tarpit; the
    // third is never claimed.
    const running = await waitFor(id, (job) => job.progress?.waiting === 1);
    expect(running.done).toBe(1);
    expect(running.progress?.ratePerSecond).toBeGreaterThan(0);
    expect(running.progress?.etaSeconds).toBeGreaterThan(0);
    expect((await used()) - before).toBe(4);

    const finish = await call(`/v1/jobs/${id}/finish`, 'POST');
    expect(finish.status).toBe(200);
    expect(await finish.json()).toMatchObject({
      status: 'completed',
      done: 4,
      counts: { VALID: 0, INVALID: 1, UNKNOWN: 3 },
    });
    expect((await results(id)).map((row) => [row.input, row.status, row.reason])).toEqual([
      ['g1@grey.test', 'UNKNOWN', 'greylisted'],
      ['t1@tar.test', 'UNKNOWN', 'not_checked'],
      ['never-probed@ok.test', 'UNKNOWN', 'not_checked'],
      ['not an address', 'INVALID', 'invalid_syntax'],
    ]);
    // t1 (its probe never ended) and the never-claimed address are given back.
    expect((await used()) - before).toBe(2);
  });

  it('never gives back twice when finish and cancel race', async () => {
    for (let round = 0; round < 3; round += 1) {
      const before = await used();
      const id = await createJob(['t1@tar.test', 'n1@ok.test', 'n2@ok.test', 'n3@ok.test']);
      await waitFor(id, (job) => job.status === 'running' || job.status === 'queued');
      const [finish, cancel] = await Promise.all([
        call(`/v1/jobs/${id}/finish`, 'POST'),
        call(`/v1/jobs/${id}/cancel`, 'POST'),
      ]);
      // Exactly one of them ends the job; nothing was probed to the end, so all four come back exactly once.
      expect([finish.status, cancel.status].sort()).toEqual([200, 409]);
      const job = await getJob(id);
      expect(job.status).toBe(finish.status === 200 ? 'completed' : 'cancelled');
      expect((await used()) - before).toBeGreaterThanOrEqual(0);
      expect((await used()) - before).toBe(job.status === 'completed' ? 0 : 4 - job.done);
    }
  });

  it('refuses to finish a cancelled job (409) and knows no other key’s job (404)', async () => {
    const id = await createJob(['t1@tar.test', 'a@ok.test']);
    expect((await call(`/v1/jobs/${id}/cancel`, 'POST')).status).toBe(200);
    const refused = await call(`/v1/jobs/${id}/finish`, 'POST');
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: { code: 'conflict' } });
    const other = await prober.createKey('other');
    const hidden = await fetch(`${prober.url}/v1/jobs/${id}/finish`, {
      method: 'POST',
      headers: { authorization: `Bearer ${other}` },
    });
    expect(hidden.status).toBe(404);
  });

  it('keeps upload order for a chunk claimed before its job is sealed: it runs ahead of the later chunks', async () => {
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
