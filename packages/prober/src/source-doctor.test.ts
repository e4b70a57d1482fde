import { dnsblQueryName } from '@mailprobe/engine';
import { type FakeInternet, startFakeInternet } from '@mailprobe/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedProber, startProber } from './start-prober.js';

// A node with two dedicated source addresses, one of them on a (fake) DNS blocklist: it is benched at
// start-up (readyz detail, metrics, logs), probes leave only from the other, and it comes back once delisted.
const LISTED = '127.0.0.2';
const CLEAR = '127.0.0.3';
const ZONE = 'zen.bl.test';

let internet: FakeInternet;
let prober: StartedProber;
let key: string;

interface Ready {
  status: string;
  sources?: { checkedAt: string | null; benched: string[]; failing: Record<string, string[]> };
}

async function readyz(): Promise<Ready> {
  return (await (await fetch(`${prober.url}/readyz`)).json()) as Ready;
}

async function waitFor(predicate: (ready: Ready) => boolean, timeoutMs = 10_000): Promise<Ready> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ready = await readyz();
    if (predicate(ready)) return ready;
    if (Date.now() > deadline) throw new Error(`readyz never matched: ${JSON.stringify(ready)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  internet = await startFakeInternet({
    domains: {
      'example.test': {
        mx: [{ host: 'mx.example.test', smtp: { mailboxes: ['a@example.test', 'b@example.test'] } }],
      },
    },
    extraZones: {
      [dnsblQueryName(LISTED, ZONE)]: { a: ['127.0.0.2'], txt: ['listed for testing'] },
    },
  });
  prober = await startProber({
    engine: { ...internet.engineOptions, sourceAddresses: [LISTED, CLEAR], mailFrom: 'verify@example.test' },
    config: { doctor: { intervalMs: 200, dnsblZones: [ZONE], probeHost: null }, logLevel: 'silent' },
  });
  key = await prober.createKey('doctor');
});

afterAll(async () => {
  await prober?.close();
  await internet?.close();
});

describe('serve runs the doctor over its source addresses', () => {
  it('benches a blocklisted address: readyz detail, metrics, and no probe leaves from it', async () => {
    const ready = await waitFor((entry) => (entry.sources?.benched.length ?? 0) > 0);
    expect(ready.status).toBe('ready');
    expect(ready.sources?.benched).toEqual([LISTED]);
    expect(ready.sources?.failing[LISTED]).toContain('dnsbl');
    expect(ready.sources?.checkedAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    const metrics = await (await fetch(prober.metricsUrl as string)).text();
    expect(metrics).toContain(`mailprobe_source_benched{address="${LISTED}"} 1`);
    expect(metrics).toContain(`mailprobe_source_benched{address="${CLEAR}"} 0`);
    expect(metrics).toContain(`mailprobe_source_check_ok{address="${LISTED}",check="dnsbl"} 0`);

    for (const email of ['a@example.test', 'b@example.test', 'c@example.test']) {
      const response = await fetch(`${prober.url}/v1/verify`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ email }),
      });
      expect(response.status).toBe(200);
    }
    // The doctor's own port-25 test greets and quits from both; probes (RCPT) leave only from the clear one.
    const sessions = internet.smtp['mx.example.test']?.sessions ?? [];
    const probing = sessions.filter((session) =>
      session.commands.some((command) => command.startsWith('RCPT')),
    );
    expect(probing.length).toBeGreaterThan(0);
    expect(new Set(probing.map((session) => session.clientAddress))).toEqual(new Set([CLEAR]));
    const checking = sessions.filter((session) =>
      session.commands.every((command) => command.startsWith('QUIT')),
    );
    expect(new Set(checking.map((session) => session.clientAddress))).toEqual(new Set([LISTED, CLEAR]));
  });

  it('puts the address back in use once a later run finds it clear', async () => {
    internet.dns.setZone(dnsblQueryName(LISTED, ZONE), { nxdomain: true });
    const ready = await waitFor((entry) => entry.sources?.benched.length === 0);
    expect(ready.sources?.failing[LISTED] ?? []).not.toContain('dnsbl');
    const metrics = await (await fetch(prober.metricsUrl as string)).text();
    expect(metrics).toContain(`mailprobe_source_benched{address="${LISTED}"} 0`);
  });
});
