// The same list verified by the engine alone and as a job of a prober with its default job settings, on the fake
// internet: 200 domains on 50 MX servers (hosting-provider style), half the mailboxes unknown, every SMTP reply
// delayed like a distant server. Prints both rates and their ratio (issue 21's goal: the job ≥ 0.9× the engine).
// The mail servers run in a child process (bench/ratio-internet.ts), as real ones run apart from the prober.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createEngine } from '@mailprobe/engine';
import { type startFakeInternet, startRedisServer } from '@mailprobe/test-kit';
import { startProber } from '../src/index.js';
import type { RatioInternetReply, RatioInternetRequest } from './ratio-internet.js';

const INTERNET_ENTRY = fileURLToPath(new URL('./ratio-internet.ts', import.meta.url));

const ADDRESSES = Number(process.env.BENCH_RATIO_ADDRESSES ?? 4000);
const DOMAINS = 200;
const SERVERS = 50;
const REPLY_DELAY_MS = Number(process.env.BENCH_RATIO_REPLY_DELAY_MS ?? 20);
/**
 * Extra wait before each greeting (BENCH_RATIO_GREETING_MS): real Postfix spawns a process per connection and, on a
 * 2-core machine under 50 new sessions at once, greets in ~270 ms (issue 21), so every session opened costs that.
 */
const GREETING_DELAY_MS = Number(process.env.BENCH_RATIO_GREETING_MS ?? 0);
const POLL_MS = 50;
/** Paired runs (engine, then job; the next pair the other way round); the medians are the figures. */
const RUNS = Number(process.env.BENCH_RATIO_RUNS ?? 3);
/** Job settings to try instead of the defaults (BENCH_RATIO_JOBS='{"concurrency":16}'). */
const JOB_SETTINGS = JSON.parse(process.env.BENCH_RATIO_JOBS ?? '{}') as Record<string, number>;
/** Prints each run's timeline (BENCH_RATIO_TIMELINE=1): phases in ms from the start, and the SMTP sessions seen. */
const TIMELINE = process.env.BENCH_RATIO_TIMELINE === '1';

function addressAt(index: number): string {
  return `user${Math.floor(index / DOMAINS)}@ratio${index % DOMAINS}.test`;
}

/** Where the job's prober keeps its data: the embedded SQLite store, or a fleet's Redis. */
export type RatioStore = 'sqlite' | 'redis';

/**
 * Prints, for each of `RUNS` paired runs, addresses/s of the engine alone and rows/s of the same list as one job (from
 * the upload to the job's end), their ratio and CPU per address; then the medians.
 */
export async function jobVersusEngineBenchmark(store: RatioStore = 'sqlite'): Promise<void> {
  const addresses = Array.from({ length: ADDRESSES }, (_, index) => addressAt(index));
  const domains: Parameters<typeof startFakeInternet>[0]['domains'] = {};
  const mailboxes = new Map<number, string[]>();
  addresses.forEach((address, index) => {
    if (index % 2 !== 0) return;
    const server = (index % DOMAINS) % SERVERS;
    mailboxes.set(server, [...(mailboxes.get(server) ?? []), address]);
  });
  for (let domain = 0; domain < DOMAINS; domain += 1) {
    const server = domain % SERVERS;
    domains[`ratio${domain}.test`] = {
      mx: [
        {
          host: `mx.ratio${domain}.test`,
          server: `server${server}`,
          ...(domain < SERVERS
            ? {
                smtp: {
                  mailboxes: mailboxes.get(server) ?? [],
                  replyDelayMs: REPLY_DELAY_MS,
                  ...(GREETING_DELAY_MS > 0 ? { greetingDelayMs: GREETING_DELAY_MS } : {}),
                },
              }
            : {}),
        },
      ],
    };
  }
  const internet = await startInternet(domains);
  const engineOptions = { ...internet.engineOptions, maxConnectionsPerMinute: 100_000 };
  const pairs: Pair[] = [];
  try {
    // One pair on a tenth of the list first, not counted: the code of both paths is compiled by then, as in a
    // server that has been up for a while.
    const warmUp = addresses.slice(0, Math.ceil(ADDRESSES / 10));
    await engineRun(warmUp, engineOptions, internet);
    await jobRun(warmUp, engineOptions, internet, store);
    for (let run = 1; run <= RUNS; run += 1) {
      // Alternated, so neither side always runs on a warmer (or busier) machine.
      const engineFirst = run % 2 === 1;
      const pair = {} as Pair;
      if (engineFirst) pair.engine = await engineRun(addresses, engineOptions, internet);
      pair.job = await jobRun(addresses, engineOptions, internet, store);
      if (!engineFirst) pair.engine = await engineRun(addresses, engineOptions, internet);
      pairs.push(pair);
      const ratio = pair.job.rate / pair.engine.rate;
      console.log(
        `job (${store}) vs engine, run ${run}/${RUNS} (${ADDRESSES} addresses, ${DOMAINS} domains on ${SERVERS} MX servers, ` +
          `replies delayed ${REPLY_DELAY_MS} ms, greetings ${GREETING_DELAY_MS} ms later, ${engineFirst ? 'engine first' : 'job first'}, load ` +
          `${(loadavg()[0] as number).toFixed(1)}): engine ${pair.engine.rate.toFixed(0)} addresses/s ` +
          `(${pair.engine.valid} VALID, ${pair.engine.cpuMsPerAddress.toFixed(2)} ms CPU per address), job ` +
          `${pair.job.rate.toFixed(0)} rows/s (${pair.job.state}, ${pair.job.valid} VALID, ` +
          `${pair.job.cpuMsPerAddress.toFixed(2)} ms CPU per address, upload accepted after ` +
          `${pair.job.acceptedSeconds.toFixed(2)} s of ${pair.job.seconds.toFixed(2)} s): ratio ${ratio.toFixed(2)}`,
      );
    }
  } finally {
    await internet.close();
  }
  const ratios = pairs.map((pair) => pair.job.rate / pair.engine.rate);
  console.log(
    `job (${store}) vs engine, median of ${RUNS} paired runs with ${Object.keys(JOB_SETTINGS).length > 0 ? `job settings ${JSON.stringify(JOB_SETTINGS)}` : 'default job settings'}: ` +
      `engine ${median(pairs.map((pair) => pair.engine.rate)).toFixed(0)} addresses/s, job ` +
      `${median(pairs.map((pair) => pair.job.rate)).toFixed(0)} rows/s, ratio ${median(ratios).toFixed(2)} ` +
      `(runs ${ratios.map((ratio) => ratio.toFixed(2)).join(', ')}; goal ≥ 0.9); CPU per address (this process: ` +
      `the engine and, for the job, the prober; the mail servers run in their own) engine ` +
      `${median(pairs.map((pair) => pair.engine.cpuMsPerAddress)).toFixed(2)} ms, job ` +
      `${median(pairs.map((pair) => pair.job.cpuMsPerAddress)).toFixed(2)} ms`,
  );
}

interface RunFigures {
  rate: number;
  valid: number;
  cpuMsPerAddress: number;
}

interface Pair {
  engine: RunFigures;
  job: RunFigures & { state: string; seconds: number; acceptedSeconds: number };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** CPU milliseconds (user + system) of this process since `since`. */
function cpuMsSince(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

type EngineOptionsOf = Parameters<typeof createEngine>[0];
/** The fake internet's process: the engine options that reach it, and its SMTP sessions' timeline. */
interface Internet {
  engineOptions: Extract<RatioInternetReply, { type: 'ready' }>['engineOptions'];
  /** The sessions started since `since` (ms of the epoch), as one line. */
  timeline(since: number): Promise<string>;
  close(): Promise<void>;
}

async function startInternet(domains: Parameters<typeof startFakeInternet>[0]['domains']): Promise<Internet> {
  const child = fork(INTERNET_ENTRY, {
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ask = async (request: RatioInternetRequest): Promise<RatioInternetReply> => {
    const answer = once(child, 'message') as Promise<[RatioInternetReply]>;
    child.send(request);
    return (await answer)[0];
  };
  const ready = await ask({ type: 'start', domains });
  if (ready.type !== 'ready') throw new Error('the fake internet did not start');
  return {
    engineOptions: ready.engineOptions,
    async timeline(since) {
      const answer = await ask({ type: 'timeline', since });
      return answer.type === 'timeline' ? answer.text : '';
    },
    async close() {
      const exited = once(child, 'exit');
      child.send({ type: 'close' } satisfies RatioInternetRequest);
      await exited;
    },
  };
}

/** The engine alone, a fresh one (nothing cached). */
async function engineRun(
  addresses: string[],
  engineOptions: EngineOptionsOf,
  internet: Internet,
): Promise<RunFigures> {
  const engine = createEngine(engineOptions);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const startedAt = Date.now();
  const results = await engine.verifyMany(addresses);
  const seconds = (performance.now() - started) / 1000;
  const cpuMs = cpuMsSince(cpu);
  await engine.close();
  if (TIMELINE) {
    console.log(`  engine timeline (ms): done ${Math.round(seconds * 1000)}`);
    console.log(`  engine ${await internet.timeline(startedAt)}`);
  }
  return {
    rate: addresses.length / seconds,
    valid: results.filter((result) => result.status === 'VALID').length,
    cpuMsPerAddress: cpuMs / addresses.length,
  };
}

/** The same list as one job of a fresh prober (its own engine and store, nothing cached), from upload to done. */
async function jobRun(
  addresses: string[],
  engineOptions: EngineOptionsOf,
  internet: Internet,
  store: RatioStore,
): Promise<Pair['job']> {
  // A fresh Redis for each run (append-only, as deploy/compose.yaml runs it): nothing cached from the run before.
  const redis = store === 'redis' ? await startRedisServer({ appendOnly: true }) : null;
  const prober = await startProber({
    engine: engineOptions,
    config: { jobs: JOB_SETTINGS as never },
    ...(redis ? { redisUrl: redis.url } : {}),
  });
  try {
    const key = await prober.createKey('ratio', { requestsPerMinute: 1_000_000 });
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const cpu = process.cpuUsage();
    const started = performance.now();
    const startedAt = Date.now();
    const created = await fetch(`${prober.url}/v1/jobs`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ emails: addresses }),
    });
    const { id } = (await created.json()) as { id: string };
    const acceptedSeconds = (performance.now() - started) / 1000;
    let job: { status: string; done: number; counts: Record<string, number> };
    let firstDoneMs: number | null = null;
    for (;;) {
      job = (await (await fetch(`${prober.url}/v1/jobs/${id}`, { headers })).json()) as typeof job;
      if (firstDoneMs === null && job.done > 0) firstDoneMs = performance.now() - started;
      if (job.status !== 'queued' && job.status !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const seconds = (performance.now() - started) / 1000;
    const cpuMs = cpuMsSince(cpu);
    if (TIMELINE) {
      // Outside the timer: what a user does next, for the timeline only.
      const download = await fetch(`${prober.url}/v1/jobs/${id}/results?format=csv`, { headers });
      await download.arrayBuffer();
      const phases = {
        accepted: acceptedSeconds * 1000,
        'first rows seen done': firstDoneMs ?? Number.NaN,
        finished: seconds * 1000,
        downloaded: performance.now() - started,
      };
      console.log(
        `  job timeline (ms): ${Object.entries(phases)
          .map(([phase, ms]) => `${phase} ${Math.round(ms)}`)
          .join(', ')}`,
      );
      console.log(`  job ${await internet.timeline(startedAt)}`);
    }
    return {
      rate: addresses.length / seconds,
      valid: job.counts.VALID ?? 0,
      cpuMsPerAddress: cpuMs / addresses.length,
      state: job.status,
      seconds,
      acceptedSeconds,
    };
  } finally {
    await prober.close();
    await redis?.stop();
  }
}
