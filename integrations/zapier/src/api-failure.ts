import {
  API_ERRORS,
  type ApiErrorCode,
  ApiErrorSchema,
  apiErrorCodeForStatus,
  parseRetryAfter,
} from '@mailprobe/core';
import { DEFAULT_RETRY_DELAY_SECONDS } from './constants.js';

/**
 * What a Zap should do about a failed API call:
 * - `auth`: the key is wrong or revoked; the user must reconnect (Zapier's ExpiredAuthError);
 * - `retry`: temporary (rate limit, 5xx, network); Zapier retries after `delaySeconds` (ThrottledError);
 * - `fail`: retrying the same input cannot help (bad input, quota used up); the message says why.
 */
export type ApiFailure =
  | { kind: 'auth'; code: ApiErrorCode; message: string }
  | { kind: 'retry'; code: string; message: string; delaySeconds: number }
  | { kind: 'fail'; code: string; status: number; message: string };

const MS_PER_SECOND = 1000;
const FIRST_SERVER_ERROR = 500;

/** Whole seconds to wait from a `Retry-After` header (seconds or HTTP date), at least one. */
export function retryDelaySeconds(retryAfter: string | null | undefined, now: number = Date.now()): number {
  const ms = parseRetryAfter(retryAfter ?? null, now);
  if (ms === null) return DEFAULT_RETRY_DELAY_SECONDS;
  return Math.max(1, Math.ceil(ms / MS_PER_SECOND));
}

/** Classifies a non-2xx answer of the prober from its status, JSON body and `Retry-After` header. */
export function classifyApiFailure(
  status: number,
  body: unknown,
  retryAfter: string | null | undefined,
  now: number = Date.now(),
): ApiFailure {
  const parsed = ApiErrorSchema.safeParse(body);
  const code = parsed.success ? parsed.data.error.code : apiErrorCodeForStatus(status);
  const detail = parsed.success ? parsed.data.error.message : `HTTP ${status}`;

  if (code === 'unauthorized') {
    return {
      kind: 'auth',
      code,
      message:
        `Mailprobe did not accept this API key (${detail}). Copy the key again from your Mailprobe account ` +
        'and reconnect Mailprobe in Zapier.',
    };
  }
  if (code === 'forbidden') {
    return {
      kind: 'auth',
      code,
      message: `This Mailprobe API key may no longer be used (${detail}). Create a new key and reconnect Mailprobe in Zapier.`,
    };
  }
  if (code === 'quota_exceeded') {
    return {
      kind: 'fail',
      code,
      status,
      message:
        `This Mailprobe API key has used its whole verification quota (${detail}). Raise the quota or connect ` +
        'another key, then replay this run.',
    };
  }
  if ((code !== null && API_ERRORS[code].retryable) || status >= FIRST_SERVER_ERROR) {
    const delaySeconds = retryDelaySeconds(retryAfter, now);
    const what =
      code === 'rate_limited'
        ? 'Mailprobe limits how many requests this API key may make per minute'
        : 'Mailprobe is temporarily unavailable';
    return {
      kind: 'retry',
      code: code ?? 'http_error',
      delaySeconds,
      message: `${what} (${detail}). Zapier will retry in ${delaySeconds} seconds.`,
    };
  }
  return {
    kind: 'fail',
    code: code ?? 'http_error',
    status,
    message: parsed.success ? `Mailprobe could not do this: ${detail}` : `Mailprobe answered ${detail}.`,
  };
}
