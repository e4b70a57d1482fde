// A prober in a process of its own (bench/real-postfix-prober.ts), as `mailprobe serve` runs it, driven over IPC by a
// bench: started with the given engine options, store and settings, asked to measure and stop, closed.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RealPostfixProberReply, RealPostfixProberRequest } from './real-postfix-prober.js';

const PROBER_ENTRY = fileURLToPath(new URL('./real-postfix-prober.ts', import.meta.url));
/** The prober gets this long to close after the run before it is killed. */
const CLOSE_TIMEOUT_MS = 30_000;

/** The prober process: started, driven over IPC, closed. */
export interface ProberChild {
  url: string;
  key: string;
  ask(request: RealPostfixProberRequest): Promise<RealPostfixProberReply>;
  close(): Promise<void>;
}

/** Forks the prober (its logs, on stdout, to `logFile`; `nodeArgs` after this process's own) and starts it. */
export async function startProberChild(
  start: Extract<RealPostfixProberRequest, { type: 'start' }>,
  logFile: string,
  nodeArgs: readonly string[] = [],
): Promise<ProberChild> {
  const logFd = openSync(logFile, 'w');
  const child = fork(PROBER_ENTRY, {
    execArgv: [...process.execArgv, ...nodeArgs],
    stdio: ['ignore', logFd, 'inherit', 'ipc'],
  });
  closeSync(logFd);
  const exited = once(child, 'exit');
  const ask = async (request: RealPostfixProberRequest): Promise<RealPostfixProberReply> => {
    const answer = Promise.race([
      once(child, 'message') as Promise<[RealPostfixProberReply]>,
      exited.then(() => {
        throw new Error(`the prober process exited (code ${child.exitCode})`);
      }),
    ]);
    child.send(request);
    return (await answer)[0];
  };
  const close = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const timer = setTimeout(() => child.kill('SIGKILL'), CLOSE_TIMEOUT_MS);
    if (child.connected) child.send({ type: 'close' } satisfies RealPostfixProberRequest);
    else child.kill('SIGKILL');
    await exited;
    clearTimeout(timer);
  };
  try {
    const ready = await ask(start);
    if (ready.type !== 'ready') throw new Error(`the prober answered ${ready.type} to start`);
    return { url: ready.url, key: ready.key, ask, close };
  } catch (error) {
    await close();
    throw error;
  }
}
