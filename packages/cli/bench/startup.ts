// Start-up time of the `mailprobe` command: the median wall time of `--version` and `verify --help`, run from
// the built dist/ (what `pnpm mailprobe` and an installed `mailprobe` run), next to bare `node -e 0` on the same
// machine so the figure can be read on a busy one. `pnpm bench` builds the CLI first (turbo.json).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { staleBuildReason } from '../scripts/dist-freshness.js';

/** Runs per command; the median is printed. */
const RUNS = 11;
/** The goal from issue #11, on these machines. */
const BUDGET_MS = 500;

const cliDir = fileURLToPath(new URL('../', import.meta.url));
const packagesDir = fileURLToPath(new URL('../../', import.meta.url));

function medianMs(args: string[]): number {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const started = performance.now();
    const child = spawnSync(process.execPath, args, { cwd: cliDir, encoding: 'utf8' });
    times.push(performance.now() - started);
    if (child.status !== 0) throw new Error(`node ${args.join(' ')} exited ${child.status}: ${child.stderr}`);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

const stale = staleBuildReason(packagesDir);
if (stale !== null) {
  console.error(`cli bench: build the CLI first (pnpm build): ${stale}`);
  process.exit(1);
}

const baseline = medianMs(['-e', '0']);
const rows: Array<[string, string[]]> = [
  ['mailprobe --version', ['dist/bin.js', '--version']],
  ['mailprobe verify --help', ['dist/bin.js', 'verify', '--help']],
  [
    'pnpm mailprobe --version (workspace bin, without pnpm itself)',
    ['scripts/workspace-bin.js', '--version'],
  ],
];
console.log(`cli start-up: median of ${RUNS} runs; bare \`node -e 0\` takes ${baseline.toFixed(0)} ms here`);
for (const [label, args] of rows) {
  const ms = medianMs(args);
  const verdict = ms < BUDGET_MS ? 'within' : 'OVER';
  console.log(
    `  ${label}: ${ms.toFixed(0)} ms (${(ms - baseline).toFixed(0)} ms over bare node; ${verdict} the ${BUDGET_MS} ms goal)`,
  );
}
