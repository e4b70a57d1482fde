import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { CliUsageError, EXIT_CODES } from './cli-errors.js';
import type { CliIo } from './cli-io.js';
import { doctorCommand } from './commands/doctor.js';
import { createKeysCommand } from './commands/keys.js';
import { createServeCommand } from './commands/serve.js';
import { verifyCommand } from './commands/verify.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** Why work stops when the reader of stdout went away (`mailprobe verify … | head`). */
class StdoutClosedError extends Error {
  readonly code = 'stdout_closed';

  constructor() {
    super('stdout was closed');
    this.name = 'StdoutClosedError';
  }
}

/**
 * The io a command gets: when stdout's reader goes away (EPIPE), the io's signal aborts the running work and the
 * run ends quietly — like `grep` or `cat` piped into `head`.
 */
function guardStdout(io: CliIo): { io: CliIo; closed: AbortSignal; release: () => void } {
  const closed = new AbortController();
  const onError = (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED')
      closed.abort(new StdoutClosedError());
    else closed.abort(error);
  };
  // A closed stderr must not crash the command either; there is nowhere left to report it.
  const ignore = () => {};
  io.stdout.on('error', onError);
  io.stderr.on('error', ignore);
  const guarded: CliIo = {
    ...io,
    signal: io.signal ? AbortSignal.any([io.signal, closed.signal]) : closed.signal,
  };
  return {
    io: guarded,
    closed: closed.signal,
    release: () => {
      io.stdout.off('error', onError);
      io.stderr.off('error', ignore);
    },
  };
}

/** Runs `mailprobe <command> …` and resolves to the process exit code; never calls process.exit. */
export async function run(argv: readonly string[], processIo: CliIo): Promise<number> {
  const { io, closed, release } = guardStdout(processIo);
  try {
    return await runCommand(argv, io, closed);
  } finally {
    release();
  }
}

async function runCommand(argv: readonly string[], io: CliIo, stdoutClosed: AbortSignal): Promise<number> {
  let exitCode: number = EXIT_CODES.ok;
  const setExitCode = (code: number) => {
    exitCode = code;
  };
  const program = new Command('mailprobe')
    .description('Tell whether email addresses really work, without sending a message.')
    .version(version)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  // One file per command; each command gets the same io and exit-code setter.
  const keysIo = { stdout: (text: string) => io.stdout.write(text), env: io.env as NodeJS.ProcessEnv };
  const commands = [
    verifyCommand(io, setExitCode, version),
    createServeCommand(),
    createKeysCommand(keysIo),
    doctorCommand(io, setExitCode),
  ];
  for (const command of commands) {
    program.addCommand(
      command.exitOverride().configureOutput({
        writeOut: (text) => io.stdout.write(text),
        writeErr: (text) => io.stderr.write(text),
      }),
    );
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    // The reader of stdout is gone (`| head`): what it did read is all that was wanted.
    if (stdoutClosed.aborted) return EXIT_CODES.ok;
    if (error instanceof CommanderError) {
      // Help and --version "fail" with exit code 0; every other commander error is a usage error.
      return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    }
    if (CliUsageError.isInstance(error)) {
      io.stderr.write(`mailprobe: ${error.message}\n`);
      return EXIT_CODES.usage;
    }
    io.stderr.write(`mailprobe: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_CODES.failed;
  }
}
