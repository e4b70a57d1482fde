import type { Status, VerificationResult } from '@mailprobe/core';
import type { Engine } from '@mailprobe/engine';
import { Command, Option } from 'commander';
import { CliUsageError, EXIT_CODES } from '../cli-errors.js';
import type { CliIo } from '../cli-io.js';
import { addEngineFlags, ENGINE_FLAG_KEYS, type EngineFlagValues } from '../engine-flags.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../output-format.js';
import type { InputList } from '../read-input.js';

// Only commander is loaded up front, so `--help` and `--version` answer at once; the engine, the prober client
// and the CSV code are imported by the run that needs them.

export const FAIL_ON = ['invalid', 'unknown'] as const;
export type FailOn = (typeof FAIL_ON)[number];

interface VerifyFlags extends EngineFlagValues {
  file?: string;
  column?: string;
  format?: OutputFormat;
  keepColumns?: boolean;
  excelSafe?: boolean;
  failOn?: FailOn;
  apiUrl?: string;
  apiKey?: string;
}

/** `--fail-on` is a threshold: `invalid` fails on any INVALID, `unknown` on anything not VALID. */
const FAILING_STATUSES: Record<FailOn, ReadonlySet<Status>> = {
  invalid: new Set(['INVALID']),
  unknown: new Set(['INVALID', 'UNKNOWN']),
};

/** Dedicated sources without forward-confirmed reverse DNS get refused by many MX hosts: say so on stderr. */
async function warnAboutSourceAddresses(engine: Engine, io: CliIo): Promise<void> {
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

/** The output format: `--keep-columns` means CSV; a terminal gets a readable table, pipes and files JSON lines. */
function outputFormat(flags: VerifyFlags, input: InputList, io: CliIo): OutputFormat {
  if (!flags.keepColumns) return flags.format ?? (io.stdout.isTTY ? 'table' : 'jsonl');
  if (flags.format !== undefined && flags.format !== 'csv')
    throw new CliUsageError('--keep-columns writes CSV: drop --format or use --format csv');
  if (input.header === null) throw new CliUsageError('--keep-columns needs a CSV --file');
  return 'csv';
}

/** `--api-url` / `--api-key` or their environment variables; null when verifying locally. */
function remoteSettings(flags: VerifyFlags, env: CliIo['env']): { apiUrl: string; apiKey: string } | null {
  const apiUrl = flags.apiUrl ?? (env.MAILPROBE_API_URL || undefined);
  const apiKey = flags.apiKey ?? (env.MAILPROBE_API_KEY || undefined);
  if (apiUrl === undefined) {
    if (flags.apiKey !== undefined)
      throw new CliUsageError('--api-key needs --api-url (or MAILPROBE_API_URL)');
    return null;
  }
  if (apiKey === undefined) throw new CliUsageError('--api-url needs --api-key (or MAILPROBE_API_KEY)');
  const engineFlag = ENGINE_FLAG_KEYS.find((key) => flags[key] !== undefined);
  if (engineFlag !== undefined) {
    const name = engineFlag.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
    throw new CliUsageError(`--${name} sets up local probing; the prober at --api-url uses its own settings`);
  }
  return { apiUrl, apiKey };
}

/** Probes from this machine with the engine; `emit` gets the results in input order. */
async function verifyLocally(
  addresses: readonly string[],
  flags: VerifyFlags,
  io: CliIo,
  emit: (index: number, result: VerificationResult) => void,
): Promise<void> {
  const [{ createEngine }, { engineOptionsFrom, toUsageError }, { startProgress }] = await Promise.all([
    import('@mailprobe/engine'),
    import('../engine-options.js'),
    import('../progress.js'),
  ]);
  let engine: Engine;
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

  const progress = startProgress(io.stderr, addresses.length);
  try {
    await engine.verifyMany(addresses, {
      ...(io.signal ? { signal: io.signal } : {}),
      onResult: (index, result) => {
        progress.tick();
        emit(index, result);
      },
    });
  } finally {
    progress.stop();
    await engine.close();
  }
}

/** Runs verification and prints results; resolves to the exit code. */
async function verify(args: string[], flags: VerifyFlags, io: CliIo, version: string): Promise<number> {
  const remote = remoteSettings(flags, io.env);
  const [{ readInput, rowMarks }, { createResultWriter }] = await Promise.all([
    import('../read-input.js'),
    import('../result-writer.js'),
  ]);
  const input = await readInput({
    args,
    stdin: io.stdin,
    ...(flags.file !== undefined ? { file: flags.file } : {}),
    ...(flags.column !== undefined ? { column: flags.column } : {}),
  });
  const { records } = input;
  if (records.length === 0)
    throw new CliUsageError('no addresses given: pass them as arguments, with --file, or - for stdin');
  const format = outputFormat(flags, input, io);
  if (flags.excelSafe && !flags.keepColumns) throw new CliUsageError('--excel-safe goes with --keep-columns');
  const writer = createResultWriter(
    format,
    // Once the run is aborted (Ctrl-C, or stdout's reader gone), nothing more is printed.
    (text) => {
      if (!io.signal?.aborted) io.stdout.write(text);
    },
    flags.keepColumns && input.header && input.layout
      ? { header: input.header, layout: input.layout, excelSafe: flags.excelSafe === true }
      : null,
  );

  // A CSV row whose address cell is blank is not verified (nor charged by a prober): it is written with an empty
  // verdict and `skipped` blank. A row repeating an earlier row's address says which row.
  const csvInput = input.header !== null;
  const marks = rowMarks(records, csvInput);
  const verified = records.flatMap((_, index) => (marks[index]?.skipped === 'blank' ? [] : [index]));
  const addresses = verified.map((index) => records[index]?.address ?? '');
  const ready = new Map<number, VerificationResult>();
  let next = 0;
  let failing = 0;
  const failingStatuses = flags.failOn ? FAILING_STATUSES[flags.failOn] : null;
  // Results may complete out of order; print them in input order as soon as the next one is in.
  const flush = () => {
    for (let record = records[next]; record; record = records[next]) {
      if (marks[next]?.skipped === 'blank') {
        writer.write(null, record, marks[next]);
      } else {
        const pending = ready.get(next);
        if (!pending) return;
        ready.delete(next);
        if (failingStatuses?.has(pending.status)) failing += 1;
        writer.write(pending, record, marks[next]);
      }
      next += 1;
    }
  };
  const emit = (index: number, result: VerificationResult) => {
    ready.set(verified[index] as number, result);
    flush();
  };

  if (remote) {
    const { describeRemoteError, remoteClient, verifyRemotely } = await import('../remote/remote-verify.js');
    const client = remoteClient({ ...remote, userAgent: `mailprobe-cli/${version}` });
    try {
      await verifyRemotely(client, { addresses, asJob: !input.fromArguments }, io, emit);
    } catch (error) {
      // Interrupted (Ctrl-C, stdout closed): say why the run stopped, not how the request ended.
      throw io.signal?.aborted ? io.signal.reason : describeRemoteError(error, remote.apiUrl);
    }
  } else if (addresses.length > 0) {
    await verifyLocally(addresses, flags, io, emit);
  }
  flush();
  writer.end();

  return failing > 0 ? EXIT_CODES.failed : EXIT_CODES.ok;
}

/** The `verify` command: addresses from arguments, `--file` or stdin (`-`). */
export function verifyCommand(io: CliIo, setExitCode: (code: number) => void, version = '0.0.0'): Command {
  const command = new Command('verify')
    .description('verify email addresses: syntax, MX lookup and an SMTP probe (no message is sent)')
    .argument('[address...]', 'addresses to verify; - reads one address per line from stdin')
    .option(
      '--file <path>',
      'read addresses from a file: one per line (only blank lines skipped), or CSV (with --column, or a .csv file)',
    )
    .option(
      '--column <name|number>',
      'CSV column holding the addresses, by header name or 1-based number; the first row is the header (default: a column named email)',
    )
    .option(
      '--keep-columns',
      "CSV output keeps each row's input exactly as read (delimiter, BOM, line ending, cells), followed by the " +
        'results (mailprobe_status, …, mailprobe_skipped, mailprobe_duplicate_of); a blank address is skipped',
    )
    .option(
      '--excel-safe',
      "with --keep-columns: prefix ' to every cell a spreadsheet would run as a formula, the input's own too",
    )
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
  command
    .option(
      '--api-url <url>',
      'verify through a hosted prober instead of probing from this machine (env MAILPROBE_API_URL)',
    )
    .option('--api-key <key>', 'API key of the prober at --api-url (env MAILPROBE_API_KEY)');
  addEngineFlags(command);
  return command.action(async (args: string[], flags: VerifyFlags) => {
    setExitCode(await verify(args, flags, io, version));
  });
}
