import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const NODE_SCRIPT = path.join(REPO_ROOT, 'test/src/e2e/prober-node.ts');
const START_TIMEOUT_MS = 30_000;

export interface ProberProcess {
  url: string;
  /** `/metrics` on the node's ops listener (null when turned off). */
  metricsUrl: string | null;
  child: ChildProcess;
  /** Every JSON log line the node wrote. */
  logs: Array<Record<string, unknown>>;
  /** Everything the node wrote to stderr so far (warnings of libraries, uncaught errors). */
  stderr(): string;
  /** SIGKILL: no cleanup at all, as in a crash. */
  kill(): Promise<void>;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
}

/** Starts a prober node in a child process (env MAILPROBE_* only) and waits until it listens. */
export async function startProberProcess(env: Record<string, string>): Promise<ProberProcess> {
  const child = spawn(process.execPath, ['--conditions=@mailprobe/source', '--import', 'tsx', NODE_SCRIPT], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      MAILPROBE_LISTEN: '127.0.0.1:0',
      // A free port for the ops listener too, so several nodes run side by side.
      MAILPROBE_METRICS_LISTEN: '127.0.0.1:0',
      MAILPROBE_LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, 'exit');
  let metricsUrl: string | null = null;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`prober did not start: ${stderr}`)), START_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`prober exited with ${code}: ${stderr}`));
    });
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      logs.push(entry);
      if (entry.msg === 'prober listening' && typeof entry.url === 'string') {
        clearTimeout(timer);
        metricsUrl = typeof entry.metricsUrl === 'string' ? entry.metricsUrl : null;
        resolve(entry.url);
      }
    });
  });
  return {
    url,
    metricsUrl,
    child,
    logs,
    stderr: () => stderr,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
