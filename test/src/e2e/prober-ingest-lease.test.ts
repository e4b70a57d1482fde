import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, openStores, type Stores } from '../../../packages/prober/src/index.js';
import { type FakeDns, type RedisServer, startFakeDns, startRedisServer } from '../index.js';
import { startJobUpload } from './prober-api.js';
import { type ProberProcess, startProberProcess } from './prober-process.js';

const INGEST_LEASE_MS = 1500;
const ADDRESSES_PER_WRITE = 500;

let dns: FakeDns;
let redis: RedisServer;
let stores: Stores;
const nodes: ProberProcess[] = [];

/** A JSON upload written piece by piece; `finish()` ends it and resolves with the answer. */
function openUpload(url: string, key: string) {
  let written = 0;
  const { outgoing, answer: reply } = startJobUpload(url, key);
  // The upload to the killed node ends with a reset connection: that is the point.
  const answer = reply.catch(() => ({ status: 0, body: '' }));
  return {
    write() {
      const addresses = Array.from(
        { length: ADDRESSES_PER_WRITE },
        (_, offset) => `"user${written + offset}@nowhere.test"`,
      );
      outgoing.write(`${written === 0 ? '{"emails":[' : ','}${addresses.join(',')}`);
      written += ADDRESSES_PER_WRITE;
    },
    finish() {
      outgoing.end(']}');
      return answer;
    },
  };
}

async function ingestingJobIds(): Promise<string[]> {
  return (await stores.jobs.listJobsInState('ingesting')).map((job) => job.id);
}

async function waitFor<T>(probe: () => Promise<T | null>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  dns = await startFakeDns({ zones: {} });
  redis = await startRedisServer();
  stores = await openStores({ dataDir: '', redisUrl: redis.url });
});

afterAll(async () => {
  for (const node of nodes) await node.kill();
  await stores?.close();
  await redis?.stop();
  await dns?.close();
});

describe('prober fleet: uploads interrupted by a dead node', () => {
  it('fails the job of a node killed mid-upload, while a slow live upload keeps its lease', async () => {
    const { key } = await createApiKey(stores.keys, 'ingest-lease');
    const env = {
      MAILPROBE_REDIS_URL: redis.url,
      MAILPROBE_DNS_SERVERS: dns.server,
      MAILPROBE_JOB_INGEST_LEASE_MS: String(INGEST_LEASE_MS),
      MAILPROBE_JOB_POLL_INTERVAL_MS: '50',
    };
    const [doomed, survivor] = await Promise.all([
      startProberProcess({ ...env, MAILPROBE_NODE_ID: 'doomed' }),
      startProberProcess({ ...env, MAILPROBE_NODE_ID: 'survivor' }),
    ]);
    nodes.push(doomed, survivor);

    // An upload to the node that dies: several batches are stored, then the process is killed with SIGKILL.
    const dying = openUpload(doomed.url, key);
    for (let batch = 0; batch < 6; batch += 1) dying.write();
    const [deadJobId] = await waitFor(async () => {
      const ids = await ingestingJobIds();
      return ids.length === 1 ? ids : null;
    }, 10_000);
    await waitFor(async () => {
      const job = await stores.jobs.getJob(deadJobId as string);
      return job && job.total > 0 ? job : null;
    }, 10_000);

    // Meanwhile a slow upload to the survivor lasts several leases; renewing keeps it alive.
    const slow = openUpload(survivor.url, key);
    await doomed.kill();
    const slowUntil = Date.now() + INGEST_LEASE_MS * 3;
    while (Date.now() < slowUntil) {
      slow.write();
      await new Promise((resolve) => setTimeout(resolve, INGEST_LEASE_MS / 4));
    }

    const failed = await waitFor(async () => {
      const response = await fetch(`${survivor.url}/v1/jobs/${deadJobId}`, {
        headers: { authorization: `Bearer ${key}` },
      });
      if (response.status !== 200) return null;
      const job = (await response.json()) as { status: string; error: string | null };
      return job.status === 'failed' ? job : null;
    }, INGEST_LEASE_MS * 10);
    expect(failed.error).toMatch(/upload was interrupted/);
    expect(await ingestingJobIds()).toHaveLength(1);

    const finished = await slow.finish();
    expect(finished.status).toBe(202);
    const created = JSON.parse(finished.body) as { id: string; status: string; total: number };
    expect(created.total).toBeGreaterThan(ADDRESSES_PER_WRITE * 6);
    expect(created.status).not.toBe('failed');
    expect(await ingestingJobIds()).toEqual([]);
    await survivor.stop();
  });
});
