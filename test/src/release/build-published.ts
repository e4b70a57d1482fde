import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { REPO_ROOT } from './workspace.js';

const run = promisify(execFile);
const BUILD_TIMEOUT_MS = 600_000;

/** Builds the four published packages (turbo: cli and everything it depends on), as the release script does. */
export async function buildPublishedPackages(): Promise<void> {
  await run(
    'pnpm',
    ['exec', 'turbo', 'run', 'build', '--filter=@mailprobe/cli...', '--output-logs=errors-only'],
    {
      cwd: REPO_ROOT,
      timeout: BUILD_TIMEOUT_MS,
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
    },
  );
}
