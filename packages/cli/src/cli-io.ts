import type { Readable, Writable } from 'node:stream';

/** The process surface the CLI touches, injectable so commands run in-process in tests too. */
export interface CliIo {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  stdin: Readable;
  env: Readonly<Record<string, string | undefined>>;
  /** Aborts running work (Ctrl-C). */
  signal?: AbortSignal;
}

/** The real process's streams and environment. */
export function processIo(signal?: AbortSignal): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    ...(signal ? { signal } : {}),
  };
}
