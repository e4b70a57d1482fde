import { type FakeDomain, type FakeInternet, startFakeInternet } from '@mailprobe/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedProber, startProber } from '../start-prober.js';

// Issue #12 item 3: metrics on their own listener (or behind a token), no label from user input, bounded.

const DOMAINS_PER_JOB = 12;
const METRICS_TOKEN = 'a-metrics-token-for-tests';

let internet: FakeInternet;
let prober: StartedProber;
let key: string;

const domainName = (job: string, n: number) => `d${n}-${job}.test`;

beforeAll(async () => {
  const domains: Record<string, FakeDomain> = {};
  for (const job of ['first', 'second']) {
    for (let n = 0; n < DOMAINS_PER_JOB; n += 1) {
      const domain = domainName(job, n);
      domains[domain] = { mx: [{ host: `mx.${domain}`, smtp: { mailboxes: [`user@${domain}`] } }] };
    }
  }
  internet = await startFakeInternet({ domains });
  prober = await startProber({
    engine: internet.engineOptions,
    config: {
      metricsToken: METRICS_TOKEN,
      jobs: { pollIntervalMs: 20 },
      limits: { requestsPerMinute: 10_000 },
    },
  });
  key = await prober.createKey('metrics');
});

afterAll(async () => {
  await prober?.close();
  await internet?.close();
});

async function runJob(job: string): Promise<string> {
  const emails = Array.from({ length: DOMAINS_PER_JOB }, (_, n) => `user@${domainName(job, n)}`);
  emails.push(`nobody@${domainName(job, 0)}`);
  const created = await fetch(`${prober.url}/v1/jobs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ emails }),
  });
  const { id } = (await created.json()) as { id: string };
  const deadline = Date.now() + 20_000;
  for (;;) {
    const state = (await (
      await fetch(`${prober.url}/v1/jobs/${id}`, { headers: { authorization: `Bearer ${key}` } })
    ).json()) as { status: string };
    if (state.status === 'completed') return id;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${state.status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The mailprobe_ series (name and labels, without values) of a metrics text. */
function series(text: string): Set<string> {
  return new Set(
    text
      .split('\n')
      .filter((line) => line.startsWith('mailprobe_'))
      .map((line) => line.slice(0, line.lastIndexOf(' '))),
  );
}

describe('metrics', () => {
  it('live on the ops listener, and on the API listener only with the metrics token', async () => {
    expect(prober.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const ops = await fetch(prober.metricsUrl as string);
    expect(ops.status).toBe(200);
    expect(ops.headers.get('content-type')).toContain('text/plain');
    const other = await fetch((prober.metricsUrl as string).replace('/metrics', '/v1/me'));
    expect(other.status).toBe(404);
    expect(await other.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });

    const anonymous = await fetch(`${prober.url}/metrics`);
    expect(anonymous.status).toBe(401);
    const withApiKey = await fetch(`${prober.url}/metrics`, { headers: { authorization: `Bearer ${key}` } });
    expect(withApiKey.status).toBe(401);
    const withToken = await fetch(`${prober.url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(withToken.status).toBe(200);
    expect(await withToken.text()).toContain('mailprobe_verifications_total');
  });

  it('carry no label from user input and the same series after twice the MX hosts and jobs', async () => {
    const firstJob = await runJob('first');
    const afterFirst = await (await fetch(prober.metricsUrl as string)).text();
    const secondJob = await runJob('second');
    const afterSecond = await (await fetch(prober.metricsUrl as string)).text();
    for (const text of [afterFirst, afterSecond]) {
      expect(text).not.toContain(firstJob);
      expect(text).not.toContain(secondJob);
      expect(text).not.toMatch(/\.test/);
      expect(text).not.toMatch(/127\.1\./);
    }
    expect(afterSecond).toMatch(/mailprobe_verifications_total\{[^}]*status="VALID"/);
    expect(afterSecond).toMatch(/mailprobe_mx_wait_seconds_count \d+/);
    expect([...series(afterSecond)].sort()).toEqual([...series(afterFirst)].sort());
    expect(Buffer.byteLength(afterSecond)).toBeLessThan(64 * 1024);
  });
});
