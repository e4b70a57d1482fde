// A list of many domains must not hit the resolver with one query per domain at once, whatever the session
// concurrency: a burst of 128 queries overflowed a resolver's UDP receive buffer on loopback, and each dropped query
// cost its domain a whole DNS timeout.
import { describe, expect, it } from 'vitest';
import { type FakeZone, startFakeDns } from '../index.js';
import { createEngine, ENGINE_DEFAULTS } from './engine-under-test.js';

const DOMAINS = 150;
/** Long enough that no answer arrives before the count below, short enough to keep the test quick. */
const ANSWER_DELAY_MS = 1500;
const COUNT_AFTER_MS = 600;

describe('DNS lookups in flight', () => {
  it('are at most 64 at once even with 128 sessions allowed, and every domain is still answered', async () => {
    const zones: Record<string, FakeZone> = {};
    // Null MX: the engine stops at DNS, no SMTP needed.
    for (let index = 0; index < DOMAINS; index++)
      zones[`d${index}.burst.test`] = { nullMx: true, delayMs: ANSWER_DELAY_MS };
    const dns = await startFakeDns({ zones });
    const engine = createEngine({
      dnsServers: [dns.server],
      allowPrivateTargets: true,
      dnsRetries: 0,
      dnsTimeoutMs: 5000,
    });
    try {
      expect(engine.options.concurrency).toBe(ENGINE_DEFAULTS.concurrency);
      expect(ENGINE_DEFAULTS.concurrency).toBeGreaterThan(64);
      const addresses = Array.from({ length: DOMAINS }, (_, index) => `user@d${index}.burst.test`);
      const done = engine.verifyMany(addresses);
      await new Promise((resolve) => setTimeout(resolve, COUNT_AFTER_MS));
      const asked = new Set(dns.queries.map((query) => query.name));
      expect(asked.size).toBe(64);
      const results = await done;
      expect(results.map((result) => result.reason)).toEqual(addresses.map(() => 'null_mx'));
      expect(new Set(dns.queries.map((query) => query.name)).size).toBe(DOMAINS);
    } finally {
      await engine.close();
      await dns.close();
    }
  }, 20_000);
});
