import type { BatchResponse, VerifyResponse } from '@mailprobe/core';
import { type FakeInternet, startFakeInternet } from '@mailprobe/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedProber, startProber } from '../../start-prober.js';

let internet: FakeInternet;
let prober: StartedProber;
let key: string;

beforeAll(async () => {
  internet = await startFakeInternet({
    domains: { 'fresh.test': { mx: [{ host: 'mx.fresh.test', smtp: { mailboxes: ['ann@fresh.test'] } }] } },
  });
  prober = await startProber({ engine: internet.engineOptions });
  key = await prober.createKey('fresh', { quota: 100 });
});

afterAll(async () => {
  await prober?.close();
  await internet?.close();
});

const post = async (path: string, body: unknown) =>
  fetch(`${prober.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const used = async () =>
  (
    (await (await fetch(`${prober.url}/v1/me`, { headers: { authorization: `Bearer ${key}` } })).json()) as {
      limits: { used: number };
    }
  ).limits.used;

describe('fresh: true skips the results cache', () => {
  it('on /v1/verify/batch: probes again instead of answering from the cache, and still counts', async () => {
    const emails = ['ann@fresh.test', 'bob@fresh.test'];
    const batch = async (body: Record<string, unknown>) =>
      ((await (await post('/v1/verify/batch', { emails, ...body })).json()) as BatchResponse).results;
    expect((await batch({})).map((result) => result.cached)).toEqual([false, false]);
    expect((await batch({})).map((result) => result.cached)).toEqual([true, true]);
    const fresh = await batch({ fresh: true });
    expect(fresh.map((result) => [result.status, result.cached])).toEqual([
      ['VALID', false],
      ['INVALID', false],
    ]);
    expect(await used()).toBe(6);
  });

  it('on /v1/verify, the same way', async () => {
    const before = await used();
    const verify = async (body: Record<string, unknown>) =>
      (await (await post('/v1/verify', { email: 'ann@fresh.test', ...body })).json()) as VerifyResponse;
    expect((await verify({})).cached).toBe(true);
    expect((await verify({ fresh: true })).cached).toBe(false);
    expect((await used()) - before).toBe(2);
  });

  it('refuses a fresh that is not a boolean', async () => {
    const response = await post('/v1/verify/batch', { emails: ['ann@fresh.test'], fresh: 'yes' });
    expect(response.status).toBe(400);
  });
});
