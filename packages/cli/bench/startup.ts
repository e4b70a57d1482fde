// Start-up time of the `mailprobe` command: the median wall time and CPU time of `--version` and
// `verify --help`, run from the built dist/ (what `pnpm mailprobe` and an installed `mailprobe` run), next to bare
// `node -e 0` on the same machine so the figures can be read on a busy one. `pnpm bench` builds the CLI first
// (turbo.json).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { staleBuildReason } from '../scripts/dist-freshness.js';

/** Runs per command; the median is printed. */
const RUNS = 11;
/** The goal from issue #11, on these machines. */
const BUDGET_MS = 500;

const cliDir = fileURLToPath(new URL('../', import.meta.url));
const cpuReport = fileURLToPath(new URL('./cpu-report.js', import.meta.url));
const packagesDir = fileURLToPath(new URL('../../', import.meta.url));

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** Median wall and CPU milliseconds of `node <args>`. */
function measure(args: string[]): { wallMs: number; cpuMs: number } {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const started = performance.now();
    const child = spawnSync(process.execPath, ['--import', cpuReport, ...args], {
      cwd: cliDir,
      encoding: 'utf8',
    });
    wall.push(performance.now() - started);
    if (child.status !== 0) throw new Error(`node ${args.join(' ')} exited ${child.status}: ${child.stderr}`);
    const reported = /cpu-us (\d+)/.exec(child.stderr)?.[1];
    if (reported === undefined) throw new Error(`node ${args.join(' ')} did not report its CPU time`);
    cpu.push(Number(reported) / 1000);
  }
  return { wallMs: median(wall), cpuMs: median(cpu) };
}

const stale = staleBuildReason(packagesDir);
if (stale !== null) {
  console.error(`cli bench: build the CLI first (pnpm build): ${stale}`);
  process.exit(1);
}

const baseline = measure(['-e', '0']);
const rows: Array<[string, string[]]> = [
  ['mailprobe --version', ['dist/bin.js', '--version']],
  ['mailprobe verify --help', ['dist/bin.js', 'verify', '--help']],
  [
    'pnpm mailprobe --version (workspace bin, without pnpm itself)',
    ['scripts/workspace-bin.js', '--version'],
  ],
];
const figures = (wallMs: number, cpuMs: number) => `${wallMs.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU`;
console.log(
  `cli start-up, median of ${RUNS} runs (bare \`node -e 0\` here: ${figures(baseline.wallMs, baseline.cpuMs)})`,
);
for (const [label, args] of rows) {
  const { wallMs, cpuMs } = measure(args);
  const verdict = wallMs < BUDGET_MS ? 'within' : 'OVER';
  console.log(
    `  ${label}: ${figures(wallMs, cpuMs)} (+${(cpuMs - baseline.cpuMs).toFixed(0)} ms CPU over bare node; ` +
      `wall ${verdict} the ${BUDGET_MS} ms goal)`,
  );
}
