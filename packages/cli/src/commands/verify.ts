import type { Status, VerificationResult } from '@mailprobe/core';
import { createEngine } from '@mailprobe/engine';
import { Command, Option } from 'commander';
import { CliUsageError, EXIT_CODES } from '../cli-errors.js';
import type { CliIo } from '../cli-io.js';
import { addEngineFlags, type EngineFlagValues, engineOptionsFrom, toUsageError } from '../engine-flags.js';
import { createResultWriter, OUTPUT_FORMATS, type OutputFormat } from '../output-format.js';
import { startProgress } from '../progress.js';
import { readAddresses } from '../read-addresses.js';

export const FAIL_ON = ['invalid', 'unknown'] as const;
export type FailOn = (typeof FAIL_ON)[number];

interface VerifyFlags extends EngineFlagValues {
  file?: string;
  column?: string;
  format?: OutputFormat;
  failOn?: FailOn;
}

/** `--fail-on` is a threshold: `invalid` fails on any INVALID, `unknown` on anything not VALID. */
const FAILING_STATUSES: Record<FailOn, ReadonlySet<Status>> = {
  invalid: new Set(['INVALID']),
  unknown: new Set(['INVALID', 'UNKNOWN']),
};

/** Dedicated sources without forward-confirmed reverse DNS get refused by many MX hosts: say so on stderr. */
async function warnAboutSourceAddresses(engine: ReturnType<typeof createEngine>, io: CliIo): Promise<void> {
  if (engine.options.sourceAddresses.length === 0) return;
  for (const report of await engine.checkSourceAddresses()) {
    if (!report.forwardConfirmed) {
      io.stderr.write(
        `warning: source address ${report.address} lacks forward-confirmed reverse DNS ` +
          `(PTR: ${report.ptr ?? 'none'}); mail servers may refuse it\n`,
      );
    } else if (!report.heloMatchesPtr) {
      io.stderr.write(
        `warning: source address ${report.address} greets as ${report.heloName} but its PTR is ${report.ptr}\n`,
      );
    }
  }
}

/** Runs verification and prints results; resolves to the exit code. */
async function verify(args: string[], flags: VerifyFlags, io: CliIo): Promise<number> {
  const addresses = await readAddresses({
    args,
    stdin: io.stdin,
    ...(flags.file !== undefined ? { file: flags.file } : {}),
    ...(flags.column !== undefined ? { column: flags.column } : {}),
  });
  if (addresses.length === 0)
    throw new CliUsageError('no addresses given: pass them as arguments, with --file, or - for stdin');
  let engine: ReturnType<typeof createEngine>;
  try {
    engine = createEngine({
      ...engineOptionsFrom(flags, io.env),
      // Said once per name, when the HELO name in use is not fully qualified or not forward-confirmed.
      onWarning: (warning) => io.stderr.write(`warning: ${warning.message}\n`),
    });
  } catch (error) {
    throw toUsageError(error);
  }

  await warnAboutSourceAddresses(engine, io);

  // A terminal gets a readable table; pipes and files get one JSON object per line.
  const format = flags.format ?? (io.stdout.isTTY ? 'table' : 'jsonl');
  const writer = createResultWriter(format, (text) => io.stdout.write(text));
  const progress = startProgress(io.stderr, addresses.length);
  const ready = new Map<number, VerificationResult>();
  let next = 0;
  let results: VerificationResult[];
  try {
    results = await engine.verifyMany(addresses, {
      ...(io.signal ? { signal: io.signal } : {}),
      onResult: (index, result) => {
        progress.tick();
        ready.set(index, result);
        // Results complete out of order; print them in input order as soon as the next one is in.
        for (let pending = ready.get(next); pending; pending = ready.get(next)) {
          ready.delete(next);
          next += 1;
          writer.write(pending);
        }
      },
    });
  } finally {
    progress.stop();
    await engine.close();
  }
  writer.end();

  const failing = flags.failOn ? FAILING_STATUSES[flags.failOn] : null;
  return failing && results.some((result) => failing.has(result.status)) ? EXIT_CODES.failed : EXIT_CODES.ok;
}

/** The `verify` command: addresses from arguments, `--file` or stdin (`-`). */
export function verifyCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  const command = new Command('verify')
    .description('verify email addresses: syntax, MX lookup and an SMTP probe (no message is sent)')
    .argument('[address...]', 'addresses to verify; - reads one address per line from stdin')
    .option(
      '--file <path>',
      'read addresses from a file: one per line, or CSV (with --column, or a .csv file)',
    )
    .option('--column <name|number>', 'CSV column holding the addresses (default: a column named email)')
    .addOption(
      new Option(
        '--format <format>',
        'output format (default: table on a terminal, jsonl otherwise)',
      ).choices(OUTPUT_FORMATS),
    )
    .addOption(
      new Option(
        '--fail-on <status>',
        'exit 1 when a result is INVALID (invalid) or not VALID (unknown)',
      ).choices(FAIL_ON),
    );
  addEngineFlags(command);
  return command.action(async (args: string[], flags: VerifyFlags) => {
    setExitCode(await verify(args, flags, io));
  });
}
