// Issue 21's job ÷ engine ratio measured as the issue measures it: on the engine bench's real-Postfix bed (200 domains
// on 50 MX addresses behind a 20 ms-each-way latency proxy, half the mailboxes unknown, fake DNS, Postfix's own
// limits: packages/engine/bench/real-postfix.ts), in the same run, the same 4,000-address list verified by the engine
// alone (its own process, bench/real-postfix-engine.ts) and as one CSV job of a prober as `mailprobe serve` runs it
// (its own process, bench/real-postfix-prober.ts; embedded SQLite store, then a fresh append-only redis-server).
// Beside them, the same list through the CLI as the issue timed "the engine alone": `mailprobe verify --file
// list.csv`, the whole command from spawn to exit (the built CLI when it is up to date, as `pnpm mailprobe` runs it;
// the printout says which), and the job's ratio to it.
// Each store gets BENCH_RUNS paired runs (default 3; engine first, then job first, alternating); the medians are the
// figures. The job's time runs from the start of the upload request to the first poll that sees the job finished.
// Prints rows/s of each, the ratio (goal ≥ 0.9), CPU per address of the engine process and of the prober process,
// SMTP connections and Postfix sessions of each, and every verdict checked against the bed's truth (the job's from
// its NDJSON results, downloaded after the timer): exits non-zero when one is wrong. Skips (with the reason) when not
// root or Postfix is missing; leaves Redis out when redis-server is missing or BENCH_SKIP_REDIS=1.
// Run: pnpm --filter @mailprobe/prober bench   (or: node --conditions=@mailprobe/source --import tsx bench/real-postfix-job.ts)
// Options (env): BENCH_RUNS=n paired runs per store; BENCH_RATIO_JOBS='{"concurrency":16}' job settings instead of
// the defaults; BENCH_ENGINE_OPTIONS='{json}' engine options of both sides; BENCH_CPU_PROF=dir writes a V8 CPU profile
// of each engine run's verifyMany and of each prober's measured span (upload to the last poll) there;
// BENCH_PROBER_CONFIG='{"cacheTtl":{"validMs":0,"invalidMs":0}}' sets other prober configuration;
// BENCH_PROBER_NODE_ARGS='--perf-basic-prof' passes node flags to the prober process; BENCH_PROBER_WARM_UP=n has each
// prober run an uncounted job of n addresses at unknown domains first (its own paths compiled, nothing cached);
// BENCH_STORES=redis (or sqlite) runs one store's jobs only.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRedisServer } from '@mailprobe/test-kit';
import { staleBuildReason } from '../../cli/scripts/dist-freshness.js';
import {
  type Bed,
  bedEngineOptions,
  DOMAINS,
  MX_ADDRESSES,
  ONE_WAY_DELAY_MS,
  postfixSessions,
  runEngine,
  startBedOrSkip,
  wrongVerdicts,
} from '../../engine/bench/real-postfix.js';
import { type ProberChild, startProberChild } from './prober-child.js';

/** `pnpm mailprobe`: the built CLI when it is up to date with the sources, else the sources through tsx. */
const CLI_ENTRY = fileURLToPath(new URL('../../cli/scripts/workspace-bin.js', import.meta.url));
const PACKAGES_DIR = fileURLToPath(new URL('../../', import.meta.url));
/** The CLI side runs unless BENCH_ENGINE_OPTIONS sets engine options it has no flags for. */
const CLI_SIDE = process.env.BENCH_ENGINE_OPTIONS === undefined;
const CLI_STALE = staleBuildReason(PACKAGES_DIR);
const CLI_BUILD = CLI_STALE === null ? 'the built CLI' : `the CLI from source, slower to start: ${CLI_STALE}`;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const JOB_SETTINGS = JSON.parse(process.env.BENCH_RATIO_JOBS ?? '{}') as Record<string, number>;
const PROFILE_DIR = process.env.BENCH_CPU_PROF;
/** Prober configuration besides the job settings (BENCH_PROBER_CONFIG='{json}'); default `serve`'s defaults. */
const PROBER_CONFIG = JSON.parse(process.env.BENCH_PROBER_CONFIG ?? '{}') as Record<string, unknown>;
/** Addresses of an uncounted job each prober runs before the measured one (BENCH_PROBER_WARM_UP=n; default none). */
const WARM_UP = Number(process.env.BENCH_PROBER_WARM_UP ?? 0);
const PROBER_NODE_ARGS = (process.env.BENCH_PROBER_NODE_ARGS ?? '').split(' ').filter(Boolean);
/** How often the client asks whether the job is finished (as bench/job-vs-engine.ts does). */
const POLL_MS = 50;
const GOAL = 0.9;
/** monitorEventLoopDelay's figures include its own resolution. */
const LOOP_DELAY_NOTE = 'its 10 ms resolution included';
/** Prints each pair's timeline (BENCH_RATIO_TIMELINE=1): the job's phases, and both sides' SMTP sessions (the proxy's counters). */
const TIMELINE = process.env.BENCH_RATIO_TIMELINE === '1';
/** The stores whose jobs run (BENCH_STORES=redis runs only Redis's; default both). */
const STORES = (process.env.BENCH_STORES ?? 'sqlite,redis').split(',');

type Store = 'sqlite' | 'redis';

/** SMTP sessions one side opened: the proxy's connections, and Postfix's own count. */
interface Sessions {
  connections: number;
  postfixSessions: number;
  tooManyErrors: number;
  /** Sessions open at once at an MX address, on average while it had one open. */
  sessionsAtOnce: number;
  /** How long a session lasted (connection to the client's close), on average, ms. */
  sessionMsMean: number;
  /** How long an MX address had a session open, on average over those that had one, ms. */
  busyMsPerMx: number;
  /** With BENCH_RATIO_TIMELINE=1: when sessions opened first and closed last. */
  smtp?: SessionSpan;
}

/** How often the timeline samples the proxy's counters. */
const SESSION_SAMPLE_MS = 10;

/** When sessions opened first and closed last (performance.now(), ±SESSION_SAMPLE_MS): over all, and per MX address. */
interface SessionSpan {
  firstOpened: number;
  lastClosed: number;
  /** Each MX address's first opened and last closed, for those with sessions. */
  fronts: Array<{ firstOpened: number; lastClosed: number }>;
}

/** Samples the proxy's counters until the returned function is called. */
function watchSessions(bed: Bed): () => SessionSpan {
  // A session's time is added to its front's sessionMs when it closes.
  let last = new Map(bed.proxy.stats().map((front) => [front.host, front]));
  const fronts = new Map<string, { firstOpened: number; lastClosed: number }>();
  const timer = setInterval(() => {
    const now = performance.now();
    const stats = bed.proxy.stats();
    for (const front of stats) {
      const before = last.get(front.host);
      const seen = fronts.get(front.host) ?? { firstOpened: Number.NaN, lastClosed: Number.NaN };
      if (front.connections > (before?.connections ?? 0) && Number.isNaN(seen.firstOpened))
        seen.firstOpened = now;
      if (front.sessionMs !== before?.sessionMs) seen.lastClosed = now;
      if (!Number.isNaN(seen.firstOpened)) fronts.set(front.host, seen);
    }
    last = new Map(stats.map((front) => [front.host, front]));
  }, SESSION_SAMPLE_MS);
  return () => {
    clearInterval(timer);
    const spans = [...fronts.values()];
    return {
      firstOpened: Math.min(...spans.map((span) => span.firstOpened)),
      lastClosed: Math.max(...spans.map((span) => span.lastClosed)),
      fronts: spans,
    };
  };
}

interface EngineFigures extends Sessions {
  rate: number;
  wallMs: number;
  cpuMsPerAddress: number;
  wrong: string[];
}

/** The CLI as the issue timed it: `mailprobe verify --file list.csv`, the whole command (process start to exit). */
interface CliFigures extends Sessions {
  rate: number;
  wallMs: number;
  wrong: string[];
}

interface JobFigures extends Sessions {
  rate: number;
  seconds: number;
  acceptedSeconds: number;
  /** performance.now() when the upload began. */
  started: number;
  /** [ms since the upload began, rows done] at each poll. */
  progress: Array<[number, number]>;
  state: string;
  cpuMsPerAddress: number;
  systemCpuMsPerAddress: number;
  maxRssMb: number;
  eventLoopDelayMs: { mean: number; p50: number; p99: number; max: number };
  wrong: string[];
}

/** Runs `measured` and counts the SMTP sessions it opened on the bed. */
async function counted<T>(bed: Bed, measured: () => Promise<T>): Promise<T & Sessions> {
  const logOffset = (await bed.postfix.log()).length;
  const before = new Map(bed.proxy.stats().map((front) => [front.host, front]));
  const watching = TIMELINE ? watchSessions(bed) : null;
  const figures = await measured();
  const smtp = watching?.();
  const postfix = await postfixSessions(bed.postfix, logOffset);
  // Final once Postfix has logged every disconnect: the proxy counts a session's time when it closes.
  const fronts = bed.proxy.stats().map((front) => {
    const was = before.get(front.host);
    return {
      connections: front.connections - (was?.connections ?? 0),
      busyMs: front.busyMs - (was?.busyMs ?? 0),
      sessionMs: front.sessionMs - (was?.sessionMs ?? 0),
    };
  });
  const sum = (pick: (front: (typeof fronts)[number]) => number) =>
    fronts.reduce((total, front) => total + pick(front), 0);
  const busy = fronts.filter((front) => front.connections > 0);
  return {
    ...figures,
    connections: sum((front) => front.connections),
    sessionsAtOnce: sum((front) => front.sessionMs) / sum((front) => front.busyMs),
    sessionMsMean:
      sum((front) => front.sessionMs) /
      Math.max(
        1,
        sum((front) => front.connections),
      ),
    busyMsPerMx: busy.reduce((total, front) => total + front.busyMs, 0) / Math.max(1, busy.length),
    postfixSessions: postfix.sessions,
    tooManyErrors: postfix.tooManyErrors,
    ...(smtp ? { smtp } : {}),
  };
}

async function engineRun(bed: Bed): Promise<EngineFigures> {
  return counted(bed, async () => {
    const run = await runEngine(bed, PROFILE_DIR);
    return {
      rate: bed.addresses.length / (run.wallMs / 1000),
      wallMs: run.wallMs,
      cpuMsPerAddress: run.cpuUs / 1000 / bed.addresses.length,
      wrong: wrongVerdicts(bed, run.verdicts),
    };
  });
}

/**
 * The same list through `mailprobe verify --file list.csv --format jsonl` with the bed's settings as flags, timed as
 * a user times the command: from spawning it to its exit (Node's start, loading, reading the file and writing every
 * result included). BENCH_ENGINE_OPTIONS, which has no flags, leaves this side out.
 */
async function cliRun(bed: Bed): Promise<CliFigures> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'mailprobe-bench-cli-'));
  try {
    const list = path.join(workDir, 'list.csv');
    await writeFile(list, csvOf(bed.addresses));
    const options = bedEngineOptions(bed);
    const args = [
      CLI_ENTRY,
      'verify',
      '--file',
      list,
      '--format',
      'jsonl',
      '--allow-private-targets',
      ...(options.dnsServers ?? []).flatMap((server) => ['--dns-server', server]),
      ...(options.ports ?? []).flatMap((port) => ['--port', String(port)]),
      '--helo-name',
      options.defaultHeloName ?? 'bench.mailprobe.test',
    ];
    return await counted(bed, async () => {
      const started = performance.now();
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
      const chunks: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      const [code] = (await once(child, 'exit')) as [number | null];
      const wallMs = performance.now() - started;
      if (code !== 0) throw new Error(`mailprobe verify exited ${code}`);
      const verdicts = Buffer.concat(chunks)
        .toString('utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const result = JSON.parse(line) as { status: string; reason: string };
          return [result.status, result.reason] as [string, string];
        });
      return {
        rate: bed.addresses.length / (wallMs / 1000),
        wallMs,
        wrong: wrongVerdicts(bed, verdicts),
      };
    });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** A prober process on the bed's DNS and engine options, with this run's store and settings. */
function startBedProber(bed: Bed, redisUrl: string | null, logFile: string): Promise<ProberChild> {
  return startProberChild(
    { type: 'start', engine: bedEngineOptions(bed), redisUrl, jobs: JOB_SETTINGS, config: PROBER_CONFIG },
    logFile,
    PROBER_NODE_ARGS,
  );
}

/** `id,email` rows, CRLF, as a CRM export would have them. */
function csvOf(addresses: readonly string[]): string {
  return `id,email\r\n${addresses.map((address, index) => `${index + 1},${address}\r\n`).join('')}`;
}

/**
 * Uploads `body` as one CSV job and polls every POLL_MS until it is finished: when the upload began
 * (performance.now()), when it was accepted and when a poll first saw the job finished (s after it began), and the
 * rows done at each poll.
 */
async function uploadAndWait(url: string, headers: Record<string, string>, body: string) {
  const started = performance.now();
  const created = await fetch(`${url}/v1/jobs`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'text/csv' },
    body,
  });
  if (created.status !== 202) throw new Error(`upload answered ${created.status}: ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  const acceptedSeconds = (performance.now() - started) / 1000;
  let job: { status: string; done: number };
  /** [ms since the upload began, rows done] at each poll. */
  const progress: Array<[number, number]> = [];
  for (;;) {
    job = (await (await fetch(`${url}/v1/jobs/${id}`, { headers })).json()) as typeof job;
    progress.push([performance.now() - started, job.done]);
    if (job.status !== 'queued' && job.status !== 'running') break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const seconds = (performance.now() - started) / 1000;
  return { id, started, acceptedSeconds, seconds, status: job.status, progress };
}

/**
 * Addresses for BENCH_PROBER_WARM_UP: at domains the bed's DNS does not know (no SMTP session, nothing the measured
 * job could find in a cache), so the warm-up compiles the prober's own paths (upload, store, worker, results cache)
 * and leaves the engine's SMTP paths as cold as they are in the engine's process.
 */
function warmUpAddresses(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `warm${index}@nowhere${index % 200}.warmup.test`);
}

/** The list as one CSV job of a fresh prober (nothing cached), from the upload to the first poll that sees it done. */
async function jobRun(bed: Bed, store: Store): Promise<JobFigures> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'mailprobe-bench-job-'));
  // A fresh Redis for each run (append-only, as deploy/compose.yaml runs it): nothing cached from the run before.
  const redis = store === 'redis' ? await startRedisServer({ appendOnly: true }) : null;
  let prober: ProberChild | null = null;
  try {
    prober = await startBedProber(bed, redis?.url ?? null, path.join(workDir, 'prober.log'));
    const { url, key } = prober;
    const headers = { authorization: `Bearer ${key}` };
    if (WARM_UP > 0) await uploadAndWait(url, headers, csvOf(warmUpAddresses(WARM_UP)));
    const body = csvOf(bed.addresses);
    return await counted(bed, async () => {
      const profileFile = PROFILE_DIR
        ? path.join(PROFILE_DIR, `prober-${store}-${Date.now()}.cpuprofile`)
        : undefined;
      await prober?.ask({ type: 'measure', ...(profileFile ? { profileFile } : {}) });
      const { id, started, acceptedSeconds, seconds, status, progress } = await uploadAndWait(
        url,
        headers,
        body,
      );
      const measured = await prober?.ask({ type: 'stop' });
      if (measured?.type !== 'measured') throw new Error('the prober did not report its CPU');
      // Outside the timer: every row's verdict, in row order.
      const verdicts = await downloadVerdicts(url, id, headers, bed.addresses);
      const count = bed.addresses.length;
      return {
        rate: count / seconds,
        seconds,
        acceptedSeconds,
        started,
        progress,
        state: status,
        cpuMsPerAddress: measured.cpuUs / 1000 / count,
        systemCpuMsPerAddress: measured.systemCpuUs / 1000 / count,
        maxRssMb: measured.maxRssKb / 1024,
        eventLoopDelayMs: measured.eventLoopDelayMs,
        wrong: wrongVerdicts(bed, verdicts),
      };
    });
  } finally {
    await prober?.close();
    await redis?.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Quartiles over the MX addresses of their first session opened and last closed, ms from the first of all. */
function frontSpread(span: SessionSpan | undefined): string {
  if (!span) return 'not sampled';
  const quartiles = (values: number[]) => {
    const sorted = values.map((value) => value - span.firstOpened).sort((a, b) => a - b);
    return [0, 0.25, 0.5, 0.75, 1]
      .map((at) =>
        Math.round(sorted[Math.min(sorted.length - 1, Math.floor(at * sorted.length))] ?? Number.NaN),
      )
      .join('/');
  };
  return (
    `first opened ${quartiles(span.fronts.map((front) => front.firstOpened))}, last closed ` +
    `${quartiles(span.fronts.map((front) => front.lastClosed))} (min/25%/median/75%/max)`
  );
}

/**
 * The job's timeline in ms after the upload began: accepted, first SMTP session opened, the first row, each quarter
 * and every row seen done by a poll, last session closed, finished seen by a poll.
 */
function jobTimeline(job: JobFigures, count: number): string {
  const seen = (rows: number) => job.progress.find(([, done]) => done >= rows)?.[0] ?? Number.NaN;
  const marks: Array<[string, number]> = [
    ['accepted', job.acceptedSeconds * 1000],
    ['first session opened', (job.smtp?.firstOpened ?? Number.NaN) - job.started],
    ['first row done', seen(1)],
    ['25%', seen(count / 4)],
    ['50%', seen(count / 2)],
    ['75%', seen((count * 3) / 4)],
    ['all', seen(count)],
    ['last session closed', (job.smtp?.lastClosed ?? Number.NaN) - job.started],
    ['finished', job.seconds * 1000],
  ];
  return marks.map(([mark, ms]) => `${mark} ${Math.round(ms)}`).join(', ');
}

/** Status and reason per list address from the job's NDJSON results (undefined for a row missing or out of place). */
async function downloadVerdicts(
  url: string,
  id: string,
  headers: Record<string, string>,
  addresses: readonly string[],
): Promise<Array<[string, string] | undefined>> {
  const response = await fetch(`${url}/v1/jobs/${id}/results?format=ndjson`, { headers });
  if (!response.ok) throw new Error(`results answered ${response.status}`);
  const verdicts: Array<[string, string] | undefined> = new Array(addresses.length);
  for (const line of (await response.text()).split('\n')) {
    if (!line) continue;
    const row = JSON.parse(line) as {
      row: number;
      input: string;
      status: string | null;
      reason: string | null;
    };
    if (addresses[row.row - 1] === row.input && row.status !== null && row.reason !== null)
      verdicts[row.row - 1] = [row.status, row.reason];
  }
  return verdicts;
}

const format = (value: number, digits = 1) => value.toFixed(digits);
const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const verdictText = (wrong: readonly string[], count: number) =>
  `verdicts ${count - wrong.length}/${count} right${wrong.length > 0 ? ` (wrong e.g. ${wrong.slice(0, 3).join(', ')})` : ''}`;

/** BENCH_RUNS paired runs on one store; returns how many verdicts were wrong. */
async function pairedRuns(bed: Bed, store: Store): Promise<number> {
  const count = bed.addresses.length;
  const ratios: number[] = [];
  const engines: EngineFigures[] = [];
  const jobs: JobFigures[] = [];
  const clis: CliFigures[] = [];
  const cliRatios: number[] = [];
  let wrong = 0;
  for (let run = 1; run <= RUNS; run += 1) {
    // Alternated, so neither side always meets a Postfix fresher (or busier) than the other.
    const engineFirst = run % 2 === 1;
    let engine: EngineFigures | undefined;
    let cli: CliFigures | undefined;
    if (engineFirst) {
      engine = await engineRun(bed);
      if (CLI_SIDE) cli = await cliRun(bed);
    }
    const job = await jobRun(bed, store);
    if (!engineFirst) {
      if (CLI_SIDE) cli = await cliRun(bed);
      engine = await engineRun(bed);
    }
    if (!engine) throw new Error('no engine run');
    engines.push(engine);
    jobs.push(job);
    ratios.push(job.rate / engine.rate);
    wrong += engine.wrong.length + job.wrong.length + (cli?.wrong.length ?? 0);
    if (cli) {
      clis.push(cli);
      cliRatios.push(job.rate / cli.rate);
    }
    console.log(
      `run ${run}/${RUNS} (${store}, ${engineFirst ? 'engine first' : 'job first'}, load average ${format(loadavg()[0] ?? 0)}): ratio ${format(job.rate / engine.rate, 2)}` +
        (cli ? ` (to the CLI ${format(job.rate / cli.rate, 2)})` : ''),
    );
    console.log(
      `  engine: ${format(engine.rate, 0)} addresses/s, CPU ${format(engine.cpuMsPerAddress, 3)} ms/address, ` +
        `${engine.connections} connections (${format(engine.connections / count, 3)} per address; per MX address ` +
        `${format(engine.sessionsAtOnce, 2)} at once while busy, busy ${format(engine.busyMsPerMx / 1000, 2)} s; a session ` +
        `${format(engine.sessionMsMean, 0)} ms on average), Postfix ` +
        `${engine.postfixSessions} sessions (${engine.tooManyErrors} "too many errors"); ${verdictText(engine.wrong, count)}`,
    );
    console.log(
      `  job:    ${format(job.rate, 0)} rows/s (${job.state} ${format(job.seconds, 2)} s after the upload began, ` +
        `accepted after ${format(job.acceptedSeconds, 2)} s), prober CPU ${format(job.cpuMsPerAddress, 3)} ms/address ` +
        `(${format(job.systemCpuMsPerAddress, 3)} in the kernel; peak RSS ${format(job.maxRssMb, 0)} MB; event-loop ` +
        `delay mean ${format(job.eventLoopDelayMs.mean)}, p99 ${format(job.eventLoopDelayMs.p99)}, max ` +
        `${format(job.eventLoopDelayMs.max)} ms, ${LOOP_DELAY_NOTE}), ` +
        `${job.connections} connections (${format(job.connections / count, 3)} per address; per MX address ` +
        `${format(job.sessionsAtOnce, 2)} at once while busy, busy ${format(job.busyMsPerMx / 1000, 2)} s; a session ` +
        `${format(job.sessionMsMean, 0)} ms on average), Postfix ` +
        `${job.postfixSessions} sessions (${job.tooManyErrors} "too many errors"); ${verdictText(job.wrong, count)}`,
    );
    if (cli) {
      console.log(
        `  cli:    ${format(cli.rate, 0)} addresses/s (\`mailprobe verify --file\`, the whole command: ${format(cli.wallMs / 1000, 2)} s ` +
          `from spawn to exit), ${cli.connections} connections, Postfix ${cli.postfixSessions} sessions ` +
          `(${cli.tooManyErrors} "too many errors"); ${verdictText(cli.wrong, count)}`,
      );
    }
    if (TIMELINE) {
      const span = engine.smtp ? engine.smtp.lastClosed - engine.smtp.firstOpened : Number.NaN;
      console.log(
        `  timeline (ms): engine sessions from the first opened to the last closed ${Math.round(span)} of its ` +
          `${Math.round(engine.wallMs)} wall; job ${jobTimeline(job, count)}`,
      );
      console.log(`  per MX address, from the first session opened: engine ${frontSpread(engine.smtp)}`);
      console.log(`  per MX address, from the first session opened: job    ${frontSpread(job.smtp)}`);
    }
  }
  const settings =
    Object.keys(JOB_SETTINGS).length > 0
      ? `job settings ${JSON.stringify(JOB_SETTINGS)}`
      : 'default job settings';
  console.log(
    `job (${store}) ÷ engine on real Postfix, median of ${RUNS} paired runs, ${settings}: engine ` +
      `${format(median(engines.map((engine) => engine.rate)), 0)} addresses/s, job ` +
      `${format(median(jobs.map((job) => job.rate)), 0)} rows/s, ratio ${format(median(ratios), 2)} ` +
      `(runs ${ratios.map((ratio) => format(ratio, 2)).join(', ')}; goal ≥ ${GOAL}: ${median(ratios) >= GOAL ? 'met' : 'MISSED'}); ` +
      `CPU per address: engine ${format(median(engines.map((engine) => engine.cpuMsPerAddress)), 3)} ms, prober ` +
      `${format(median(jobs.map((job) => job.cpuMsPerAddress)), 3)} ms; connections: engine ` +
      `${median(engines.map((engine) => engine.connections))}, job ${median(jobs.map((job) => job.connections))}`,
  );
  if (clis.length > 0) {
    console.log(
      `job (${store}) ÷ CLI as the issue timed it (\`mailprobe verify --file\`, the whole command; ${CLI_BUILD}): CLI ` +
        `${format(median(clis.map((cli) => cli.rate)), 0)} addresses/s, ratio ${format(median(cliRatios), 2)} ` +
        `(runs ${cliRatios.map((ratio) => format(ratio, 2)).join(', ')}; goal ≥ ${GOAL}: ${median(cliRatios) >= GOAL ? 'met' : 'MISSED'})`,
    );
  }
  return wrong;
}

function redisMissing(): string | null {
  if (process.env.BENCH_SKIP_REDIS === '1') return 'BENCH_SKIP_REDIS=1';
  const found = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
  return found.error || found.status !== 0 ? 'redis-server is not installed' : null;
}

async function main(): Promise<number> {
  console.log(
    `mailprobe job ÷ engine on real Postfix — ${DOMAINS} domains on ${MX_ADDRESSES} MX addresses, ` +
      `${ONE_WAY_DELAY_MS} ms each way, Node ${process.version}`,
  );
  const bed = await startBedOrSkip();
  if (!bed) return 0;
  let wrong = 0;
  try {
    console.log(
      `  ${bed.addresses.length} addresses (half unknown), one CSV job of a fresh prober process per run` +
        `${WARM_UP > 0 ? ` (after an uncounted job of ${WARM_UP} addresses at domains with no DNS)` : ''}, and the ` +
        'engine alone in a process of its own',
    );
    // Not counted: the first sessions on a fresh Postfix cost its smtpd processes' start, which later runs reuse.
    const warmUp = await engineRun(bed);
    wrong += warmUp.wrong.length;
    console.log(
      `warm-up (not counted): engine ${format(warmUp.rate, 0)} addresses/s; ${verdictText(warmUp.wrong, bed.addresses.length)}`,
    );
    if (STORES.includes('sqlite')) wrong += await pairedRuns(bed, 'sqlite');
    const noRedis = STORES.includes('redis') ? redisMissing() : `BENCH_STORES=${STORES.join(',')}`;
    if (noRedis) console.log(`job on Redis: skipped (${noRedis})`);
    else wrong += await pairedRuns(bed, 'redis');
  } finally {
    await bed.dns.close();
    await bed.proxy.close();
    await bed.postfix.stop();
  }
  return wrong === 0 ? 0 : 1;
}

process.exitCode = await main();
