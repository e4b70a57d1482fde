import { describe, expect, it } from 'vitest';
import { emptyTimings, syntaxErrorResult } from './results.js';
import { parseAddress } from './syntax/parse-address.js';
import { VerificationResultSchema } from './vocabulary.js';

const NOW = new Date('2025-01-02T03:04:05.678Z');

function syntaxError(input: string) {
  const result = parseAddress(input);
  if (result.ok) throw new Error(`test input ${input} unexpectedly parses`);
  return result.error;
}

describe('emptyTimings', () => {
  it('is all zero and a fresh object each time', () => {
    const first = emptyTimings();
    expect(first).toEqual({ dnsMs: 0, connectMs: 0, smtpMs: 0, queuedMs: 0, totalMs: 0 });
    first.dnsMs = 5;
    expect(emptyTimings().dnsMs).toBe(0);
  });
});

describe('syntaxErrorResult', () => {
  it('builds an INVALID invalid_syntax result that satisfies the schema', () => {
    const input = 'jane..doe@Example.com';
    const result = syntaxErrorResult(input, syntaxError(input), NOW);
    expect(VerificationResultSchema.parse(result)).toEqual(result);
    expect(result).toEqual({
      address: input,
      normalized: null,
      status: 'INVALID',
      reason: 'invalid_syntax',
      domain: 'example.com',
      flags: { roleAccount: false, disposable: false, freeProvider: false, catchAll: false },
      suggestion: null,
      mx: [],
      smtp: null,
      syntaxError: { code: 'consecutive_dots', message: expect.any(String) },
      provider: 'other',
      timings: emptyTimings(),
      checkedAt: '2025-01-02T03:04:05.678Z',
      cached: false,
    });
  });

  it('fills the domain only when the part after the last @ is a valid domain', () => {
    expect(syntaxErrorResult('a b@Bücher.de', syntaxError('a b@Bücher.de'), NOW).domain).toBe(
      'xn--bcher-kva.de',
    );
    expect(syntaxErrorResult('Jane <a b@x.org>', syntaxError('Jane <a b@x.org>'), NOW).domain).toBe('x.org');
    expect(syntaxErrorResult('a b@[192.0.2.1]', syntaxError('a b@[192.0.2.1]'), NOW).domain).toBe(
      '[192.0.2.1]',
    );
    for (const input of [
      'no-at-sign',
      'user@',
      'user@localhost',
      'user@exa mple.com',
      'user@x.com\r\nQUIT',
    ]) {
      expect(syntaxErrorResult(input, syntaxError(input), NOW).domain).toBeNull();
    }
  });

  it('keeps the input verbatim, even with control characters, and stamps the current time by default', () => {
    const input = 'user@x.com\r\nQUIT';
    const before = Date.now();
    const result = syntaxErrorResult(input, syntaxError(input));
    expect(result.address).toBe(input);
    expect(Date.parse(result.checkedAt)).toBeGreaterThanOrEqual(before);
    expect(VerificationResultSchema.safeParse(result).success).toBe(true);
  });
});
