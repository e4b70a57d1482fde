// The engine side of bench/real-postfix.ts, in a process of its own so its CPU time is the engine's alone
// (Postfix, the latency proxy and the fake DNS run elsewhere). Reads its job from the JSON file named by argv[2],
// writes one JSON line to stdout.
import { readFile, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { createEngine, type EngineOptionsInput } from '../src/index.js';

export interface EngineJob {
  options: EngineOptionsInput;
  addresses: string[];
  /** Write a V8 CPU profile of verifyMany alone (no module loading) to this file. */
  profileFile?: string;
}

export interface EngineRun {
  /** status and reason per input, in input order. */
  verdicts: Array<[string, string]>;
  wallMs: number;
  /** CPU time of verifyMany alone (user + system), microseconds. */
  cpuUs: number;
  /** The part of `cpuUs` spent in the kernel (socket calls; on loopback, also the receiving side's TCP work). */
  systemCpuUs: number;
  /** CPU time of the whole process so far (module loading included), microseconds. */
  processCpuUs: number;
  maxRssKb: number;
}

const job = JSON.parse(await readFile(process.argv[2] as string, 'utf8')) as EngineJob;
const engine = createEngine(job.options);
const inspector = job.profileFile ? new Session() : undefined;
if (inspector) {
  inspector.connect();
  await inspector.post('Profiler.enable');
  await inspector.post('Profiler.start');
}
const cpuBefore = process.cpuUsage();
const started = performance.now();
const results = await engine.verifyMany(job.addresses);
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
if (inspector && job.profileFile) {
  const { profile } = await inspector.post('Profiler.stop');
  await writeFile(job.profileFile, JSON.stringify(profile));
}
await engine.close();
const total = process.cpuUsage();
const run: EngineRun = {
  verdicts: results.map((result) => [result.status, result.reason]),
  wallMs,
  cpuUs: cpu.user + cpu.system,
  systemCpuUs: cpu.system,
  processCpuUs: total.user + total.system,
  maxRssKb: process.resourceUsage().maxRSS,
};
process.stdout.write(`${JSON.stringify(run)}\n`);
