/** Structured (JSON lines) logging; callers never pass API keys or full addresses at info level. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

type Level = 'info' | 'warn' | 'error';

/** A logger writing one JSON object per line to `stream` (stderr by default). */
export function createJsonLogger(
  stream: NodeJS.WritableStream = process.stderr,
  base: Record<string, unknown> = {},
): Logger {
  const write = (level: Level, message: string, fields?: Record<string, unknown>) => {
    stream.write(
      `${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...base, ...fields })}\n`,
    );
  };
  return {
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}

/** A logger that drops everything (tests, library use). */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
