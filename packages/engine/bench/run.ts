// The engine benchmark on the fake internet (prints figures; asserts nothing).
// Run: pnpm --filter @mailprobe/engine bench
import { type FakeDomain, type FakeInternet, startFakeInternet } from '@mailprobe/test-kit';
import { createEngine, type EngineOptionsInput } from '../src/index.js';

/** Simulated network round trip: the fake servers delay every reply (a pipelined group is one reply). */
const REPLY_DELAY_MS = 20;
const REUSE_ADDRESSES = 20;
const BULK_DOMAINS = 500;
const BULK_ADDRESSES_PER_DOMAIN = 20;
const KIB = 1024;

const mailboxes = (domain: string, count: number) =>
  Array.from({ length: count }, (_, index) => `user${index}@${domain}`);

/** Half of each domain's addresses exist, half do not. */
function domainWithMx(domain: string, count: number): FakeDomain {
  return {
    mx: [
      {
        host: `mx.${domain}`,
        smtp: { replyDelayMs: REPLY_DELAY_MS, mailboxes: mailboxes(domain, Math.ceil(count / 2)) },
      },
    ],
  };
}

function engineOptions(internet: FakeInternet, overrides: EngineOptionsInput = {}): EngineOptionsInput {
  // Only what the fake internet needs (its resolver, loopback targets, its port); every other setting is the default.
  return { ...internet.engineOptions, defaultHeloName: 'bench.mailprobe.test', ...overrides };
}

/** Round trips a verification spent talking SMTP: its wall time minus DNS, in units of the simulated RTT. */
async function roundTrips(internet: FakeInternet, addresses: string[], overrides: EngineOptionsInput = {}) {
  const engine = createEngine(engineOptions(internet, overrides));
  try {
    // First use of the code paths (module loading, JIT) is not what is measured.
    await engine.verify('user0@warm.test');
    const started = performance.now();
    const results = await engine.verifyMany(addresses);
    const elapsed = performance.now() - started;
    const dnsMs = Math.max(...results.map((result) => result.timings.dnsMs));
    // DNS comes first and is not SMTP: the rest of the wall time is the dialogue, QUIT included.
    return { roundTrips: (elapsed - dnsMs) / REPLY_DELAY_MS };
  } finally {
    await engine.close();
  }
}

function format(value: number, digits = 1): string {
  return value.toFixed(digits);
}

async function freshAddressAndReuse(): Promise<void> {
  const internet = await startFakeInternet({
    domains: {
      'warm.test': domainWithMx('warm.test', 2),
      'single.test': domainWithMx('single.test', 2),
      'reuse.test': domainWithMx('reuse.test', REUSE_ADDRESSES),
      'one-by-one.test': domainWithMx('one-by-one.test', REUSE_ADDRESSES),
    },
  });
  try {
    const single = await roundTrips(internet, ['user0@single.test']);
    const session = internet.smtp['mx.single.test']?.sessions.at(-1);
    console.log(
      `(a) one fresh address: ${format(single.roundTrips)} round trips (${REPLY_DELAY_MS} ms each) until the result,`,
    );
    console.log(`    commands: ${session?.commands.join(' | ')}`);

    const reuse = await roundTrips(internet, mailboxes('reuse.test', REUSE_ADDRESSES));
    const oneByOne = await roundTrips(internet, mailboxes('one-by-one.test', REUSE_ADDRESSES), {
      recipientsPerSession: 1,
      maxSessionsPerMx: 1,
    });
    const reuseSessions = internet.smtp['mx.reuse.test']?.sessions.length ?? 0;
    const oneByOneSessions = internet.smtp['mx.one-by-one.test']?.sessions.length ?? 0;
    console.log(`(b) ${REUSE_ADDRESSES} addresses at one domain:`);
    console.log(
      `    reuse + pipelining (defaults): ${format(reuse.roundTrips / REUSE_ADDRESSES, 2)} round trips/address, ${reuseSessions} session(s)`,
    );
    console.log(
      `    one session per address:       ${format(oneByOne.roundTrips / REUSE_ADDRESSES, 2)} round trips/address, ${oneByOneSessions} sessions`,
    );
  } finally {
    await internet.close();
  }
}

async function bulk(): Promise<void> {
  const domains: Record<string, FakeDomain> = {};
  const addresses: string[] = [];
  for (let index = 0; index < BULK_DOMAINS; index += 1) {
    const domain = `d${index}.bench.test`;
    domains[domain] = domainWithMx(domain, BULK_ADDRESSES_PER_DOMAIN);
    addresses.push(...mailboxes(domain, BULK_ADDRESSES_PER_DOMAIN));
  }
  const internet = await startFakeInternet({ domains });
  try {
    const engine = createEngine(engineOptions(internet));
    const started = performance.now();
    const results = await engine.verifyMany(addresses);
    const seconds = (performance.now() - started) / 1000;
    await engine.close();
    const peak = Math.max(...Object.values(internet.smtp).map((server) => server.peakConcurrency));
    const meanDnsMs = results.reduce((sum, result) => sum + result.timings.dnsMs, 0) / results.length;
    const meanQueuedMs = results.reduce((sum, result) => sum + result.timings.queuedMs, 0) / results.length;
    const byReason = new Map<string, number>();
    for (const result of results) byReason.set(result.reason, (byReason.get(result.reason) ?? 0) + 1);
    const sessions = Object.values(internet.smtp).reduce((sum, server) => sum + server.sessions.length, 0);
    console.log(
      `(c) ${addresses.length} addresses over ${BULK_DOMAINS} domains (engine defaults, ≤ 2 sessions per MX):`,
    );
    console.log(
      `    wall time ${format(seconds, 2)} s, ${format(addresses.length / seconds, 0)} addresses/s, ${sessions} SMTP sessions`,
    );
    console.log(`    mean dnsMs ${format(meanDnsMs, 0)}, mean queuedMs ${format(meanQueuedMs, 0)}`);
    console.log(
      `    peak sessions at one MX: ${peak}; results: ${JSON.stringify(Object.fromEntries(byReason))}`,
    );
    console.log(
      `    peak RSS ${format(process.resourceUsage().maxRSS / KIB, 0)} MB (this process: engine + ${BULK_DOMAINS} fake SMTP servers + fake DNS)`,
    );
  } finally {
    await internet.close();
  }
}

console.log(
  `mailprobe engine benchmark — fake internet, ${REPLY_DELAY_MS} ms per SMTP reply, Node ${process.version}`,
);
await freshAddressAndReuse();
await bulk();
