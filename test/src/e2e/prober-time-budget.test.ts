// `timeoutMs` on /v1/verify and /v1/verify/batch against a tarpit MX: the answer comes within the budget (+1 s),
// the probe goes on in the background, and a later call gets its real verdict from the cache.
import { createProberClient, type ProberClient, type VerificationResult } from '@mailprobe/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedProber, startProber } from '../../../packages/prober/src/index.js';
import { type FakeInternet, startFakeInternet } from '../index.js';

/** Every reply of the tarpit MX waits this long: a whole probe takes several seconds. */
const TARPIT_REPLY_DELAY_MS = 1200;
const BUDGET_MS = 1000;
const GRACE_MS = 1000;
const POLL_MS = 250;
const SETTLE_TIMEOUT_MS = 25_000;

let internet: FakeInternet;
let prober: StartedProber;
let key: string;
let client: ProberClient;

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

function rcptsFor(address: string): number {
  return (internet.smtp['mx.tarpit.test']?.sessions ?? []).flatMap((session) =>
    session.commands.filter((command) => command.toLowerCase() === `rcpt to:<${address}>`),
  ).length;
}

/** Asks again (with the same short budget) until the real verdict is served. */
async function laterVerdict(ask: () => Promise<VerificationResult>): Promise<VerificationResult> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    const result = await ask();
    if (result.reason !== 'timeout') return result;
    if (Date.now() > deadline) throw new Error('the background probe never landed in the cache');
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

beforeAll(async () => {
  internet = await startFakeInternet({
    domains: {
      'tarpit.test': {
        mx: [
          {
            host: 'mx.tarpit.test',
            smtp: {
              mailboxes: ['slow@tarpit.test', 'slow2@tarpit.test'],
              replyDelayMs: TARPIT_REPLY_DELAY_MS,
            },
          },
        ],
      },
      'fast.test': { mx: [{ host: 'mx.fast.test', smtp: { mailboxes: ['alice@fast.test'] } }] },
    },
  });
  prober = await startProber({ engine: internet.engineOptions });
  key = await prober.createKey('budget');
  client = createProberClient({ baseUrl: prober.url, apiKey: key, maxRetries: 0 });
});

afterAll(async () => {
  await prober?.close();
  await internet?.close();
});

describe('a time budget per request', () => {
  it('/v1/verify answers UNKNOWN timeout within budget + 1 s, then the cached real verdict', async () => {
    const { value: first, ms } = await timed(() =>
      client.verify('slow@tarpit.test', { timeoutMs: BUDGET_MS }),
    );
    expect(ms).toBeLessThan(BUDGET_MS + GRACE_MS);
    expect(first).toMatchObject({
      status: 'UNKNOWN',
      reason: 'timeout',
      address: 'slow@tarpit.test',
      cached: false,
    });

    // A call while the probe still runs joins it (and gets its verdict when it lands in time); once it has
    // ended, the verdict comes from the cache.
    const later = await laterVerdict(() => client.verify('slow@tarpit.test', { timeoutMs: BUDGET_MS }));
    expect(later).toMatchObject({ status: 'VALID', reason: 'accepted' });
    const cached = await timed(() => client.verify('slow@tarpit.test', { timeoutMs: BUDGET_MS }));
    expect(cached.value).toMatchObject({ status: 'VALID', reason: 'accepted', cached: true });
    expect(cached.value.smtp?.host).toBe('mx.tarpit.test');
    expect(cached.ms).toBeLessThan(BUDGET_MS);
    // Calls made while the probe ran joined it instead of probing again.
    expect(rcptsFor('slow@tarpit.test')).toBe(1);
  });

  it('/v1/verify/batch answers what finished and times out the rest, in input order', async () => {
    const emails = ['alice@fast.test', 'slow2@tarpit.test', 'broken@'];
    const raw = await timed(() =>
      fetch(`${prober.url}/v1/verify/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ emails, timeoutMs: BUDGET_MS }),
      }),
    );
    expect(raw.ms).toBeLessThan(BUDGET_MS + GRACE_MS);
    const { results } = (await raw.value.json()) as { results: VerificationResult[] };
    expect(results.map((result) => [result.address, result.status, result.reason])).toEqual([
      ['alice@fast.test', 'VALID', 'accepted'],
      ['slow2@tarpit.test', 'UNKNOWN', 'timeout'],
      ['broken@', 'INVALID', 'invalid_syntax'],
    ]);
    const later = await laterVerdict(
      async () =>
        (await client.verifyBatch(['slow2@tarpit.test'], { timeoutMs: BUDGET_MS }))[0] as VerificationResult,
    );
    expect(later).toMatchObject({ status: 'VALID', reason: 'accepted' });
    const [cached] = await client.verifyBatch(['slow2@tarpit.test'], { timeoutMs: BUDGET_MS });
    expect(cached).toMatchObject({ status: 'VALID', reason: 'accepted', cached: true });
  });

  it('refuses a budget outside the documented range', async () => {
    const response = await fetch(`${prober.url}/v1/verify`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'alice@fast.test', timeoutMs: 10 }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('timeoutMs');
  });
});
