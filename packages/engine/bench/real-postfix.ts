// The engine on a real Postfix behind a latency proxy: what a list costs on servers that count refusals and spawn a
// process per connection, unlike the fake servers of bench/run.ts. Prints figures; exits non-zero when a verdict is
// wrong. Skips (with the reason) when not root or Postfix is missing.
// Run: pnpm --filter @mailprobe/engine bench   (or: node --conditions=@mailprobe/source --import tsx bench/real-postfix.ts)
// Options (env): BENCH_RUNS=n runs in a row on the same Postfix (default 3; the median is printed); BENCH_CPU_PROF=dir writes a V8 CPU profile of
// each engine run's verifyMany there (open it in Chrome DevTools or speedscope); BENCH_ENGINE_OPTIONS='{json}' overrides
// engine options (e.g. '{"maxSessionsPerMx":1}'); BENCH_COMPARE=path/to/other/bench/real-postfix-engine.ts adds BENCH_RUNS
// paired CPU comparisons with another build of the engine; BENCH_ENGINE_NODE_ARGS='--perf-basic-prof' passes node
// flags to the engine process (e.g. for `perf record -g`, whose samples are on-CPU only, unlike V8's profiler).
// After the engine, the best-known npm verifiers that probe with RCPT (bench/real-postfix-peers.ts) run against the
// same Postfix through a second latency proxy on port 25 (they know no other port), each in a process of its own,
// with the engine's concurrency: BENCH_PEERS=a,b picks peers (BENCH_PEERS=none skips them), BENCH_PEER_ADDRESSES=n
// how many of the list each verifies (default 1,000), BENCH_PEER_CONCURRENCY=n verifications at once (default the
// engine's session concurrency, 128; never more than the engine's 2 at one MX address).
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type FakeDns,
  type FakeZone,
  type LatencyProxy,
  PostfixError,
  type PostfixInstance,
  startFakeDns,
  startLatencyProxy,
  startPostfix,
} from '@mailprobe/test-kit';
import { ENGINE_DEFAULTS, type EngineOptionsInput } from '../src/index.js';
import type { EngineJob, EngineRun } from './real-postfix-engine.js';
import type { PeerJob, PeerName, PeerRun } from './real-postfix-peers.js';

export const DOMAINS = 200;
export const MX_ADDRESSES = 50;
const KNOWN_PER_DOMAIN = 10;
const UNKNOWN_PER_DOMAIN = 10;
/** Added to every chunk in each direction by the proxy: a 40 ms round trip. */
export const ONE_WAY_DELAY_MS = 20;
/** Postfix's defaults, spelled out: the limits the engine must stay under. */
const POSTFIX_LIMITS = {
  smtpd_soft_error_limit: '10',
  smtpd_hard_error_limit: '20',
  smtpd_error_sleep_time: '1s',
  // One smtpd process per open connection; room for every MX address's sessions at once.
  default_process_limit: '300',
};
const KIB = 1024;

const engineDir = fileURLToPath(new URL('../', import.meta.url));
const engineScript = fileURLToPath(new URL('./real-postfix-engine.ts', import.meta.url));
const peerScript = fileURLToPath(new URL('./real-postfix-peers.ts', import.meta.url));

/** npm's most used verifiers that ask the MX with RCPT TO, as packaged (devDependencies of this package). */
const PEERS: readonly PeerName[] = ['deep-email-validator', 'email-deep-validator', 'email-existence'];
const PEER_ADDRESSES = 1000;
/** The peers' own port: none of them can be told another. */
const SMTP_PORT = 25;

/** Postfix behind the latency proxy and the fake DNS that leads to it, with the list and each address's verdict. */
export interface Bed {
  postfix: PostfixInstance;
  proxy: LatencyProxy;
  dns: FakeDns;
  addresses: string[];
  expected: Map<string, [string, string]>;
}

const domainName = (index: number) => `d${index}.pfbench.test`;

/** Each domain's MX name, and its address: one of the proxy's fronts (200 domains on 50 addresses). */
function zonesFor(proxy: LatencyProxy): Record<string, FakeZone> {
  const zones: Record<string, FakeZone> = {};
  for (let domain = 0; domain < DOMAINS; domain += 1) {
    const exchange = `mx.${domainName(domain)}`;
    zones[domainName(domain)] = { mx: [{ exchange, priority: 10 }] };
    zones[exchange] = { a: [proxy.hosts[domain % MX_ADDRESSES] as string] };
  }
  return zones;
}

export async function startBed(): Promise<Bed> {
  const known: string[] = [];
  const expected = new Map<string, [string, string]>();
  const addresses: string[] = [];
  for (let domain = 0; domain < DOMAINS; domain += 1) {
    for (let index = 0; index < KNOWN_PER_DOMAIN; index += 1)
      known.push(`user${index}@${domainName(domain)}`);
  }
  // Interleaved, as a real list is: consecutive addresses rarely share a domain; known and unknown alternate.
  for (let index = 0; index < Math.max(KNOWN_PER_DOMAIN, UNKNOWN_PER_DOMAIN); index += 1) {
    for (let domain = 0; domain < DOMAINS; domain += 1) {
      if (index < KNOWN_PER_DOMAIN) {
        const address = `user${index}@${domainName(domain)}`;
        addresses.push(address);
        expected.set(address, ['VALID', 'accepted']);
      }
      if (index < UNKNOWN_PER_DOMAIN) {
        const address = `gone${index}@${domainName(domain)}`;
        addresses.push(address);
        expected.set(address, ['INVALID', 'mailbox_not_found']);
      }
    }
  }
  const postfix = await startPostfix({ mailboxes: known, extraSettings: POSTFIX_LIMITS });
  const proxy = await startLatencyProxy({
    target: postfix,
    addresses: MX_ADDRESSES,
    delayMs: ONE_WAY_DELAY_MS,
  }).catch(async (error: unknown) => {
    await postfix.stop();
    throw error;
  });
  const dns = await startFakeDns({ zones: zonesFor(proxy) });
  return { postfix, proxy, dns, addresses, expected };
}

/** Runs `script` (a bench child) on `job` in a process of its own and parses the JSON line it prints. */
async function runChild<T>(script: string, job: unknown, nodeArgs: readonly string[] = []): Promise<T> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'mailprobe-bench-'));
  try {
    const jobFile = path.join(workDir, 'job.json');
    await writeFile(jobFile, JSON.stringify(job));
    const child = spawn(
      process.execPath,
      [...nodeArgs, '--conditions=@mailprobe/source', '--import', 'tsx', script, jobFile],
      { cwd: engineDir, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      output += text;
    });
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    if (code !== 0) throw new Error(`${path.basename(script)} exited ${code}`);
    return JSON.parse(output) as T;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/**
 * Engine options for the bed: only what it needs (its resolver, loopback targets, the proxy's port), and
 * BENCH_ENGINE_OPTIONS; the rest are the defaults. A prober run on the bed gets the same.
 */
export function bedEngineOptions(bed: Bed): EngineOptionsInput {
  return {
    dnsServers: [bed.dns.server],
    allowPrivateTargets: true,
    ports: [bed.proxy.port],
    fallbackPorts: [],
    defaultHeloName: 'bench.mailprobe.test',
    ...(JSON.parse(process.env.BENCH_ENGINE_OPTIONS ?? '{}') as EngineOptionsInput),
  };
}

/** The engine on the whole list, in a process of its own (bench/real-postfix-engine.ts). */
export function runEngine(
  bed: Bed,
  profileDir: string | undefined,
  script = engineScript,
): Promise<EngineRun> {
  const job: EngineJob = {
    options: bedEngineOptions(bed),
    addresses: bed.addresses,
    ...(profileDir ? { profileFile: path.join(profileDir, `engine-${Date.now()}.cpuprofile`) } : {}),
  };
  return runChild<EngineRun>(
    script,
    job,
    process.env.BENCH_ENGINE_NODE_ARGS?.split(' ').filter(Boolean) ?? [],
  );
}

/** The same Postfix behind a second latency proxy on port 25, and a DNS whose MX names lead there. */
async function startPeerBed(bed: Bed): Promise<{ proxy: LatencyProxy; dns: FakeDns }> {
  const proxy = await startLatencyProxy({
    target: bed.postfix,
    addresses: MX_ADDRESSES,
    delayMs: ONE_WAY_DELAY_MS,
    port: SMTP_PORT,
  });
  const dns = await startFakeDns({ zones: zonesFor(proxy) }).catch(async (error: unknown) => {
    await proxy.close();
    throw error;
  });
  return { proxy, dns };
}

/**
 * Each peer on the first `count` addresses: addresses/s, CPU per address, verdicts (status only: the peers give no
 * reason) and the engine's rate over the peer's. The engine's default concurrency and its limit per MX address
 * bound the peer too (128 verifications at once, at most 2 at one MX address), unless BENCH_PEER_CONCURRENCY says.
 */
async function runPeers(bed: Bed, engineRate: number): Promise<void> {
  const wanted = process.env.BENCH_PEERS ?? PEERS.join(',');
  if (wanted === 'none') return;
  const peers = wanted.split(',').filter((name): name is PeerName => PEERS.includes(name as PeerName));
  const count = Math.min(Number(process.env.BENCH_PEER_ADDRESSES ?? PEER_ADDRESSES), bed.addresses.length);
  const addresses = bed.addresses.slice(0, count);
  const concurrency = Number(process.env.BENCH_PEER_CONCURRENCY ?? ENGINE_DEFAULTS.concurrency);
  let peerBed: { proxy: LatencyProxy; dns: FakeDns };
  try {
    peerBed = await startPeerBed(bed);
  } catch (error) {
    console.log(`npm peers: skipped, no latency proxy on port ${SMTP_PORT}: ${(error as Error).message}`);
    return;
  }
  try {
    const hostOfDomain = new Map(
      Array.from({ length: DOMAINS }, (_, domain) => [
        domainName(domain),
        peerBed.proxy.hosts[domain % MX_ADDRESSES] as string,
      ]),
    );
    const mxAddressOf = Object.fromEntries(
      addresses.map((address) => [address, hostOfDomain.get(address.slice(address.indexOf('@') + 1)) ?? '']),
    );
    const unknown = addresses.filter((address) => bed.expected.get(address)?.[0] === 'INVALID').length;
    console.log(
      `npm peers on the same Postfix (port ${SMTP_PORT}, same latency): the first ${count} addresses ` +
        `(${unknown} unknown), ${concurrency} at once, at most ${ENGINE_DEFAULTS.maxSessionsPerMx} per MX address ` +
        `(the engine's defaults: ${ENGINE_DEFAULTS.concurrency}, ${ENGINE_DEFAULTS.maxSessionsPerMx})`,
    );
    let best: { peer: PeerName; rate: number } | undefined;
    for (const peer of peers) {
      const job: PeerJob = {
        peer,
        dnsServer: peerBed.dns.server,
        addresses,
        mxAddressOf,
        concurrency,
        perMxAddress: ENGINE_DEFAULTS.maxSessionsPerMx,
      };
      let run: PeerRun;
      try {
        run = await runChild<PeerRun>(peerScript, job);
      } catch (error) {
        console.log(`  ${peer}: did not run: ${(error as Error).message}`);
        continue;
      }
      const wrong = addresses.filter(
        (address, index) => run.statuses[index] !== bed.expected.get(address)?.[0],
      );
      const rate = count / (run.wallMs / 1000);
      if (wrong.length === 0 && (!best || rate > best.rate)) best = { peer, rate };
      console.log(
        `  ${peer}: ${format(rate, 1)} addresses/s (wall ${format(run.wallMs / 1000, 1)} s), ` +
          `CPU ${format(run.cpuUs / 1000 / count, 3)} ms/address; verdicts ${count - wrong.length}/${count} right` +
          `${wrong.length > 0 ? ` (wrong e.g. ${wrong.slice(0, 2).join(', ')})` : ''}${run.errors > 0 ? `, ${run.errors} threw` : ''}; ` +
          `engine ÷ peer: ${format(engineRate / rate, 1)}×`,
      );
    }
    if (best) {
      console.log(
        `  best peer with every verdict right: ${best.peer}, ${format(best.rate, 1)} addresses/s; ` +
          `engine (median of its runs, ${format(engineRate, 0)} addresses/s) ÷ best peer: ${format(engineRate / best.rate, 1)}× (issue 21's target ≥ 15×)`,
      );
    }
  } finally {
    await peerBed.dns.close();
    await peerBed.proxy.close();
  }
}

/** Postfix's own account of the sessions logged after `offset`: each one's refused RCPTs, and error-limit hits. */
export async function postfixSessions(postfix: PostfixInstance, offset: number) {
  const connects = (await postfix.log()).slice(offset).match(/: connect from /g)?.length ?? 0;
  // The log is written by postlogd a moment after each session ends.
  const deadline = Date.now() + 10_000;
  let lines: string[] = [];
  while (Date.now() < deadline) {
    lines = (await postfix.log()).slice(offset).split('\n');
    if (lines.filter((line) => line.includes(': disconnect from ')).length >= connects) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const tallies = lines
    .map((line) => / rcpt=(\d+)\/(\d+) /.exec(line))
    .filter((match) => match !== null)
    .map((match) => ({ accepted: Number(match[1]), sent: Number(match[2]) }));
  const refusals = tallies.map((tally) => tally.sent - tally.accepted);
  return {
    sessions: connects,
    rcpts: tallies.reduce((sum, tally) => sum + tally.sent, 0),
    refused: refusals.reduce((sum, count) => sum + count, 0),
    /** How many sessions collected each number of refusals. */
    refusalHistogram: Object.fromEntries(
      [...new Set(refusals)]
        .sort((a, b) => a - b)
        .map((count) => [count, refusals.filter((n) => n === count).length]),
    ),
    maxRefusals: Math.max(0, ...refusals),
    overSoftLimit: refusals.filter((count) => count >= Number(POSTFIX_LIMITS.smtpd_soft_error_limit)).length,
    tooManyErrors: lines.filter((line) => /too many errors/.test(line)).length,
  };
}

/** The addresses of the list whose verdict (status and reason, in list order) is not the expected one. */
export function wrongVerdicts(
  bed: Bed,
  verdicts: ReadonlyArray<readonly [string, string] | undefined>,
): string[] {
  return bed.addresses.filter((address, index) => {
    const [status, reason] = verdicts[index] ?? [];
    const [wantStatus, wantReason] = bed.expected.get(address) as [string, string];
    return status !== wantStatus || reason !== wantReason;
  });
}

const format = (value: number, digits = 1) => value.toFixed(digits);
const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/**
 * Paired runs of this engine and another build of it (BENCH_COMPARE=path to that build's real-postfix-engine.ts),
 * alternating which goes first, so both meet the same load on a shared machine: the CPU ratio is the figure.
 */
async function comparePaired(bed: Bed, otherScript: string, pairs: number): Promise<void> {
  const ratios: number[] = [];
  for (let pair = 1; pair <= pairs; pair += 1) {
    const order = pair % 2 === 1 ? [engineScript, otherScript] : [otherScript, engineScript];
    const cpu = new Map<string, number>();
    for (const script of order) cpu.set(script, (await runEngine(bed, undefined, script)).cpuUs);
    const mine = cpu.get(engineScript) as number;
    const theirs = cpu.get(otherScript) as number;
    ratios.push(mine / theirs);
    console.log(
      `pair ${pair}: this engine ${format(mine / 1000 / bed.addresses.length, 3)} ms/address, ` +
        `the other ${format(theirs / 1000 / bed.addresses.length, 3)} ms/address (ratio ${format(mine / theirs, 2)})`,
    );
  }
  console.log(`paired CPU ratio, median of ${pairs}: ${format(median(ratios), 2)}`);
}

/** The bed, or null (the reason printed) where Postfix cannot run: not root, or not installed. */
export async function startBedOrSkip(): Promise<Bed | null> {
  try {
    return await startBed();
  } catch (error) {
    if (PostfixError.isInstance(error) && (error.code === 'not_root' || error.code === 'not_installed')) {
      console.log(`  skipped: ${error.message}`);
      return null;
    }
    throw error;
  }
}

async function main(): Promise<number> {
  console.log(
    `mailprobe engine on real Postfix — ${DOMAINS} domains on ${MX_ADDRESSES} MX addresses, ` +
      `${ONE_WAY_DELAY_MS} ms each way, Node ${process.version}`,
  );
  const bed = await startBedOrSkip();
  if (!bed) return 0;
  let wrong = 0;
  const engineRates: number[] = [];
  const cpuPerAddress: number[] = [];
  try {
    const runs = Number(process.env.BENCH_RUNS ?? 3);
    const profileDir = process.env.BENCH_CPU_PROF;
    for (let run = 1; run <= runs; run += 1) {
      const logOffset = (await bed.postfix.log()).length;
      const before = new Map(bed.proxy.stats().map((front) => [front.host, front.connections]));
      const result = await runEngine(bed, profileDir);
      const postfix = await postfixSessions(bed.postfix, logOffset);
      const fronts = bed.proxy.stats();
      const connections = fronts.reduce(
        (sum, front) => sum + front.connections - (before.get(front.host) ?? 0),
        0,
      );
      const busiest = Math.max(...fronts.map((front) => front.peakConcurrent));
      const busyMs = fronts.reduce((sum, front) => sum + front.busyMs, 0);
      const sessionMs = fronts.reduce((sum, front) => sum + front.sessionMs, 0);
      const mismatches = wrongVerdicts(bed, result.verdicts);
      wrong += mismatches.length;
      const count = bed.addresses.length;
      const cpuSeconds = result.cpuUs / 1e6;
      engineRates.push(count / (result.wallMs / 1000));
      cpuPerAddress.push(result.cpuUs / 1000 / count);
      console.log(`run ${run}: ${count} addresses, ${count / 2} of them unknown`);
      console.log(
        `  ${format(count / (result.wallMs / 1000), 0)} addresses/s (wall ${format(result.wallMs / 1000, 2)} s, load average ${format(loadavg()[0] ?? 0)})`,
      );
      console.log(
        `  engine CPU ${format(cpuSeconds, 2)} s = ${format(cpuSeconds / (count / 1000), 3)} CPU-s per 1,000 addresses ` +
          `(${format(result.cpuUs / 1000 / count, 3)} ms/address, target ≤ 0.35; ${format(result.systemCpuUs / 1e6, 2)} s of it in the kernel; whole process with module loading ${format(result.processCpuUs / 1e6, 2)} s)`,
      );
      console.log(
        `  ${connections} connections, ${format(connections / count, 3)} per address; busiest MX address: ` +
          `${busiest} concurrent sessions at most, ${format(sessionMs / busyMs, 2)} on average while busy (over the whole bench)`,
      );
      console.log(
        `  Postfix: ${postfix.sessions} sessions, ${postfix.rcpts} RCPTs (${postfix.refused} refused), ` +
          `at most ${postfix.maxRefusals} refused in one ` +
          `(soft limit ${POSTFIX_LIMITS.smtpd_soft_error_limit}: ${postfix.overSoftLimit} sessions reached it; ` +
          `"too many errors" disconnects: ${postfix.tooManyErrors})`,
      );
      console.log(`  sessions by refusals collected: ${JSON.stringify(postfix.refusalHistogram)}`);
      console.log(
        `  verdicts: ${count - mismatches.length}/${count} right${mismatches.length > 0 ? `; wrong e.g. ${mismatches.slice(0, 3).join(', ')}` : ''}`,
      );
      console.log(`  engine peak RSS ${format(result.maxRssKb / KIB, 0)} MB`);
    }
    console.log(
      `engine on real Postfix, median of ${runs} run(s): ${format(median(engineRates), 0)} addresses/s, ` +
        `${format(median(cpuPerAddress), 3)} ms of engine CPU per address (target ≤ 0.35; each run a fresh process)`,
    );
    const other = process.env.BENCH_COMPARE;
    if (other) await comparePaired(bed, path.resolve(other), runs);
    await runPeers(bed, median(engineRates));
  } finally {
    await bed.dns.close();
    await bed.proxy.close();
    await bed.postfix.stop();
  }
  return wrong === 0 ? 0 : 1;
}

// Run as a script; imported (by the prober's bench/real-postfix-job.ts, for the bed), nothing runs.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  process.exitCode = await main();
