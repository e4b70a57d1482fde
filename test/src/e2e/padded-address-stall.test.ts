// Issue #23 item 5: addresses padded with a thousand spaces cost 200 times the CPU of a normal one, so 100 batch
// calls of 100 of them held the event loop for seconds. The prober runs in this process here, so the event-loop
// delay measured by perf_hooks is the server's own while it parses them.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedProber, startProber } from '../../../packages/prober/src/index.js';

/** /healthz must answer within this throughout (issue #23 "Done when"). */
const STALL_BUDGET_MS = 250;
const CALLS = 100;
/** Calls in flight at once, as a tenant with a few connections would send them. */
const CONCURRENT_CALLS = 10;
// The input: 1,023 characters, just under the API's 1,024-character bound on an address.
const PADDED = Array.from({ length: 100 }, () => `a${' '.repeat(1020)}@b`);
const HEALTHZ_INTERVAL_MS = 50;

let prober: StartedProber;
let key: string;

beforeAll(async () => {
  prober = await startProber({ config: { bodyLimitBytes: 1024 * 1024 } });
  key = await prober.createKey('padded', { requestsPerMinute: 100_000 });
  // One call first, so the first-use compilation of the route (schemas, serializers) is not counted as a stall.
  await verifyBatch(PADDED);
});

async function verifyBatch(emails: string[]): Promise<Response> {
  return fetch(`${prober.url}/v1/verify/batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ emails }),
  });
}

afterAll(async () => {
  await prober?.close();
});

describe('padded addresses do not stall the server', () => {
  it(`100 batch calls of 100 padded addresses keep the event loop within ${STALL_BUDGET_MS} ms`, async () => {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    let slowestHealthzMs = 0;
    let done = false;
    const healthz = (async () => {
      while (!done) {
        const started = performance.now();
        expect((await fetch(`${prober.url}/healthz`)).status).toBe(200);
        slowestHealthzMs = Math.max(slowestHealthzMs, performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, HEALTHZ_INTERVAL_MS));
      }
    })();
    delay.enable();
    const reasons = new Set<string>();
    try {
      let next = 0;
      const caller = async () => {
        while (next < CALLS) {
          next += 1;
          const response = await verifyBatch(PADDED);
          expect(response.status).toBe(200);
          const answer = (await response.json()) as { results: Array<{ status: string; reason: string }> };
          expect(answer.results).toHaveLength(PADDED.length);
          for (const result of answer.results) reasons.add(`${result.status} ${result.reason}`);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENT_CALLS }, caller));
    } finally {
      delay.disable();
      done = true;
      await healthz;
    }
    const maxDelayMs = delay.max / 1e6;
    console.log(
      `padded batches: event-loop delay max ${maxDelayMs.toFixed(1)} ms, p50 ${(delay.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, count ${delay.count}; slowest /healthz ${slowestHealthzMs.toFixed(1)} ms`,
    );
    expect([...reasons]).toEqual(['INVALID invalid_syntax']);
    expect(maxDelayMs).toBeLessThan(STALL_BUDGET_MS);
  }, 120_000);
});
