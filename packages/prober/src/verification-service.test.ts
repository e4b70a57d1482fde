import {
  REASON_STATUS,
  REASONS,
  type Reason,
  syntaxErrorResult,
  type VerificationResult,
} from '@mailprobe/core';
import { describe, expect, it } from 'vitest';
import { loadProberConfig } from './config.js';
import { cacheTtlMs } from './verification-service.js';

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const DAY_MS = 24 * 60 * MINUTE_MS;
const ttl = loadProberConfig({ env: {} }).cacheTtl;

function withReason(reason: Reason, retryAfterSeconds: number | null = null): VerificationResult {
  const base = syntaxErrorResult('a@example.test', { code: 'missing_at', message: 'x' });
  return { ...base, status: REASON_STATUS[reason], reason, retryAfterSeconds };
}

describe('cacheTtlMs: the results cache keeps a result by its reason', () => {
  it('keeps transient failures for seconds, catch-all for days, VALID and INVALID as before', () => {
    for (const reason of ['dns_error', 'timeout', 'connection_failed', 'temporary_failure'] as const)
      expect(cacheTtlMs(withReason(reason), ttl)).toBe(30 * SECOND_MS);
    expect(cacheTtlMs(withReason('catch_all'), ttl)).toBe(3 * DAY_MS);
    expect(cacheTtlMs(withReason('accepted'), ttl)).toBe(7 * DAY_MS);
    expect(cacheTtlMs(withReason('mailbox_not_found'), ttl)).toBe(7 * DAY_MS);
    expect(cacheTtlMs(withReason('blocked'), ttl)).toBe(15 * MINUTE_MS);
  });

  it('keeps greylisting until its retry time, at most greylistedMaxMs, and never keeps not_checked', () => {
    expect(cacheTtlMs(withReason('greylisted', 120), ttl)).toBe(120 * SECOND_MS);
    expect(cacheTtlMs(withReason('greylisted', 3600), ttl)).toBe(15 * MINUTE_MS);
    expect(cacheTtlMs(withReason('greylisted'), ttl)).toBe(15 * MINUTE_MS);
    expect(cacheTtlMs(withReason('not_checked'), ttl)).toBe(0);
  });

  it('never keeps anything past the retention bound, and has an answer for every reason', () => {
    for (const reason of REASONS) {
      const ms = cacheTtlMs(withReason(reason, 60), ttl, 10 * SECOND_MS);
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThanOrEqual(10 * SECOND_MS);
    }
  });

  it('reads each setting from the environment', () => {
    const fromEnv = loadProberConfig({
      env: {
        MAILPROBE_CACHE_TTL_TRANSIENT_MS: '5000',
        MAILPROBE_CACHE_TTL_GREYLISTED_MAX_MS: '60000',
        MAILPROBE_CACHE_TTL_CATCH_ALL_MS: '86400000',
      },
    }).cacheTtl;
    expect(cacheTtlMs(withReason('dns_error'), fromEnv)).toBe(5000);
    expect(cacheTtlMs(withReason('greylisted', 120), fromEnv)).toBe(60_000);
    expect(cacheTtlMs(withReason('catch_all'), fromEnv)).toBe(DAY_MS);
  });
});
