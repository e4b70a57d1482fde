import { domainHint } from './syntax/parse-address.js';
import type { AddressSyntaxError } from './syntax/types.js';
import type { Timings, VerificationResult } from './vocabulary.js';

/** All-zero timings, for results that did no (or not yet any) network work. */
export function emptyTimings(): Timings {
  return { dnsMs: 0, connectMs: 0, smtpMs: 0, queuedMs: 0, totalMs: 0 };
}

/**
 * The result for an input `parseAddress` refused: INVALID `invalid_syntax`, no probe. `domain` is filled when the
 * part after the last `@` is itself a valid domain (useful for grouping and reporting), otherwise null.
 */
export function syntaxErrorResult(
  input: string,
  error: AddressSyntaxError,
  now: Date = new Date(),
): VerificationResult {
  return {
    address: input,
    normalized: null,
    status: 'INVALID',
    reason: 'invalid_syntax',
    domain: domainHint(input),
    flags: { roleAccount: false, disposable: false, freeProvider: false, catchAll: false },
    suggestion: null,
    mx: [],
    smtp: null,
    syntaxError: { code: error.code, message: error.message },
    provider: 'other',
    timings: emptyTimings(),
    checkedAt: now.toISOString(),
    cached: false,
  };
}

/**
 * The answer for an address whose probe did not finish within a request's time budget: UNKNOWN `timeout`, no
 * evidence yet (the probe goes on; its own result is cached when it ends).
 */
export function timeoutResult(
  input: string,
  normalized: string | null,
  domain: string | null,
  elapsedMs: number,
  now: Date = new Date(),
): VerificationResult {
  return {
    address: input,
    normalized,
    status: 'UNKNOWN',
    reason: 'timeout',
    domain,
    flags: { roleAccount: false, disposable: false, freeProvider: false, catchAll: false },
    suggestion: null,
    mx: [],
    smtp: null,
    syntaxError: null,
    provider: 'other',
    timings: { ...emptyTimings(), totalMs: elapsedMs },
    checkedAt: now.toISOString(),
    cached: false,
  };
}

/**
 * The answer for a job's address never probed because the job was finished early ("finish now"): UNKNOWN
 * `not_checked`, no evidence, not charged.
 */
export function notCheckedResult(
  input: string,
  normalized: string | null,
  domain: string | null,
  now: Date = new Date(),
): VerificationResult {
  return { ...timeoutResult(input, normalized, domain, 0, now), reason: 'not_checked' };
}
