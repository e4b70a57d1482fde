import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { CliUsageError, EXIT_CODES } from './cli-errors.js';
import type { CliIo } from './cli-io.js';
import { doctorCommand } from './commands/doctor.js';
import { createKeysCommand } from './commands/keys.js';
import { createServeCommand } from './commands/serve.js';
import { verifyCommand } from './commands/verify.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** Runs `mailprobe <command> …` and resolves to the process exit code; never calls process.exit. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
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
  for (const command of [
    verifyCommand(io, setExitCode),
    createServeCommand(),
    createKeysCommand(keysIo),
    doctorCommand(io, setExitCode),
  ]) {
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
