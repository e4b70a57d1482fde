import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeInternet, startFakeInternet } from '../index.js';
import { createKeyInStore, fakeInternetEnv, jobResults, jobState, waitForCompletion } from './prober-api.js';
import { type ProberProcess, startProberProcess } from './prober-process.js';

const DOMAINS = 5;
const PER_DOMAIN = 80;

let internet: FakeInternet;
let dataDir: string;
const nodes: ProberProcess[] = [];

function addressesOf(domain: number): { all: string[]; existing: string[] } {
  const all = Array.from({ length: PER_DOMAIN }, (_, index) => `user${index}@d${domain}.test`);
  return { all, existing: all.filter((_, index) => index % 2 === 0) };
}

beforeAll(async () => {
  const domains: Parameters<typeof startFakeInternet>[0]['domains'] = {};
  for (let domain = 0; domain < DOMAINS; domain += 1) {
    domains[`d${domain}.test`] = {
      mx: [
        { host: `mx.d${domain}.test`, smtp: { mailboxes: addressesOf(domain).existing, replyDelayMs: 25 } },
      ],
    };
  }
  internet = await startFakeInternet({ domains });
  dataDir = await mkdtemp(path.join(tmpdir(), 'mailprobe-crash-'));
});

afterAll(async () => {
  for (const node of nodes) await node.kill();
  await internet?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('prober crash safety (embedded store)', () => {
  it('resumes a job after kill -9 and ends with exactly one result per address', async () => {
    const env = {
      MAILPROBE_DATA_DIR: dataDir,
      ...fakeInternetEnv(internet),
      MAILPROBE_RECIPIENTS_PER_SESSION: '5',
      MAILPROBE_MAX_CONNECTIONS_PER_MINUTE: '10000',
      MAILPROBE_JOB_CHUNK_SIZE: '20',
      MAILPROBE_JOB_POLL_INTERVAL_MS: '50',
    };
    const key = await createKeyInStore({ dataDir, redisUrl: null }, 'crash-test');

    const first = await startProberProcess(env);
    nodes.push(first);
    const emails = Array.from({ length: DOMAINS }, (_, domain) => addressesOf(domain).all).flat();
    const created = await fetch(`${first.url}/v1/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ emails: [...emails, ...emails.slice(0, 50)] }),
    });
    expect(created.status).toBe(202);
    const { id, total } = (await created.json()) as { id: string; total: number };
    expect(total).toBe(emails.length);

    // Kill the node once some, but not all, results are in.
    let before = await jobState(first.url, key, id);
    while (before.done < total / 10) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      before = await jobState(first.url, key, id);
    }
    await first.kill();
    expect(before.done).toBeLessThan(total);

    const second = await startProberProcess(env);
    nodes.push(second);
    const after = await waitForCompletion(second.url, key, id, 60_000);
    expect(after).toMatchObject({ status: 'completed', done: total, total });
    expect(after.counts).toEqual({ VALID: total / 2, INVALID: total / 2, UNKNOWN: 0 });

    // One result per uploaded row (the 50 repeated ones too), in upload order; each address verified once.
    const results = await jobResults(second.url, key, id);
    expect(results.map((result) => result.address)).toEqual([...emails, ...emails.slice(0, 50)]);
    expect(new Set(results.map((result) => result.address)).size).toBe(total);
    const existing = new Set(
      Array.from({ length: DOMAINS }, (_, domain) => addressesOf(domain).existing).flat(),
    );
    for (const result of results) {
      expect(result.status).toBe(existing.has(result.address) ? 'VALID' : 'INVALID');
    }

    // Logs are JSON lines without the key; an address appears only as a hash.
    const single = await fetch(`${second.url}/v1/verify`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'user2@d1.test' }),
    });
    expect(single.status).toBe(200);
    await second.stop();
    const logText = [...first.logs, ...second.logs].map((entry) => JSON.stringify(entry)).join('\n');
    expect(
      second.logs.some((entry) => entry.msg === 'verified' && typeof entry.addressHash === 'string'),
    ).toBe(true);
    expect(logText).not.toContain(key);
    expect(logText).not.toContain(key.slice(17));
    expect(logText).not.toContain('user2@d1.test');
  });
});
