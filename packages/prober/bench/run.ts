// Benchmarks of the prober (figures are printed, never asserted):
//  1. HTTP load on POST /v1/verify answered from the results cache (autocannon): req/s, p50, p99.
//     The prober runs in a child process as in production (info-level JSON logs, written to a file), autocannon
//     in another; BENCH_HTTP_RUNS rounds, each printed with the load average at the time.
//  2. A 100,000-row CSV job (a CRM-like export: extra columns, quoted fields, 5% repeated addresses) on the fake
//     internet: upload, verification and the download of every row with its own columns (CSV and NDJSON);
//     throughput and the prober's peak RSS (goal: < 400 MB; the prober runs in a process of its own, the fake
//     internet and the client in this one).
//  3. Redis memory per row of a 100,000-row job in the fleet's store (goal ≤ 400 bytes): bench/redis-memory.ts.
//  4. The same list through the engine alone and as a job (goal: the job ≥ 0.9× the engine), the job on the embedded
//     store and on Redis (BENCH_SKIP_REDIS=1 leaves Redis out): bench/job-vs-engine.ts. BENCH_RATIO_TIMELINE=1
//     prints each run's timeline (phases in ms, SMTP sessions, MX servers busy over time); BENCH_RATIO_GREETING_MS=250
//     makes every session cost a greeting as slow as a busy Postfix's.
// The same ratio on real Postfix (the engine bench's bed), as issue 21 measures it, runs after this file in `pnpm bench`:
// bench/real-postfix-job.ts.
// Run: pnpm --filter @mailprobe/prober bench (BENCH_SKIP_HTTP=1, BENCH_SKIP_JOB=1, BENCH_SKIP_REDIS=1,
// BENCH_SKIP_RATIO=1 leave parts out)
// Profile the server: BENCH_SERVER_NODE_OPTIONS='--cpu-prof --cpu-prof-dir=/tmp/prober-prof' (one .cpuprofile per run).
import { execFile, fork } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startFakeInternet } from '@mailprobe/test-kit';
import { jobVersusEngineBenchmark } from './job-vs-engine.js';
import { startProberChild } from './prober-child.js';
import { redisLiveJobBenchmark, redisMemoryBenchmark } from './redis-memory.js';

// autocannon runs in its own process so the load generator does not share the server's event loop.
const AUTOCANNON_BIN = path.join(
  path.dirname(createRequire(import.meta.url).resolve('autocannon')),
  'autocannon.js',
);
const HTTP_SERVER_ENTRY = fileURLToPath(new URL('./http-server.ts', import.meta.url));

const HTTP_CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const HTTP_DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 10);
const HTTP_RUNS = Number(process.env.BENCH_HTTP_RUNS ?? 3);
const SERVER_NODE_OPTIONS = (process.env.BENCH_SERVER_NODE_OPTIONS ?? '').split(' ').filter(Boolean);
/** Node flags of the 100,000-row job's prober process (BENCH_PROBER_NODE_ARGS='--trace-gc'). */
const PROBER_NODE_ARGS = (process.env.BENCH_PROBER_NODE_ARGS ?? '').split(' ').filter(Boolean);
const SKIP_JOB = process.env.BENCH_SKIP_JOB === '1';
const SKIP_HTTP = process.env.BENCH_SKIP_HTTP === '1';
const SKIP_REDIS = process.env.BENCH_SKIP_REDIS === '1';
const SKIP_RATIO = process.env.BENCH_SKIP_RATIO === '1';
/** Peak RSS the 100,000-row job must stay under. */
const JOB_RSS_GOAL_MB = 400;
/** Every this-many-th row repeats an earlier address (verified once, answered on both rows). */
const REPEAT_EVERY = 20;
const JOB_ADDRESSES = Number(process.env.BENCH_JOB_ADDRESSES ?? 100_000);
const JOB_DOMAINS = Number(process.env.BENCH_JOB_DOMAINS ?? 50);
const RSS_SAMPLE_MS = 100;
const MEBIBYTE = 1024 * 1024;

interface LoadFigures {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}

/** One round of the HTTP benchmark against a fresh prober child process. */
async function httpRound(round: number, logFile: string): Promise<void> {
  const logFd = openSync(logFile, 'w');
  const server = fork(HTTP_SERVER_ENTRY, {
    execArgv: [...process.execArgv, ...SERVER_NODE_OPTIONS],
    stdio: ['ignore', logFd, 'inherit', 'ipc'],
  });
  closeSync(logFd);
  try {
    const [ready] = (await once(server, 'message')) as [{ url: string; key: string; email: string }];
    const authorization = `Bearer ${ready.key}`;
    const loadBefore = loadavg()[0] as number;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        AUTOCANNON_BIN,
        '--json',
        '--method',
        'POST',
        '--headers',
        `authorization=${authorization}`,
        '--headers',
        'content-type=application/json',
        '--body',
        JSON.stringify({ email: ready.email }),
        '--connections',
        String(HTTP_CONNECTIONS),
        '--duration',
        String(HTTP_DURATION_SECONDS),
        `${ready.url}/v1/verify`,
      ],
      { maxBuffer: 16 * MEBIBYTE },
    );
    const load = JSON.parse(stdout) as LoadFigures;
    server.send('close');
    await once(server, 'exit');
    const logs = readFileSync(logFile, 'utf8');
    const logLines = logs.split('\n').filter(Boolean).length;
    console.log(
      `verify (cache hits) round ${round}: ${load.requests.average.toFixed(0)} req/s, p50 ${load.latency.p50} ms, ` +
        `p99 ${load.latency.p99} ms, ${load.non2xx} non-2xx, ${load.errors} errors ` +
        `(${HTTP_CONNECTIONS} connections, ${HTTP_DURATION_SECONDS} s; load average ${loadBefore.toFixed(2)} → ` +
        `${(loadavg()[0] as number).toFixed(2)}; ${logLines} log lines, key in logs: ${logs.includes(ready.key) ? 'YES' : 'no'}, ` +
        `address in logs: ${logs.includes(ready.email) ? 'YES' : 'no'})`,
    );
  } finally {
    if (server.exitCode === null) server.kill();
  }
}

// 1. Cache hits over HTTP.
const logFolder = mkdtempSync(path.join(tmpdir(), 'mailprobe-bench-logs-'));
try {
  for (let round = 1; round <= (SKIP_HTTP ? 0 : HTTP_RUNS); round += 1)
    await httpRound(round, path.join(logFolder, 'prober.log'));
} finally {
  rmSync(logFolder, { recursive: true, force: true });
}

// 2. A big job, streamed as CSV.
if (!SKIP_JOB) {
  const jobLogs = mkdtempSync(path.join(tmpdir(), 'mailprobe-bench-job-logs-'));
  try {
    await jobBenchmark(path.join(jobLogs, 'prober.log'));
  } finally {
    rmSync(jobLogs, { recursive: true, force: true });
  }
}

// 3. Redis memory of a big job in the fleet's store.
if (!SKIP_REDIS) {
  await redisMemoryBenchmark();
  await redisLiveJobBenchmark();
}

// 4. A job against the engine alone, same list, same run.
if (!SKIP_RATIO) {
  await jobVersusEngineBenchmark('sqlite');
  if (!SKIP_REDIS) await jobVersusEngineBenchmark('redis');
}

function addressAt(index: number): string {
  return `user${Math.floor(index / JOB_DOMAINS)}@bench${index % JOB_DOMAINS}.test`;
}

async function jobBenchmark(logFile: string): Promise<void> {
  const domains: Parameters<typeof startFakeInternet>[0]['domains'] = {};
  for (let domain = 0; domain < JOB_DOMAINS; domain += 1) {
    const mailboxes: string[] = [];
    for (let index = domain; index < JOB_ADDRESSES; index += JOB_DOMAINS)
      if (index % 2 === 0) mailboxes.push(addressAt(index));
    domains[`bench${domain}.test`] = { mx: [{ host: `mx.bench${domain}.test`, smtp: { mailboxes } }] };
  }

  const internet = await startFakeInternet({ domains });
  // The prober in a process of its own, as `mailprobe serve` runs it (info-level logs to a file, embedded store): its
  // peak RSS is the prober's alone, not the fake internet's 50 SMTP servers' or this client's. (A prober that fails to
  // start has closed itself.)
  const child = await startProberChild(
    {
      type: 'start',
      engine: { ...internet.engineOptions, maxConnectionsPerMinute: 100_000, recipientsPerSession: 50 },
      redisUrl: null,
      jobs: { concurrency: 16, chunkSize: 200, pollIntervalMs: 20 },
      config: {},
    },
    logFile,
    PROBER_NODE_ARGS,
  ).catch(async (error: unknown) => {
    await internet.close();
    throw error;
  });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, RSS_SAMPLE_MS);
  try {
    await child.ask({ type: 'measure' });
    const authorization = `Bearer ${child.key}`;
    const started = performance.now();
    async function* csv() {
      yield 'id,First Name,Email Address,Company,Notes\r\n';
      for (let row = 0; row < JOB_ADDRESSES; row += 1) {
        const index = row % REPEAT_EVERY === REPEAT_EVERY - 1 ? row - 1 : row;
        yield `${row + 1},Name ${row},${addressAt(index)},"Company ${row % 97}, Inc.","note ""${row}"""\r\n`;
      }
    }
    const created = await fetch(`${child.url}/v1/jobs`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'text/csv' },
      body: Readable.toWeb(Readable.from(csv())) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    const { id, total, rows } = (await created.json()) as { id: string; total: number; rows: number };
    const acceptedMs = performance.now() - started;
    for (;;) {
      const job = (await (
        await fetch(`${child.url}/v1/jobs/${id}`, { headers: { authorization } })
      ).json()) as {
        status: string;
        done: number;
        counts: Record<string, number>;
      };
      if (job.status !== 'queued' && job.status !== 'running') {
        const wallSeconds = (performance.now() - started) / 1000;
        const download = async (format: 'csv' | 'ndjson') => {
          const from = performance.now();
          const response = await fetch(`${child.url}/v1/jobs/${id}/results?format=${format}`, {
            headers: { authorization },
          });
          let lines = 0;
          for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
            for (const byte of chunk) if (byte === 0x0a) lines += 1;
          }
          return { lines, seconds: (performance.now() - from) / 1000 };
        };
        const csvDownload = await download('csv');
        const ndjsonDownload = await download('ndjson');
        const measured = await child.ask({ type: 'stop' });
        if (measured.type !== 'measured') throw new Error(`the prober answered ${measured.type} to stop`);
        const proberMb = measured.maxRssKb / 1024;
        console.log(
          `job of ${rows} CSV rows (${total} distinct addresses): ${job.status} in ${wallSeconds.toFixed(1)} s ` +
            `(upload accepted after ${(acceptedMs / 1000).toFixed(1)} s), ${(rows / wallSeconds).toFixed(0)} rows/s, ` +
            `counts ${JSON.stringify(job.counts)}; results CSV ${csvDownload.lines - 1} rows in ` +
            `${csvDownload.seconds.toFixed(1)} s, NDJSON ${ndjsonDownload.lines} rows in ${ndjsonDownload.seconds.toFixed(1)} s; ` +
            `prober peak RSS ${proberMb.toFixed(0)} MB (its own process; goal < ${JOB_RSS_GOAL_MB} MB: ` +
            `${proberMb < JOB_RSS_GOAL_MB ? 'met' : 'MISSED'}), event-loop delay p99 ` +
            `${measured.eventLoopDelayMs.p99.toFixed(1)} ms, max ${measured.eventLoopDelayMs.max.toFixed(1)} ms; ` +
            `the fake internet and this client ${(peakRss / MEBIBYTE).toFixed(0)} MB`,
        );
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    clearInterval(sampler);
    await child.close();
    await internet.close();
  }
}
