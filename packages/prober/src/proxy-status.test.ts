import { createServer } from 'node:net';
import { type VerificationResult, VerificationResultSchema } from '@mailprobe/core';
import { type FakeInternet, startFakeInternet } from '@mailprobe/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedProber, startProber } from './start-prober.js';

const SECRET = 'hunter2-s3cret';
let internet: FakeInternet;
let prober: StartedProber;
let key: string;

/** A loopback port nothing listens on: the proxy there is unreachable. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

beforeAll(async () => {
  internet = await startFakeInternet({
    domains: {
      'example.test': { mx: [{ host: 'mx.example.test', smtp: { mailboxes: ['alice@example.test'] } }] },
    },
  });
  prober = await startProber({
    engine: {
      ...internet.engineOptions,
      timeouts: { totalMs: 5000 },
      proxies: [{ name: 'egress-eu', url: `socks5://prober:${SECRET}@127.0.0.1:${await closedPort()}` }],
    },
  });
  key = await prober.createKey('proxy-tests');
});

afterAll(async () => {
  await prober?.close();
  await internet?.close();
});

describe('a prober whose SOCKS5 egress is down', () => {
  it('answers UNKNOWN connection_failed naming the proxy, shows it benched in /readyz and metrics, never the password', async () => {
    const response = await fetch(`${prober.url}/v1/verify`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'alice@example.test' }),
    });
    const text = await response.text();
    const result = VerificationResultSchema.parse(JSON.parse(text)) as VerificationResult;
    expect(result).toMatchObject({ status: 'UNKNOWN', reason: 'connection_failed', provider: 'other' });
    expect(result.smtp?.proxy?.name).toBe('egress-eu');
    expect(['proxy_unreachable', 'proxy_benched']).toContain(result.smtp?.proxy?.failure);

    const readyz = await (await fetch(`${prober.url}/readyz`)).text();
    expect(JSON.parse(readyz)).toMatchObject({
      status: 'ready',
      proxies: [
        {
          name: 'egress-eu',
          url: expect.stringMatching(/^socks5:\/\/prober:\*\*\*@127\.0\.0\.1:\d+$/),
          benched: true,
          lastFailure: { code: 'proxy_unreachable', replyCode: null },
        },
      ],
    });
    const metrics = await (await fetch(prober.metricsUrl as string)).text();
    expect(metrics).toContain('mailprobe_proxy_benched{proxy="egress-eu"} 1');
    for (const shown of [text, readyz, metrics]) expect(shown).not.toContain(SECRET);
  });
});
