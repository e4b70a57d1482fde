import { describe, expect, it } from 'vitest';
import type { FailOn } from './inputs.js';
import { judge, parseExpectation } from './policy.js';
import type { Verdict } from './verify/verdict.js';

const verdict = (status: Verdict['status'], reason: Verdict['reason']): Verdict => ({
  address: 'a@acme.io',
  status,
  reason,
  suggestion: null,
  detail: '',
  evidence: null,
});
const valid = verdict('VALID', 'accepted');
const invalid = verdict('INVALID', 'mailbox_not_found');
const unknown = verdict('UNKNOWN', 'greylisted');

describe('judge without an expectation', () => {
  it.each<[FailOn, Verdict, string]>([
    ['invalid', valid, 'pass'],
    ['invalid', invalid, 'fail'],
    ['invalid', unknown, 'warn'],
    ['unknown', valid, 'pass'],
    ['unknown', invalid, 'fail'],
    ['unknown', unknown, 'fail'],
    ['none', valid, 'pass'],
    ['none', invalid, 'warn'],
    ['none', unknown, 'warn'],
  ])('fail-on %s, %o → %s', (failOn, given, outcome) => {
    expect(judge(given, null, failOn).outcome).toBe(outcome);
  });

  it('describes the problem', () => {
    expect(judge(invalid, null, 'invalid').problem).toBe('invalid address: INVALID (mailbox_not_found)');
  });
});

describe('judge with an expectation', () => {
  it.each<[string, Verdict, string]>([
    ['invalid', invalid, 'pass'],
    ['INVALID', invalid, 'pass'],
    ['mailbox_not_found', invalid, 'pass'],
    ['valid', invalid, 'fail'],
    ['mailbox_disabled', invalid, 'fail'],
    ['unknown', unknown, 'pass'],
    ['valid', valid, 'pass'],
    ['invalid', valid, 'fail'],
  ])('expected %s, got %o → %s (regardless of fail-on)', (expected, given, outcome) => {
    for (const failOn of ['invalid', 'unknown', 'none'] as const) {
      expect(judge(given, expected, failOn).outcome).toBe(outcome);
    }
  });

  it('explains a mismatch and rejects nonsense expectations', () => {
    expect(judge(valid, 'invalid', 'none').problem).toBe('expected INVALID, got VALID (accepted)');
    expect(judge(valid, 'bogus', 'none')).toEqual({
      outcome: 'fail',
      problem: expect.stringMatching(/"bogus" is neither a status/),
    });
  });

  it('only warns when offline checks passed but the expectation needs a probe', () => {
    const offlinePass = verdict('VALID', null);
    expect(judge(offlinePass, 'mailbox_not_found', 'unknown')).toEqual({
      outcome: 'warn',
      problem: 'expected mailbox_not_found; offline checks passed, only probe mode can confirm it',
    });
    expect(judge(offlinePass, 'valid', 'unknown').outcome).toBe('pass');
    expect(judge(verdict('INVALID', 'domain_not_found'), 'valid', 'none').outcome).toBe('fail');
  });

  it('parses statuses and reasons case-insensitively', () => {
    expect(parseExpectation(' Unknown ')).toEqual({ kind: 'status', status: 'UNKNOWN' });
    expect(parseExpectation('NULL_MX')).toEqual({ kind: 'reason', reason: 'null_mx' });
    expect(parseExpectation('maybe')).toBeNull();
  });
});
