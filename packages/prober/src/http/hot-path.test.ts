import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { VerifyResponseSchema } from '@mailprobe/core';
import { type FakeInternet, startFakeInternet } from '@mailprobe/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedProber, startProber } from '../start-prober.js';
import { openStores } from '../stores/create-stores.js';

// The in-memory layers of the request path, seen through a real server on an embedded store.
const KEY_RECORD_TTL_MS = 200;
const REVOCATION_DEADLINE_MS = 5000;

let internet: FakeInternet;
let dataDir: string;
let prober: StartedProber;

async function verify(apiKey: string, email: string, fresh = false): Promise<Response> {
  return fetch(`${prober.url}/v1/verify`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ email, fresh }),
  });
}

const keyId = (apiKey: string) => apiKey.split('_')[1] as string;

beforeAll(async () => {
  internet = await startFakeInternet({
    domains: { 'hot.test': { mx: [{ host: 'mx.hot.test', smtp: { mailboxes: ['dora@hot.test'] } }] } },
  });
  dataDir = await mkdtemp(path.join(tmpdir(), 'mailprobe-hot-path-'));
  prober = await startProber({
    dataDir,
    engine: internet.engineOptions,
    config: {
      hotPath: {
        keyRecordTtlMs: KEY_RECORD_TTL_MS,
        usageFlushIntervalMs: 60_000,
        usageFlushMaxUnits: 1000,
        resultMemoryEntries: 100,
        resultMemoryMaxAgeMs: 5000,
      },
    },
  });
});

afterAll(async () => {
  await prober?.close();
  await internet?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('hot path', () => {
  it('answers a cache hit with the contract shape, the caller’s address and cached: true', async () => {
    const key = await prober.createKey('hits');
    const miss = await verify(key, 'dora@hot.test');
    const hit = await verify(key, 'dora@HOT.test');
    expect(hit.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const missBody = VerifyResponseSchema.parse(await miss.json());
    const hitBody = VerifyResponseSchema.parse(await hit.json());
    expect(missBody.cached).toBe(false);
    expect(hitBody).toEqual({ ...missBody, address: 'dora@HOT.test', cached: true });
    const fresh = VerifyResponseSchema.parse(await (await verify(key, 'dora@hot.test', true)).json());
    expect(fresh.cached).toBe(false);
  });

  it('refuses a key revoked through the server at once', async () => {
    const key = await prober.createKey('revoked here');
    expect((await verify(key, 'dora@hot.test')).status).toBe(200);
    await prober.server.stores.keys.revoke(keyId(key), new Date().toISOString());
    expect((await verify(key, 'dora@hot.test')).status).toBe(403);
  });

  it('refuses a key revoked by another process (as `mailprobe keys revoke`) within the record TTL', async () => {
    const key = await prober.createKey('revoked elsewhere');
    expect((await verify(key, 'dora@hot.test')).status).toBe(200);
    const other = await openStores({ dataDir, redisUrl: null });
    await other.keys.revoke(keyId(key), new Date().toISOString());
    await other.close();
    const revokedAt = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - revokedAt < REVOCATION_DEADLINE_MS) {
      status = (await verify(key, 'dora@hot.test')).status;
    }
    expect(status).toBe(403);
  });

  it('enforces the quota exactly and writes the usage when the server closes', async () => {
    const key = await prober.createKey('quota', { quota: 3 });
    const statuses = await Promise.all(Array.from({ length: 5 }, () => verify(key, 'dora@hot.test')));
    expect(statuses.map((response) => response.status).sort()).toEqual([200, 200, 200, 429, 429]);
    const me = (await (
      await fetch(`${prober.url}/v1/me`, { headers: { authorization: `Bearer ${key}` } })
    ).json()) as { limits: { used: number } };
    expect(me.limits.used).toBe(3);

    await prober.close();
    const stores = await openStores({ dataDir, redisUrl: null });
    expect((await stores.keys.get(keyId(key)))?.used).toBe(3);
    await stores.close();
  });
});
