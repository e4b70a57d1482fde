// The engine benchmark on the fake internet (prints figures; asserts nothing).
// Run: pnpm --filter @mailprobe/engine bench
import { loadavg } from 'node:os';
import { type FakeDomain, type FakeInternet, startFakeInternet } from '@mailprobe/test-kit';
import { createEngine, type EngineOptionsInput } from '../src/index.js';

/** Simulated network round trip: the fake servers delay every reply (a pipelined group is one reply). */
const REPLY_DELAY_MS = 20;
const REUSE_ADDRESSES = 20;
const BULK_DOMAINS = 500;
const BULK_SERVERS = 50;
const BULK_ADDRESSES_PER_DOMAIN = 20;
/** One address in ten does not exist: each domain costs its catch-all probe plus two refusals. */
const BULK_UNKNOWN_PER_DOMAIN = 2;
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

/**
 * (c) The shape of a real list: many domains, few mail servers. 500 domains whose MX names map onto 50 server
 * addresses (10 domains per address, as at hosting providers); each domain has 20 addresses, 2 of them unknown.
 */
async function bulk(): Promise<void> {
  const domains: Record<string, FakeDomain> = {};
  const addresses: string[] = [];
  const domainsPerServer = BULK_DOMAINS / BULK_SERVERS;
  for (let server = 0; server < BULK_SERVERS; server += 1) {
    const served = Array.from(
      { length: domainsPerServer },
      (_, index) => `d${server * domainsPerServer + index}.bench.test`,
    );
    const existing = served.flatMap((domain) =>
      mailboxes(domain, BULK_ADDRESSES_PER_DOMAIN - BULK_UNKNOWN_PER_DOMAIN),
    );
    served.forEach((domain, index) => {
      const smtp = { replyDelayMs: REPLY_DELAY_MS, mailboxes: existing };
      domains[domain] = {
        mx: [
          { host: `mx.${domain}`, server: `server${server}.bench.test`, ...(index === 0 ? { smtp } : {}) },
        ],
      };
    });
  }
  // Interleaved, as a real list is: consecutive addresses rarely share a domain.
  for (let index = 0; index < BULK_ADDRESSES_PER_DOMAIN; index += 1) {
    for (let domain = 0; domain < BULK_DOMAINS; domain += 1)
      addresses.push(`user${index}@d${domain}.bench.test`);
  }
  const internet = await startFakeInternet({ domains });
  try {
    const engine = createEngine(engineOptions(internet));
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const results = await engine.verifyMany(addresses);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    await engine.close();
    const servers = [...new Set(Object.values(internet.smtp))];
    const peak = Math.max(...servers.map((server) => server.peakConcurrency));
    const sessions = servers.reduce((sum, server) => sum + server.sessions.length, 0);
    const meanDnsMs = results.reduce((sum, result) => sum + result.timings.dnsMs, 0) / results.length;
    const meanQueuedMs = results.reduce((sum, result) => sum + result.timings.queuedMs, 0) / results.length;
    const byReason = new Map<string, number>();
    for (const result of results) byReason.set(result.reason, (byReason.get(result.reason) ?? 0) + 1);
    console.log(
      `(c) ${addresses.length} addresses over ${BULK_DOMAINS} domains whose MX names map onto ${servers.length} server addresses (engine defaults):`,
    );
    console.log(
      `    wall time ${format(seconds, 2)} s, ${format(addresses.length / seconds, 0)} addresses/s (target ≥ 2000)`,
    );
    // On a shared machine the wall time mostly measures the wait for a CPU; this part does not.
    console.log(
      `    CPU time ${format(cpuSeconds, 2)} s (engine and every fake server together, load average ${format(loadavg()[0] ?? 0, 1)})`,
    );
    console.log(
      `    ${sessions} SMTP connections, ${format(sessions / addresses.length, 3)} connections/address (target ≤ 0.03)`,
    );
    console.log(`    peak concurrent sessions per server address: ${peak} (limit maxSessionsPerMx = 2)`);
    console.log(`    mean dnsMs ${format(meanDnsMs, 0)}, mean queuedMs ${format(meanQueuedMs, 0)}`);
    console.log(`    results: ${JSON.stringify(Object.fromEntries(byReason))}`);
    console.log(
      `    peak RSS ${format(process.resourceUsage().maxRSS / KIB, 0)} MB (this process: engine + ${servers.length} fake SMTP servers + fake DNS)`,
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
