// The prober side of bench/real-postfix-job.ts: a prober as `mailprobe serve` runs it (info-level JSON logs on
// stdout, which the parent sends to a file; embedded SQLite store, or Redis when given a URL), in a process of its
// own so its CPU time is the prober's alone (Postfix, the latency proxy, the fake DNS, Redis and the HTTP client
// run elsewhere). Driven over IPC by the parent (fork): see RealPostfixProberRequest / RealPostfixProberReply.
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import type { EngineOptionsInput } from '@mailprobe/engine';
import { type StartedProber, startProber } from '../src/index.js';

/** What the parent asks, in this order: start, measure, stop, close. */
export type RealPostfixProberRequest =
  | {
      type: 'start';
      engine: EngineOptionsInput;
      /** A fleet's Redis; null = the embedded SQLite store in a fresh temporary folder. */
      redisUrl: string | null;
      /** Job settings instead of the defaults (BENCH_RATIO_JOBS). */
      jobs: Record<string, number>;
      /** Any other part of the prober's configuration (BENCH_PROBER_CONFIG), e.g. `{"cacheTtl":{...}}`. */
      config: Record<string, unknown>;
    }
  /** Start counting CPU (and profiling into `profileFile`, a V8 .cpuprofile, when given). */
  | { type: 'measure'; profileFile?: string }
  | { type: 'stop' }
  | { type: 'close' };

/** What this process answers. */
export type RealPostfixProberReply =
  | { type: 'ready'; url: string; key: string }
  | { type: 'measuring' }
  | {
      type: 'measured';
      /** CPU time (user + system) between `measure` and `stop`, microseconds. */
      cpuUs: number;
      /** The part of `cpuUs` spent in the kernel. */
      systemCpuUs: number;
      maxRssKb: number;
      /** Event-loop delay over the measured span, ms: what every SMTP reply and HTTP request waited for the loop. */
      eventLoopDelayMs: { mean: number; p50: number; p99: number; max: number };
    };

let prober: StartedProber | null = null;
let cpuBefore: NodeJS.CpuUsage | null = null;
let inspector: Session | null = null;
let profileFile: string | undefined;
let loopDelay: IntervalHistogram | null = null;
/** Resolution of the event-loop delay histogram, ms. */
const LOOP_DELAY_RESOLUTION_MS = 10;
const NS_PER_MS = 1e6;
const reply = (message: RealPostfixProberReply) => process.send?.(message);

process.on('message', async (message: RealPostfixProberRequest) => {
  if (message.type === 'start') {
    prober = await startProber({
      engine: message.engine,
      ...(message.redisUrl ? { redisUrl: message.redisUrl } : {}),
      config: { logLevel: 'info', ...message.config, jobs: message.jobs as never },
    });
    // Polled every 50 ms by the parent: more than a default key's requests per minute.
    const key = await prober.createKey('bench', { requestsPerMinute: 1_000_000 });
    reply({ type: 'ready', url: prober.url, key });
  } else if (message.type === 'measure') {
    profileFile = message.profileFile;
    if (profileFile) {
      inspector = new Session();
      inspector.connect();
      await inspector.post('Profiler.enable');
      await inspector.post('Profiler.start');
    }
    loopDelay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
    loopDelay.enable();
    cpuBefore = process.cpuUsage();
    reply({ type: 'measuring' });
  } else if (message.type === 'stop') {
    const cpu = process.cpuUsage(cpuBefore ?? undefined);
    loopDelay?.disable();
    const delay = loopDelay;
    if (inspector && profileFile) {
      const { profile } = await inspector.post('Profiler.stop');
      await writeFile(profileFile, JSON.stringify(profile));
      inspector.disconnect();
    }
    reply({
      type: 'measured',
      cpuUs: cpu.user + cpu.system,
      systemCpuUs: cpu.system,
      maxRssKb: process.resourceUsage().maxRSS,
      eventLoopDelayMs: {
        mean: (delay?.mean ?? Number.NaN) / NS_PER_MS,
        p50: (delay?.percentile(50) ?? Number.NaN) / NS_PER_MS,
        p99: (delay?.percentile(99) ?? Number.NaN) / NS_PER_MS,
        max: (delay?.max ?? Number.NaN) / NS_PER_MS,
      },
    });
  } else if (message.type === 'close') {
    await prober?.close();
    process.disconnect();
  }
});
