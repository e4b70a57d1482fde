import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
const STARTUP_TIMEOUT_MS = 30_000;

export interface ChildService {
  child: ChildProcess;
  webhookUrl: string;
  /** stderr so far (JSON log lines). */
  logs(): string;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

/** Runs `mailprobe-hubspot <args>` from source in a real child process. */
export function spawnCli(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--conditions=@mailprobe/source', '--import', 'tsx', BIN, ...args], {
    cwd: PACKAGE_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Starts `mailprobe-hubspot serve` in a child process and waits for its listening line. */
export async function startChildService(env: Record<string, string>): Promise<ChildService> {
  const child = spawnCli(['serve'], env);
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const webhookUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${stderr}`)), STARTUP_TIMEOUT_MS);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${stderr}`));
    });
  });
  return {
    child,
    webhookUrl,
    logs: () => stderr,
    async kill(signal) {
      child.kill(signal);
      return exited;
    },
  };
}
