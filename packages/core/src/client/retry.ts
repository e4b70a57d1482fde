import { ProberApiError } from './prober-api-error.js';

const DELTA_SECONDS = /^\d+$/;
/** All three HTTP-date forms (RFC 9110 §5.6.7) start with a day name; this keeps Date.parse from reading "-5" as a year. */
const HTTP_DATE_START = /^[A-Za-z]{3}/;
const MS_PER_SECOND = 1000;

/** Milliseconds to wait from a `Retry-After` value (delta-seconds or HTTP date); null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (DELTA_SECONDS.test(trimmed)) return Number(trimmed) * MS_PER_SECOND;
  if (!HTTP_DATE_START.test(trimmed)) return null;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}

/** Exponential backoff with full jitter: a uniform wait in [0, min(maxMs, baseMs · 2^attempt)). */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * Math.min(maxMs, baseMs * 2 ** attempt));
}

/** The error raised when the caller's signal fires. */
export function abortedError(signal: AbortSignal): ProberApiError {
  return new ProberApiError({
    code: 'aborted',
    status: 0,
    message: 'The request was aborted',
    cause: signal.reason,
  });
}

/** Waits `ms`, or rejects with an `aborted` ProberApiError as soon as `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortedError(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortedError(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
