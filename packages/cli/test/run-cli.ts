import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The CLI from source, as the tests and a stale workspace run it: `node <CLI_NODE_ARGS> …`. */
export const CLI_NODE_ARGS = [
  '--conditions=@mailprobe/source',
  '--import',
  'tsx',
  join(REPO_ROOT, 'packages/cli/src/bin.ts'),
];

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  /** The child's whole environment besides PATH and HOME. */
  env?: Record<string, string>;
  stdin?: string;
  /** Run as another user (tests started as root use it to meet a permission error). */
  uid?: number;
  gid?: number;
  /** Started as root: run without CAP_DAC_OVERRIDE, so file permissions apply as to any user. */
  withoutFileOverride?: boolean;
}

/** Runs the real `mailprobe` command in a child process and collects its output. */
export function runCli(args: readonly string[], options: CliRunOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    // Root reads any file through CAP_DAC_OVERRIDE: without it (setpriv drops it from the bounding set, so the
    // child never gets it) root meets permission errors like any user, and still reads the workspace it owns.
    const dropOverride = options.withoutFileOverride === true && process.getuid?.() === 0;
    const command = dropOverride ? 'setpriv' : process.execPath;
    const prefix = dropOverride
      ? ['--bounding-set=-dac_override,-dac_read_search', '--', process.execPath]
      : [];
    const child = spawn(command, [...prefix, ...CLI_NODE_ARGS, ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
      ...(options.uid !== undefined ? { uid: options.uid } : {}),
      ...(options.gid !== undefined ? { gid: options.gid } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}
