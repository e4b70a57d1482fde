/** Exit codes of the `mailprobe` command. */
export const EXIT_CODES = {
  /** The command ran (whatever the verdicts). */
  ok: 0,
  /** `--fail-on` matched, or the command failed while running. */
  failed: 1,
  /** Bad flags, arguments, environment variables or input. */
  usage: 2,
} as const;

/** A mistake in how the command was called: printed with its message, exit code 2. */
export class CliUsageError extends Error {
  readonly code = 'usage_error';

  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }

  static isInstance(error: unknown): error is CliUsageError {
    return error instanceof CliUsageError;
  }
}
